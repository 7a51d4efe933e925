// Seed 001 in today's form: auth0-spa-js (the `auth0` global from /vendor/auth0-spa-js.production.js)
// instead of auth0.WebAuth, and the access token from getTokenSilently() instead of localStorage.
// `auth0Client` and `callAPI` stay global, as in Auth0's vanilla JavaScript samples.

let auth0Client = null;
let config = null;

const privateRoutes = ['/external-api', '/profile'];
const views = { '/': 'home-view', '/external-api': 'ping-view', '/profile': 'profile-view' };

const $ = (selector) => document.querySelector(selector);

async function configureClient() {
  const response = await fetch('/auth_config.json');
  config = await response.json();
  auth0Client = await auth0.createAuth0Client({
    domain: config.domain,
    clientId: config.clientId,
    authorizationParams: {
      redirect_uri: window.location.origin,
      audience: config.audience,
      scope: 'openid profile email read:messages',
    },
    useRefreshTokens: config.useRefreshTokens,
    useRefreshTokensFallback: config.useRefreshTokens,
  });
}

// callAPI(endpoint, secured) from seed 001: a GET to the sample API, with the access token when secured.
async function callAPI(endpoint, secured) {
  const message = $('#api-message');
  const result = $('#api-result');
  message.textContent = 'Calling the API…';
  result.hidden = true;
  hideError();
  try {
    const headers = {};
    if (secured) headers.Authorization = 'Bearer ' + (await auth0Client.getTokenSilently());
    const response = await fetch(config.apiUrl + endpoint, { headers });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    if (!response.ok) {
      message.textContent = '';
      const reason = (body && (body.message || body.error_description || body.error)) || text || 'no response body';
      showError('The call failed', `${response.status} ${response.statusText}: ${reason}`);
      return;
    }
    message.textContent = body && body.message ? body.message : '';
    result.querySelector('code').textContent = JSON.stringify(body, null, 2);
    result.hidden = false;
  } catch (error) {
    message.textContent = '';
    showError('The call failed', describe(error));
  }
}

function initials(user) {
  const source = (user.name || user.email || '?').trim();
  const parts = source.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0] || '?')[0] + (parts.length > 1 && user.name ? parts[parts.length - 1][0] : '')).toUpperCase();
}

function describe(error) {
  // auth0-spa-js errors carry `error` (e.g. login_required) and `error_description`.
  if (error && error.error) return `${error.error_description || error.message} (${error.error})`;
  return (error && error.message) || String(error);
}

function showError(title, message) {
  $('#error-title').textContent = title;
  $('#error-message').textContent = message;
  $('#error-banner').hidden = false;
}

function hideError() {
  $('#error-banner').hidden = true;
}

async function render() {
  const path = window.location.pathname;
  const isAuthenticated = await auth0Client.isAuthenticated();

  if (privateRoutes.includes(path) && !isAuthenticated) {
    // Seed 002's private route: anonymous visitors go to the login page and come back here.
    await auth0Client.loginWithRedirect({ appState: { targetUrl: path } });
    return;
  }

  const user = isAuthenticated ? await auth0Client.getUser() : null;
  document.querySelectorAll('.auth-only').forEach((el) => (el.hidden = !isAuthenticated));
  document.querySelectorAll('.anon-only').forEach((el) => (el.hidden = isAuthenticated));
  $('#btn-login').hidden = isAuthenticated;

  if (user) {
    const name = user.name || user.email || user.sub;
    $('#nav-user-name').textContent = name;
    $('#welcome-name').textContent = name;
    $('#profile-name').textContent = name;
    $('#profile-email').textContent = user.email || '';
    $('#profile-json').textContent = JSON.stringify(user, null, 2);
    // The picture, or the user's initials when there is none.
    for (const [img, badge] of [[$('#nav-avatar'), $('#nav-initials')], [$('#profile-picture'), $('#profile-initials')]]) {
      img.hidden = !user.picture;
      badge.hidden = Boolean(user.picture);
      if (user.picture) img.src = user.picture;
      else badge.textContent = initials(user);
    }
  }

  $('#cfg-domain').textContent = config.domain;
  $('#cfg-client').textContent = config.clientId;
  $('#cfg-audience').textContent = config.audience;
  $('#cfg-api').textContent = config.apiUrl;

  const active = views[path] || 'not-found-view';
  document.querySelectorAll('.view').forEach((view) => (view.hidden = view.id !== active));
  document.querySelectorAll('.nav-links a').forEach((link) => {
    if (link.getAttribute('href') === path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  });
  $('#loading').hidden = true;
}

function navigate(path) {
  if (path === window.location.pathname) return;
  window.history.pushState({}, '', path);
  hideError();
  render();
}

window.addEventListener('popstate', render);

window.addEventListener('load', async () => {
  try {
    await configureClient();

    // Back from the login page with ?code=…&state=… (or ?error=…).
    const query = window.location.search;
    if ((query.includes('code=') || query.includes('error=')) && query.includes('state=')) {
      try {
        const { appState } = await auth0Client.handleRedirectCallback();
        window.history.replaceState({}, document.title, (appState && appState.targetUrl) || '/');
      } catch (error) {
        window.history.replaceState({}, document.title, '/');
        showError('Sign-in failed', describe(error));
      }
    }

    document.body.addEventListener('click', (event) => {
      const link = event.target.closest('a[data-route]');
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(link.getAttribute('href'));
    });
    for (const button of [$('#btn-login'), $('#btn-login-hero')]) {
      button.addEventListener('click', () => auth0Client.loginWithRedirect());
    }
    $('#btn-logout').addEventListener('click', () =>
      auth0Client.logout({ logoutParams: { returnTo: window.location.origin } }),
    );
    document.querySelectorAll('[data-endpoint]').forEach((button) =>
      button.addEventListener('click', () => callAPI(button.dataset.endpoint, button.hasAttribute('data-secured'))),
    );

    await render();
  } catch (error) {
    $('#loading').hidden = true;
    showError('Could not start', describe(error));
  }
});
