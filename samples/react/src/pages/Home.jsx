import { Link } from 'react-router';
import { useAuth0 } from '@auth0/auth0-react';
import { config } from '../config.js';

export default function Home() {
  const { isAuthenticated, user, loginWithRedirect } = useAuth0();

  return (
    <>
      <section className="hero">
        <h1>Call a protected API with Latchkey</h1>
        <p className="lead">
          This is Auth0's React quickstart, unchanged: <code>@auth0/auth0-react</code> signs you in against a
          self-hosted Latchkey server and gets an access token for the sample API.
        </p>
        {isAuthenticated ? (
          <p className="welcome">Welcome back, <strong>{user?.name || user?.email}</strong>.</p>
        ) : (
          <button type="button" className="btn btn-primary btn-lg" onClick={() => loginWithRedirect()}>
            Log in to get started
          </button>
        )}
      </section>

      <section className="cards" aria-label="What you can try">
        <article className="card">
          <h2>External API</h2>
          <p>Get an access token for <code>{config.audience}</code> and call <code>/api/external</code>.</p>
          <Link to="/external-api" className="card-link">Open External API →</Link>
        </article>
        <article className="card">
          <h2>Profile</h2>
          <p>Read and edit your <code>user_metadata</code> through the Management API.</p>
          <Link to="/profile" className="card-link">Open Profile →</Link>
        </article>
        <article className="card">
          <h2>Configuration</h2>
          <dl className="config-list">
            <dt>Domain</dt><dd><code>{config.domain}</code></dd>
            <dt>Client ID</dt><dd><code>{config.clientId}</code></dd>
            <dt>Audience</dt><dd><code>{config.audience}</code></dd>
            <dt>Refresh tokens</dt><dd>{config.useRefreshTokens ? 'on' : 'off (silent iframe)'}</dd>
          </dl>
        </article>
      </section>
    </>
  );
}
