// samples/vanilla (seed 001): plain HTML + auth0-spa-js 2.27.0 served as a file, callAPI(endpoint, secured),
// plus the SDK's two silent paths: the web_message iframe and a rotated refresh token.
import { describe, test } from 'node:test';
import { apps, audience, clients, domain, users } from '../lib/env.mjs';
import { assertAccessible } from '../lib/a11y.mjs';
import { assert, expectLoginPage, isLatchkey, jwtPayload, logIn, newPage, recordNetwork, screenshot, submitLogin, useBrowser } from '../lib/browser.mjs';
import { getTokenSilently, spaOptions } from '../lib/spa.mjs';

const app = apps.vanilla;
const options = (extra = {}) => spaOptions({ domain, clientId: clients.spa, audience, redirectUri: app, ...extra });

async function logInFromHome(page, user) {
  await page.goto(app);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await logIn(page, user);
  await page.waitForURL(`${app}/`);
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

describe('vanilla sample (auth0-spa-js as a file)', () => {
  useBrowser();

  test('Vanilla_PrivateRouteWithoutLogin_LogsInAndCallsTheApi', async (t) => {
    const { context, page } = await newPage(t);
    const network = recordNetwork(context);

    await page.goto(`${app}/external-api`);
    await expectLoginPage(page);
    const authorize = network.requests.find((r) => isLatchkey(r.url, '/authorize?'));
    assert.ok(authorize, 'the SDK navigated to /authorize');
    const params = new URL(authorize.url).searchParams;
    assert.equal(params.get('client_id'), clients.spa);
    assert.equal(params.get('audience'), audience);
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('code_challenge_method'), 'S256');

    await logIn(page, users.alice);
    await page.waitForURL(`${app}/external-api`);
    await page.getByRole('heading', { name: 'External API' }).waitFor();

    for (const endpoint of ['/private', '/private-scoped']) {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/api${endpoint}`)),
        page.getByRole('button', { name: endpoint === '/private' ? 'Ping private' : 'Ping private scoped', exact: true }).click(),
      ]);
      assert.equal(response.status(), 200, `${endpoint} answered ${response.status()}`);
      const body = await response.json();
      assert.ok(body.message, `${endpoint} returned a message`);
      assert.match(response.request().headers().authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      await page.locator('#api-message', { hasText: body.message }).waitFor();
    }
    const [publicResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/public')),
      page.getByRole('button', { name: 'Ping public' }).click(),
    ]);
    assert.equal(publicResponse.request().headers().authorization, undefined, 'callAPI(endpoint, false) sends no token');
    await screenshot(page, 'vanilla-external-api');
    await assertAccessible(page, 'vanilla /external-api');

    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByText(`Welcome back, ${users.alice.name}`).waitFor();
    await screenshot(page, 'vanilla-home');

    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByRole('heading', { name: users.alice.name, level: 1 }).waitFor();
    await page.getByText(users.alice.email).first().waitFor();
    await screenshot(page, 'vanilla-profile');
    await assertAccessible(page, 'vanilla /profile');
  });

  test('LoginPage_WrongPassword_ShowsAnErrorAndStaysOnTheLoginPage', async (t) => {
    const { page } = await newPage(t);
    await page.goto(app);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expectLoginPage(page);
    await page.getByLabel(/email/i).first().fill(users.alice.email);
    await page.getByLabel(/password/i).first().fill('not-the-password');
    await page.getByRole('button', { name: /(log|sign) ?in|continue/i }).first().click();
    await page.getByRole('alert').first().waitFor();
    assert.ok(page.url().startsWith(`${domain}/`), 'still on Latchkey');
    assert.equal(await page.getByLabel(/email/i).first().inputValue(), users.alice.email, 'the email is kept');
    await screenshot(page, 'login-page-error');

    // The right password then still completes the same login.
    await logIn(page, users.alice);
    await page.waitForURL(`${app}/`);
    await page.getByRole('button', { name: 'Log out' }).waitFor();
  });

  test('SpaJs_LoginWithPopup_CompletesThroughWebMessageToTheOpener', async (t) => {
    const { context, page } = await newPage(t);
    await page.goto(app);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    const popupOpened = context.waitForEvent('page');
    const login = page.evaluate(async () => {
      try {
        await auth0Client.loginWithPopup();
        return { ok: true, user: await auth0Client.getUser(), token: await auth0Client.getTokenSilently() };
      } catch (e) {
        return { ok: false, error: e.error, error_description: e.error_description, message: e.message };
      }
    });
    const popup = await popupOpened;
    await submitLogin(popup, users.carol);
    // The popup's last page posts {type:'authorization_response'} to window.opener; the SDK closes it.
    const result = await login;
    assert.ok(result.ok, `loginWithPopup failed: ${JSON.stringify(result)}`);
    assert.equal(result.user.email, users.carol.email);
    assert.ok([jwtPayload(result.token).aud].flat().includes(audience));
  });

  test('SpaJs_UseRefreshTokensWithMemoryCache_RefreshesThroughTheTokenWorker', async (t) => {
    const { context, page } = await newPage(t);
    await logInFromHome(page, users.carol);
    const network = recordNetwork(context);
    // The SDK's default with refresh tokens: the in-memory cache, with /oauth/token called from a Web Worker
    // that only accepts the exact path /oauth/token on the domain's origin.
    const result = await page.evaluate(async (options) => {
      const client = new auth0.Auth0Client(options);
      const tokens = [];
      try {
        for (let i = 0; i < 3; i++) tokens.push(await client.getTokenSilently({ cacheMode: 'off' }));
        return { ok: true, tokens };
      } catch (e) {
        return { ok: false, error: e.error, error_description: e.error_description, message: e.message };
      }
    }, options({ useRefreshTokens: true, useRefreshTokensFallback: true }));
    assert.ok(result.ok, `getTokenSilently failed: ${JSON.stringify(result)}`);
    for (const token of result.tokens) assert.ok([jwtPayload(token).aud].flat().includes(audience));
    // The first token comes through the iframe (no refresh token yet), the next two from the refresh grant.
    const grants = network.requests
      .filter((r) => isLatchkey(r.url, '/oauth/token') && r.method === 'POST')
      .map((r) => new URLSearchParams(r.postData).get('grant_type'));
    assert.deepEqual(grants, ['authorization_code', 'refresh_token', 'refresh_token']);
  });

  test('Vanilla_Logout_ReturnsToAppAndSilentCallFailsWithLoginRequired', async (t) => {
    const { context, page } = await newPage(t);
    await logInFromHome(page, users.bob);
    const network = recordNetwork(context);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${app}/`);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    const logout = network.requests.find((r) => isLatchkey(r.url, '/v2/logout?'));
    assert.ok(logout, 'the SDK called /v2/logout');
    assert.equal(new URL(logout.url).searchParams.get('returnTo'), app);

    // The app's own client, as a page would call it: the iframe gets login_required from Latchkey.
    const result = await page.evaluate(async () => {
      try {
        await auth0Client.getTokenSilently({ cacheMode: 'off' });
        return { ok: true };
      } catch (e) {
        return { ok: false, error: e.error, error_description: e.error_description };
      }
    });
    assert.equal(result.ok, false, 'silent authentication must fail after logout');
    assert.equal(result.error, 'login_required');
    assert.ok(result.error_description, 'the SDK surfaced error_description');
  });

  test('SpaJs_GetTokenSilentlyCacheOff_UsesTheWebMessageIframe', async (t) => {
    const { context, page } = await newPage(t);
    await logInFromHome(page, users.alice);
    const network = recordNetwork(context);

    const mark = network.mark();
    const result = await getTokenSilently(page, options(), { cacheMode: 'off' });
    assert.ok(result.ok, `getTokenSilently failed: ${JSON.stringify(result)}`);

    const steps = network.since(mark);
    const frame = steps.find((r) => isLatchkey(r.url, '/authorize?') && r.isFrame);
    assert.ok(frame, 'a hidden iframe loaded /authorize');
    const params = new URL(frame.url).searchParams;
    assert.equal(params.get('prompt'), 'none');
    assert.equal(params.get('response_mode'), 'web_message');
    const tokenCall = steps.find((r) => isLatchkey(r.url, '/oauth/token') && r.method === 'POST');
    assert.ok(tokenCall, 'the code from the iframe was redeemed at /oauth/token');
    assert.equal(new URLSearchParams(tokenCall.postData).get('grant_type'), 'authorization_code');
    assert.ok(!steps.some((r) => new URLSearchParams(r.postData).get('grant_type') === 'refresh_token'), 'no refresh grant on the iframe path');

    const { access_token, id_token, expires_in } = result.response;
    assert.equal(typeof expires_in, 'number');
    const claims = jwtPayload(access_token);
    assert.ok([claims.aud].flat().includes(audience), `access token aud ${JSON.stringify(claims.aud)}`);
    assert.equal(jwtPayload(id_token).aud, clients.spa);
  });

  test('SpaJs_UseRefreshTokens_RotatesTheRefreshTokenAndRejectsTheOldOne', async (t) => {
    const { context, page } = await newPage(t);
    await logInFromHome(page, users.alice);
    const network = recordNetwork(context);
    // localStorage (not the default memory cache + Web Worker) so the test can read the refresh token.
    const refreshOptions = options({ useRefreshTokens: true, cacheLocation: 'localstorage' });
    const cachedRefreshToken = () =>
      page.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('@@auth0spajs@@::') && k.includes('offline_access'));
        return key ? JSON.parse(localStorage.getItem(key)).body.refresh_token : null;
      });

    // No refresh token yet: the SDK gets the first one through the iframe (with offline_access).
    const first = await getTokenSilently(page, { ...refreshOptions, useRefreshTokensFallback: true }, { cacheMode: 'off' });
    assert.ok(first.ok, `first getTokenSilently failed: ${JSON.stringify(first)}`);
    const firstRefreshToken = await cachedRefreshToken();
    assert.ok(firstRefreshToken, 'the code exchange returned a refresh token for offline_access');

    const mark = network.mark();
    const second = await getTokenSilently(page, refreshOptions, { cacheMode: 'off' });
    assert.ok(second.ok, `refresh failed: ${JSON.stringify(second)}`);
    const steps = network.since(mark);
    assert.ok(!steps.some((r) => isLatchkey(r.url, '/authorize')), 'no iframe on the refresh-token path');
    const refresh = steps.find((r) => isLatchkey(r.url, '/oauth/token') && r.method === 'POST');
    assert.ok(refresh, 'a POST to /oauth/token');
    const body = new URLSearchParams(refresh.postData);
    assert.equal(body.get('grant_type'), 'refresh_token');
    assert.equal(body.get('refresh_token'), firstRefreshToken);
    const secondRefreshToken = await cachedRefreshToken();
    assert.ok(secondRefreshToken, 'the refresh response carried a refresh token');
    assert.notEqual(secondRefreshToken, firstRefreshToken, 'the refresh token was rotated');
    assert.ok(second.response.id_token, 'the refresh response carried an ID token');

    // Replaying the rotated-out token: the SDK raises Latchkey's invalid_grant as Auth0 words it.
    await page.evaluate((old) => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('@@auth0spajs@@::') && k.includes('offline_access'));
      const entry = JSON.parse(localStorage.getItem(key));
      entry.body.refresh_token = old;
      localStorage.setItem(key, JSON.stringify(entry));
    }, firstRefreshToken);
    const replay = await getTokenSilently(page, refreshOptions, { cacheMode: 'off' });
    assert.equal(replay.ok, false, 'a rotated-out refresh token must be refused');
    assert.equal(replay.error, 'invalid_grant');
    assert.equal(replay.error_description, 'Unknown or invalid refresh token.');
  });
});
