// samples/react (seeds 000, 002, 003): Vite + @auth0/auth0-react + React Router, a private /external-api
// route calling the API through the Vite proxy, and a Profile page on the Management API.
import { describe, test } from 'node:test';
import { apps, audience, clients, domain, managementAudience, users } from '../lib/env.mjs';
import { assert, expectLoginPage, isLatchkey, jwtPayload, logIn, newPage, recordNetwork, screenshot, useBrowser } from '../lib/browser.mjs';
import { getTokenSilently, spaOptions } from '../lib/spa.mjs';
import { assertAccessible } from '../lib/a11y.mjs';

const app = apps.react;

async function logInFromHome(page, user) {
  await page.goto(app);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await logIn(page, user);
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

/** Logs `user` in on the vanilla sample (another app of the same tenant) to learn their user id. */
async function userIdOf(t, user) {
  const { page } = await newPage(t);
  await page.goto(apps.vanilla);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await logIn(page, user);
  await page.getByRole('button', { name: 'Log out' }).waitFor();
  return page.evaluate(async () => (await auth0Client.getUser()).sub);
}

describe('react sample (@auth0/auth0-react)', () => {
  useBrowser();

  test('React_PrivateRouteWithoutLogin_LogsInReturnsAndPingsTheApi', async (t) => {
    const { context, page } = await newPage(t);
    const network = recordNetwork(context);

    await page.goto(`${app}/external-api`);
    await expectLoginPage(page);
    const authorize = network.requests.find((r) => isLatchkey(r.url, '/authorize?'));
    const params = new URL(authorize.url).searchParams;
    assert.equal(params.get('audience'), audience);
    assert.equal(JSON.parse(Buffer.from(params.get('auth0Client'), 'base64').toString()).name, 'auth0-react');

    await screenshot(page, 'login-page');
    await assertAccessible(page, 'the login page');
    await logIn(page, users.alice);
    await page.waitForURL(`${app}/external-api`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${app}/api/external`),
      page.getByRole('button', { name: 'Ping API' }).click(),
    ]);
    assert.equal(response.status(), 200, `/api/external answered ${response.status()}`);
    const body = await response.json();
    assert.ok(body.message);
    const token = response.request().headers().authorization?.replace(/^Bearer /, '');
    assert.ok(token, 'the call carried the access token');
    assert.ok([jwtPayload(token).aud].flat().includes(audience));
    await page.getByTestId('api-message').filter({ hasText: body.message }).waitFor();
    await screenshot(page, 'react-external-api');
    await assertAccessible(page, 'react /external-api');

    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByText(`Welcome back, ${users.alice.name}`).waitFor();
    await screenshot(page, 'react-home');
  });

  test('React_Logout_ReturnsToAppAndSilentCallFailsWithLoginRequired', async (t) => {
    const { page } = await newPage(t);
    await logInFromHome(page, users.bob);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${app}/`);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    await screenshot(page, 'react-logged-out');

    const result = await getTokenSilently(page, spaOptions({ domain, clientId: clients.spa, audience, redirectUri: app }), { cacheMode: 'off' });
    assert.equal(result.ok, false, 'silent authentication must fail after logout');
    assert.equal(result.error, 'login_required');

    await page.goto(`${app}/external-api`);
    await expectLoginPage(page);
  });

  test('React_Profile_ShowsAndEditsUserMetadataAndRefusesAnotherUser', async (t) => {
    const { context, page } = await newPage(t);
    const bobId = await userIdOf(t, users.bob);
    const network = recordNetwork(context);
    await logInFromHome(page, users.alice);

    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByTestId('user-metadata').getByText('"favorite_color": "teal"').waitFor();
    const managementCall = network.requests.find((r) => r.url.startsWith(`${domain}/api/v2/users/`) && r.headers.authorization);
    assert.ok(managementCall, 'the Profile page called the Management API');
    const token = managementCall.headers.authorization.replace(/^Bearer /, '');
    const claims = jwtPayload(token);
    assert.ok([claims.aud].flat().includes(managementAudience), `aud ${JSON.stringify(claims.aud)}`);
    assert.match(claims.scope, /\bread:current_user\b/);
    assert.match(claims.scope, /\bupdate:current_user_metadata\b/);

    // Seed 003's checkpoint: { "theme": "dark" }.
    await page.getByLabel('Theme').selectOption('dark');
    const [patch] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${domain}/api/v2/users/`) && r.request().method() === 'PATCH'),
      page.getByRole('button', { name: 'Save theme' }).click(),
    ]);
    assert.equal(patch.status(), 200);
    assert.deepEqual((await patch.json()).user_metadata, { favorite_color: 'teal', theme: 'dark' });
    await page.getByTestId('user-metadata').getByText('"theme": "dark"').waitFor();

    // A patch with null removes a key; the rest is merged at the top level.
    await page.getByLabel(/^Patch/).fill('{ "favorite_color": null, "layout": { "compact": true } }');
    await page.getByRole('button', { name: 'Apply patch' }).click();
    await page.getByTestId('user-metadata').getByText('"compact": true').waitFor();

    await page.reload();
    const metadata = page.getByTestId('user-metadata');
    await metadata.getByText('"theme": "dark"').waitFor();
    assert.equal(await metadata.getByText('favorite_color').count(), 0, 'the removed key stays removed');
    await screenshot(page, 'react-profile');
    await assertAccessible(page, 'react /profile');

    // Alice's Management API token must not read or change Bob's user, whichever way the | is sent.
    const attempts = await page.evaluate(
      async ({ domain, token, bobId }) => {
        const call = async (path, init = {}) => {
          const response = await fetch(`${domain}/api/v2/users/${path}`, {
            ...init,
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          });
          return { status: response.status, body: await response.json().catch(() => null) };
        };
        return [
          await call(encodeURIComponent(bobId)),
          await call(bobId),
          await call(encodeURIComponent(bobId), { method: 'PATCH', body: JSON.stringify({ user_metadata: { hacked: true } }) }),
        ];
      },
      { domain, token, bobId },
    );
    t.diagnostic(`another user's id: ${JSON.stringify(attempts[0].body)}`);
    for (const attempt of attempts) {
      assert.equal(attempt.status, 403, JSON.stringify(attempt));
      assert.equal(attempt.body?.statusCode, 403);
      assert.equal(attempt.body?.error, 'Forbidden');
      assert.equal(typeof attempt.body?.message, 'string');
      assert.equal(typeof attempt.body?.errorCode, 'string');
    }
  });

  test('React_UseRefreshTokensBuild_GetsARefreshTokenAndFallsBackToTheIframeForTheManagementApi', async (t) => {
    const { context, page } = await newPage(t);
    const network = recordNetwork(context);
    const app = apps.reactRefreshTokens;
    await page.goto(app);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await expectLoginPage(page);
    const authorize = network.requests.find((r) => isLatchkey(r.url, '/authorize?'));
    assert.match(new URL(authorize.url).searchParams.get('scope'), /\boffline_access\b/);
    const tokenResponse = context.waitForEvent('response', (r) => isLatchkey(r.url(), '/oauth/token') && r.request().method() === 'POST');
    await logIn(page, users.bob);
    const tokens = await (await tokenResponse).json();
    assert.ok(tokens.refresh_token, 'the code exchange returned a refresh token');
    await page.getByRole('button', { name: 'Log out' }).waitFor();
    await page.getByText('Refresh tokens').locator('xpath=following-sibling::dd[1]').filter({ hasText: 'on' }).waitFor();

    await page.getByRole('link', { name: 'External API', exact: true }).click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${app}/api/external`),
      page.getByRole('button', { name: 'Ping API' }).click(),
    ]);
    assert.equal(response.status(), 200);

    // A refresh token is bound to its audience (R6.3): the Management API token comes through the iframe.
    const mark = network.mark();
    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByTestId('user-metadata').getByText('No user metadata defined').waitFor();
    const frame = network.since(mark).find((r) => isLatchkey(r.url, '/authorize?') && r.isFrame);
    assert.ok(frame, 'the Management API token came through the iframe');
    assert.equal(new URL(frame.url).searchParams.get('audience'), managementAudience);

    const grants = network.requests
      .filter((r) => isLatchkey(r.url, '/oauth/token') && r.method === 'POST')
      .map((r) => new URLSearchParams(r.postData).get('grant_type'));
    assert.deepEqual(grants, ['authorization_code', 'authorization_code'], 'login, then the iframe code for the Management API');
    await screenshot(page, 'react-refresh-tokens-profile');
  });

  test('React_PostLoginAction_ItsIdTokenClaimIsInUseAuth0User', async (t) => {
    const { context, page } = await newPage(t);
    const tokenResponse = context.waitForEvent('response', (r) => isLatchkey(r.url(), '/oauth/token') && r.request().method() === 'POST');
    await logInFromHome(page, users.carol);
    const tokens = await (await tokenResponse).json();
    const greeting = `Hello from an Action, ${users.carol.name}`;
    assert.equal(jwtPayload(tokens.id_token)['https://quickstarts/greeting'], greeting, 'the Action set the claim in the ID token');
    assert.equal(jwtPayload(tokens.access_token)['https://quickstarts/greeting'], undefined, 'idToken.setCustomClaim leaves the access token alone');

    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByText('ID token claims').click();
    const claims = JSON.parse(await page.getByTestId('id-token-claims').innerText());
    assert.equal(claims['https://quickstarts/greeting'], greeting, 'useAuth0().user carries the claim');
    assert.equal(claims.email, users.carol.email);
    await screenshot(page, 'react-action-claim');
  });

  test('React_PostLoginActionDenies_SdkShowsAccessDeniedWithTheReason', async (t) => {
    const { context, page } = await newPage(t);
    const network = recordNetwork(context);
    await page.goto(app);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await logIn(page, users.dave);

    const alert = page.getByRole('alert').filter({ hasText: 'Sign-in failed' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /Dave may not use the samples \(browser-test Action\)/);
    assert.match(await alert.innerText(), /access_denied/);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    const callback = network.requests.find((r) => r.url.startsWith(`${app}/?`) && new URL(r.url).searchParams.has('error'));
    assert.ok(callback, 'Latchkey sent the browser back to the app with an error');
    assert.equal(new URL(callback.url).searchParams.get('error'), 'access_denied');
    assert.ok(!network.requests.some((r) => isLatchkey(r.url, '/oauth/token')), 'no code was issued, so no token request');
    await screenshot(page, 'react-action-denied');
  });
});
