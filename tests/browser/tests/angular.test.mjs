// samples/angular (seed 004): @auth0/auth0-angular, authGuardFn, and authHttpInterceptorFn attaching
// the token to the sample API's private endpoints only.
import { describe, test } from 'node:test';
import { apiUrl, apps, audience, clients, domain, users } from '../lib/env.mjs';
import { assertAccessible } from '../lib/a11y.mjs';
import { assert, expectLoginPage, isLatchkey, jwtPayload, logIn, newPage, recordNetwork, screenshot, useBrowser } from '../lib/browser.mjs';
import { getTokenSilently, spaOptions } from '../lib/spa.mjs';

const app = apps.angular;

describe('angular sample (@auth0/auth0-angular)', () => {
  useBrowser();

  test('Angular_PrivateRouteWithoutLogin_LogsInAndInterceptorAttachesToken', async (t) => {
    const { context, page } = await newPage(t);
    const network = recordNetwork(context);

    await page.goto(`${app}/external-api`);
    await expectLoginPage(page);
    const authorize = network.requests.find((r) => isLatchkey(r.url, '/authorize?'));
    const telemetry = JSON.parse(Buffer.from(new URL(authorize.url).searchParams.get('auth0Client'), 'base64').toString());
    assert.equal(telemetry.name, '@auth0/auth0-angular');

    await logIn(page, users.carol);
    await page.waitForURL(`${app}/external-api`);

    const [privateResponse] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${apiUrl}/api/private`),
      page.getByRole('button', { name: 'Ping private', exact: true }).click(),
    ]);
    assert.equal(privateResponse.status(), 200, `/api/private answered ${privateResponse.status()}`);
    const token = privateResponse.request().headers().authorization?.replace(/^Bearer /, '');
    assert.ok(token, 'the interceptor attached the access token');
    assert.ok([jwtPayload(token).aud].flat().includes(audience));
    const body = await privateResponse.json();
    await page.getByTestId('api-message').filter({ hasText: body.message }).waitFor();

    const [scopedResponse] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${apiUrl}/api/private-scoped`),
      page.getByRole('button', { name: 'Ping private scoped' }).click(),
    ]);
    assert.equal(scopedResponse.status(), 200, `/api/private-scoped answered ${scopedResponse.status()}`);

    const [publicResponse] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${apiUrl}/api/public`),
      page.getByRole('button', { name: 'Ping public' }).click(),
    ]);
    assert.equal(publicResponse.request().headers().authorization, undefined, 'no token outside allowedList');
    await page.getByTestId('api-message').filter({ hasText: (await publicResponse.json()).message }).waitFor();
    await screenshot(page, 'angular-external-api');
    await assertAccessible(page, 'angular /external-api');

    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await page.getByText(`Welcome back, ${users.carol.name}`).waitFor();
    await screenshot(page, 'angular-home');

    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByRole('heading', { name: users.carol.name, level: 1 }).waitFor();
    await page.getByText(users.carol.email).first().waitFor();
    await screenshot(page, 'angular-profile');
    await assertAccessible(page, 'angular /profile');
  });

  test('Angular_Logout_ReturnsToAppAndSilentCallFailsWithLoginRequired', async (t) => {
    const { context, page } = await newPage(t);
    await page.goto(app);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await logIn(page, users.bob);
    await page.getByRole('button', { name: 'Log out' }).waitFor();

    const network = recordNetwork(context);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(`${app}/`);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    assert.ok(network.requests.some((r) => isLatchkey(r.url, '/v2/logout?')), 'the SDK called /v2/logout');

    const result = await getTokenSilently(page, spaOptions({ domain, clientId: clients.spa, audience, redirectUri: app }), { cacheMode: 'off' });
    assert.equal(result.ok, false, 'silent authentication must fail after logout');
    assert.equal(result.error, 'login_required');
  });
});
