// auth0-js v9 (seeds 000, 001, 004 as written): implicit `token id_token` into the fragment, parseHash
// (which verifies the ID token's signature against the JWKS, the nonce and at_hash), checkSession through
// web_message, the API call, and logout.
import { describe, test } from 'node:test';
import { apiUrl, apps, audience, clients, domain, issuer, users } from '../lib/env.mjs';
import { assert, isLatchkey, jwtPayload, logIn, newPage, recordNetwork, screenshot, useBrowser } from '../lib/browser.mjs';

const page0 = `${apps.legacy}/legacy.html`;

const parseHash = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) =>
        window.webAuth.parseHash({ hash: window.location.hash }, (err, result) => resolve({ err, result })),
      ),
  );

const checkSession = (page) =>
  page.evaluate(
    () => new Promise((resolve) => window.webAuth.checkSession({}, (err, result) => resolve({ err, result }))),
  );

async function callApi(page, path, accessToken) {
  return page.evaluate(
    async ({ url, accessToken }) => {
      const response = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    { url: `${apiUrl}${path}`, accessToken },
  );
}

describe('auth0-js v9 (implicit flow)', () => {
  useBrowser();

  test('Auth0Js_AuthorizeParseHashCheckSession_CallsTheApiAndLogsOut', async (t) => {
    const { context, page } = await newPage(t);
    const network = recordNetwork(context);
    await page.goto(page0);
    await page.waitForFunction(() => window.webAuth);

    await Promise.all([page.waitForURL((u) => u.href.startsWith(domain)), page.evaluate(() => window.webAuth.authorize())]);
    const authorize = network.requests.find((r) => isLatchkey(r.url, '/authorize?'));
    assert.equal(new URL(authorize.url).searchParams.get('response_type'), 'token id_token');
    await logIn(page, users.alice);
    await page.waitForURL((u) => u.href.startsWith(page0) && u.hash.includes('access_token='));
    await page.waitForFunction(() => window.webAuth);

    const parsed = await parseHash(page);
    assert.equal(parsed.err, null, `parseHash failed: ${JSON.stringify(parsed.err)}`);
    const { accessToken, idTokenPayload, expiresIn, tokenType } = parsed.result;
    assert.ok(accessToken);
    assert.equal(idTokenPayload.iss, issuer);
    assert.equal(idTokenPayload.aud, clients.legacy);
    assert.equal(tokenType, 'Bearer');
    assert.equal(typeof expiresIn, 'number');
    assert.ok([jwtPayload(accessToken).aud].flat().includes(audience));
    await screenshot(page, 'auth0js-after-login');

    const privateCall = await callApi(page, '/api/private', accessToken);
    assert.equal(privateCall.status, 200, JSON.stringify(privateCall));
    assert.ok(privateCall.body?.message);

    const mark = network.mark();
    const session = await checkSession(page);
    assert.equal(session.err, null, `checkSession failed: ${JSON.stringify(session.err)}`);
    assert.ok(session.result.accessToken);
    assert.equal(session.result.idTokenPayload.sub, idTokenPayload.sub);
    const frame = network.since(mark).find((r) => isLatchkey(r.url, '/authorize?') && r.isFrame);
    assert.ok(frame, 'checkSession loaded /authorize in an iframe');
    const params = new URL(frame.url).searchParams;
    assert.equal(params.get('response_mode'), 'web_message');
    assert.equal(params.get('prompt'), 'none');
    const scopedCall = await callApi(page, '/api/private-scoped', session.result.accessToken);
    assert.equal(scopedCall.status, 200, JSON.stringify(scopedCall));

    await Promise.all([
      page.waitForURL((u) => u.href.startsWith(page0) && !u.hash),
      page.evaluate((returnTo) => window.webAuth.logout({ returnTo }), page0),
    ]);
    await page.waitForFunction(() => window.webAuth);
    const afterLogout = await checkSession(page);
    assert.equal(afterLogout.err?.error, 'login_required', JSON.stringify(afterLogout));
  });
});
