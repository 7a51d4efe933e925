import { useState } from 'react';
import { useAuth0 } from '@auth0/auth0-react';
import ErrorBanner from '../components/ErrorBanner.jsx';

// Seed 002's ExternalApi component: get a token, call /api/external through the dev-server proxy.
export default function ExternalApi() {
  const { getAccessTokenSilently } = useAuth0();
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const callApi = async (path, secured) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const headers = {};
      if (secured) headers.Authorization = `Bearer ${await getAccessTokenSilently()}`;
      const response = await fetch(path, { headers });
      const body = await readBody(response);
      if (!response.ok) {
        setError({ message: `${response.status} ${response.statusText}: ${describe(body)}` });
        return;
      }
      setResult({ path, body });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel">
      <h1>External API</h1>
      <p>
        Ping the sample API. The call to <code>/api/external</code> carries your access token as a Bearer
        token; the API checks its signature, issuer and audience.
      </p>
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => callApi('/api/external', true)}>
          Ping API
        </button>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={() => callApi('/api/public', false)}>
          Ping public endpoint
        </button>
      </div>
      <div aria-live="polite">
        {busy && <p className="muted">Calling the API…</p>}
        {error && <ErrorBanner title="The call failed" error={error} />}
        {result && (
          <div className="result" data-testid="api-result">
            <h2>Result from <code>{result.path}</code></h2>
            {result.body?.message && <p className="api-message" data-testid="api-message">{result.body.message}</p>}
            <pre><code>{JSON.stringify(result.body, null, 2)}</code></pre>
          </div>
        )}
      </div>
    </section>
  );
}

async function readBody(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describe(body) {
  if (body && typeof body === 'object') return body.message || body.error_description || body.error || JSON.stringify(body);
  return body || 'no response body';
}
