// Seeds 000, 001 and 004 as written: auth0.WebAuth with audience and scope, token + id_token in the fragment.
// The tests drive `webAuth` directly (authorize, parseHash, checkSession, logout).
(async () => {
  const config = await (await fetch('/config.json')).json();
  window.latchkeyConfig = config;
  window.webAuth = new auth0.WebAuth({
    domain: config.domain,
    clientID: config.clientId,
    redirectUri: window.location.origin + '/legacy.html',
    responseType: 'token id_token',
    audience: config.audience,
    scope: 'openid profile read:messages',
    // auth0-js builds the expected issuer as 'https://' + domain + '/', which an http issuer cannot match.
    overrides: { __token_issuer: config.issuer, __jwks_uri: config.issuer + '.well-known/jwks.json' },
  });
  document.getElementById('status').textContent = 'auth0-js ' + auth0.version.raw + ' ready';
})();
