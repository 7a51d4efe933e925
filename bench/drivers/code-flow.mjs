// First refresh tokens for the refresh chains, obtained the way a browser + SPA obtains them: the authorization-code
// flow with PKCE through each server's own login, then the code exchange. One login (one cookie jar) per chain, so
// every chain is its own refresh-token family / grant: reuse detection on one chain cannot revoke another.
import { createHash, randomBytes } from 'node:crypto';

const b64url = (buf) => buf.toString('base64url');

/** A cookie jar that is good enough for one loopback origin (names only; no paths, no expiry). */
class Browser {
  #cookies = new Map();

  constructor(base) {
    this.base = base;
  }

  async request(url, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(new URL(url, this.base), { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return response;
  }

  /** Follows redirects on this server; returns the first Location that leaves it (the application's callback). */
  async follow(url, onPage) {
    let next = new URL(url, this.base);
    for (let hop = 0; hop < 12; hop++) {
      const response = await this.request(next);
      if (response.status >= 300 && response.status < 400) {
        const location = new URL(response.headers.get('location'), next);
        if (location.origin !== new URL(this.base).origin) return location;
        next = location;
        continue;
      }
      const posted = await onPage(next, response);
      if (!posted) throw new Error(`GET ${next.pathname} answered ${response.status}`);
      const location = new URL(posted, next);
      if (location.origin !== new URL(this.base).origin) return location;
      next = location;
    }
    throw new Error('too many redirects');
  }
}

function pkce() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash('sha256').update(verifier).digest()) };
}

const form = (fields) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

function spaOf(tenant) {
  const spa = tenant.clients.find((c) => c.app_type === 'spa');
  return { clientId: spa.client_id, redirectUri: spa.callbacks[0], user: tenant.users[0], api: tenant.resource_servers[0].identifier };
}

const scope = 'openid profile email offline_access read:messages';

async function exchange(browser, tokenPath, fields) {
  const response = await browser.request(tokenPath, form(fields));
  const body = await response.json();
  if (response.status !== 200 || !body.refresh_token) throw new Error(`code exchange: ${response.status} ${JSON.stringify(body)}`);
  return body.refresh_token;
}

/** Latchkey: /authorize -> /login (antiforgery form) -> /authorize -> callback?code -> /oauth/token. */
export async function latchkeyRefreshToken(base, tenant) {
  const { clientId, redirectUri, user, api } = spaOf(tenant);
  const browser = new Browser(base);
  const { verifier, challenge } = pkce();
  const authorize = `/authorize?${new URLSearchParams({
    client_id: clientId, redirect_uri: redirectUri, response_type: 'code', response_mode: 'query', scope, audience: api,
    state: b64url(randomBytes(12)), nonce: b64url(randomBytes(12)), code_challenge: challenge, code_challenge_method: 'S256',
  })}`;
  const callback = await browser.follow(authorize, async (url, response) => {
    if (url.pathname !== '/login' || response.status !== 200) return undefined;
    const html = await response.text();
    const hidden = (name) => html.match(new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`))?.[1]?.replaceAll('&amp;', '&');
    const posted = await browser.request('/login', form({
      email: user.email, password: user.password, returnUrl: hidden('returnUrl') ?? '/', __RequestVerificationToken: hidden('__RequestVerificationToken'),
    }));
    if (posted.status !== 303) throw new Error(`POST /login answered ${posted.status}: ${(await posted.text()).match(/role="alert"[^>]*>([^<]*)/)?.[1]}`);
    return posted.headers.get('location');
  });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`Latchkey authorize ended at ${callback}`);
  return exchange(browser, '/oauth/token', { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: verifier });
}

/** oidc-provider: /auth -> /interaction/<uid> (the peer's login+consent POST) -> /auth/<uid> -> callback?code -> /token. */
export async function peerRefreshToken(base, tenant) {
  const { clientId, redirectUri, user, api } = spaOf(tenant);
  const browser = new Browser(base);
  const { verifier, challenge } = pkce();
  const authorize = `/auth?${new URLSearchParams({
    // prompt=consent: oidc-provider drops offline_access without it (OIDC Core 11); the peer's login answers both prompts.
    client_id: clientId, redirect_uri: redirectUri, response_type: 'code', scope, resource: api, prompt: 'consent',
    state: b64url(randomBytes(12)), nonce: b64url(randomBytes(12)), code_challenge: challenge, code_challenge_method: 'S256',
  })}`;
  const callback = await browser.follow(authorize, async (url, response) => {
    if (!url.pathname.startsWith('/interaction/')) return undefined;
    await response.arrayBuffer();
    const posted = await browser.request(`${url.pathname}/login`, form({ email: user.email, password: user.password }));
    return posted.headers.get('location');
  });
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`oidc-provider authorize ended at ${callback}`);
  return exchange(browser, '/token', { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: verifier });
}
