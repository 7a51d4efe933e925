import { useCallback, useEffect, useState } from 'react';
import { useAuth0 } from '@auth0/auth0-react';
import ErrorBanner from '../components/ErrorBanner.jsx';
import Loading from '../components/Loading.jsx';
import Avatar from '../components/Avatar.jsx';
import { config, managementApi } from '../config.js';

// Seed 003: show the signed-in user and their user_metadata, read and updated through the Management API
// with a token for `<issuer>api/v2/` that carries read:current_user and update:current_user_metadata.
export default function Profile() {
  const { user, getAccessTokenSilently } = useAuth0();
  const [userMetadata, setUserMetadata] = useState(null);
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState(null);
  const [saveError, setSaveError] = useState(null);
  const [saved, setSaved] = useState('');
  const [theme, setTheme] = useState('');
  const [patchText, setPatchText] = useState('{\n  "theme": "dark"\n}');

  const userUrl = `${config.domain}/api/v2/users/${encodeURIComponent(user.sub)}`;

  const managementFetch = useCallback(
    async (init = {}) => {
      const accessToken = await getAccessTokenSilently({
        authorizationParams: { audience: managementApi.audience, scope: managementApi.scope },
      });
      const response = await fetch(userUrl, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${accessToken}` },
      });
      const body = await response.json().catch(() => null);
      // The Management API answers errors as {statusCode, error, message, errorCode}.
      if (!response.ok) throw { message: body?.message || `${response.status} ${response.statusText}`, errorCode: body?.errorCode };
      return body;
    },
    [getAccessTokenSilently, userUrl],
  );

  const show = (metadata) => {
    setUserMetadata(metadata && Object.keys(metadata).length > 0 ? metadata : null);
    setTheme(metadata?.theme ?? '');
    document.documentElement.dataset.theme = metadata?.theme === 'dark' || metadata?.theme === 'light' ? metadata.theme : '';
  };

  useEffect(() => {
    let active = true;
    managementFetch()
      .then(({ user_metadata }) => active && show(user_metadata))
      .catch((e) => active && setLoadError(e))
      .finally(() => active && setLoaded(true));
    return () => {
      active = false;
    };
  }, [managementFetch]);

  const patch = async (user_metadata) => {
    setSaveError(null);
    setSaved('');
    try {
      const updated = await managementFetch({
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_metadata }),
      });
      show(updated.user_metadata);
      setSaved('Saved.');
    } catch (e) {
      setSaveError(e);
    }
  };

  const saveTheme = (event) => {
    event.preventDefault();
    // null deletes the key (Management API merge rules).
    patch({ theme: theme || null });
  };

  const applyPatch = (event) => {
    event.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(patchText);
    } catch {
      setSaveError({ message: 'The patch is not valid JSON.' });
      return;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setSaveError({ message: 'The patch must be a JSON object, e.g. { "theme": "dark" }.' });
      return;
    }
    patch(parsed);
  };

  return (
    <section className="panel">
      <div className="profile-header">
        <Avatar user={user} size="lg" decorative={false} />
        <div>
          <h1 data-testid="profile-name">{user.name}</h1>
          <p className="muted">{user.email}</p>
          <p className="muted small"><code>{user.sub}</code></p>
        </div>
      </div>

      <details className="claims">
        <summary>ID token claims</summary>
        {/* useAuth0().user: the ID token's claims, including any a post-login Action added (namespaced). */}
        <pre data-testid="id-token-claims"><code>{JSON.stringify(user, null, 2)}</code></pre>
      </details>

      <h2>User Metadata</h2>
      {!loaded && <Loading label="Loading metadata…" />}
      {loadError && <ErrorBanner title="Could not load your metadata" error={loadError} />}
      {loaded && !loadError && (
        <div data-testid="user-metadata">
          {userMetadata ? <pre><code>{JSON.stringify(userMetadata, null, 2)}</code></pre> : <p>No user metadata defined</p>}
        </div>
      )}

      {loaded && !loadError && (
        <div className="forms">
          <form className="form-card" onSubmit={saveTheme}>
            <h3>Preferences</h3>
            <label htmlFor="theme">Theme</label>
            <select id="theme" value={theme} onChange={(e) => setTheme(e.target.value)}>
              <option value="">System default</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
            <button type="submit" className="btn btn-primary">Save theme</button>
          </form>

          <form className="form-card" onSubmit={applyPatch}>
            <h3>Edit metadata</h3>
            <label htmlFor="metadata-patch">Patch (merged at the top level; <code>null</code> removes a key)</label>
            <textarea
              id="metadata-patch"
              rows={5}
              spellCheck={false}
              value={patchText}
              onChange={(e) => setPatchText(e.target.value)}
            />
            <button type="submit" className="btn btn-primary">Apply patch</button>
          </form>
        </div>
      )}
      <div aria-live="polite">
        {saved && <p className="banner banner-success" role="status">{saved}</p>}
        {saveError && <ErrorBanner title="Could not save" error={saveError} />}
      </div>
    </section>
  );
}
