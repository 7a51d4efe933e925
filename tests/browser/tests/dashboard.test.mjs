// The dashboard (issue 11, docs/dashboard.md) at <issuer>dashboard: a build-free SPA that signs administrators in
// with auth0-spa-js against Latchkey and does everything through /api/v2 with their own token.
import { describe, test } from 'node:test';
import { apps, dashboard, domain, users } from '../lib/env.mjs';
import { assert, jwtPayload, logIn, newPage, screenshot, submitLogin, useBrowser } from '../lib/browser.mjs';
import { getTokenSilently, spaOptions } from '../lib/spa.mjs';
import { assertAccessible } from '../lib/a11y.mjs';

const unique = () => Math.random().toString(36).slice(2, 8);
const nav = (page) => page.getByRole('navigation', { name: 'Dashboard' });

/** Opens the dashboard and signs in on Latchkey's login page; resolves when the navigation shows. */
async function signIn(page, user) {
  await page.goto(dashboard);
  await submitLogin(page, user);
  await nav(page).getByRole('link', { name: 'APIs', exact: true }).waitFor();
}

/** A user's page: through the search when GET /users exists, else by id (the "Open a user by ID" form). */
async function openUser(page, user, userId) {
  await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
  await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
  const searchable = await page.getByText('Not available').waitFor({ timeout: 3000 }).then(() => false, () => true);
  if (searchable) {
    await page.getByRole('searchbox').fill(user.email);
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('status').getByText(`1 user matches “${user.email}”`).waitFor();
    // The result stays the same element once shown: a page that keeps re-rendering it cannot be clicked.
    const link = page.getByRole('link', { name: new RegExp(user.email.replace('.', '\\.')) });
    const shown = await link.elementHandle();
    await page.waitForTimeout(500);
    assert.equal(await shown.evaluate((el) => el.isConnected), true, 'the Users page re-rendered its search result');
    await link.click();
  } else {
    await page.getByLabel('User ID').fill(userId);
    await page.getByRole('button', { name: 'Open' }).click();
  }
  await page.getByRole('heading', { name: user.name, level: 1 }).waitFor();
}

describe('dashboard', () => {
  useBrowser();

  test('Dashboard_Admin_CreatesApiPermissionAndSpaApplication_UserTokenCarriesThePermission', async (t) => {
    const { page } = await newPage(t);
    await signIn(page, users.dashAdmin);
    for (const name of ['APIs', 'Applications', 'Users', 'Roles', 'Logs', 'Settings']) {
      await nav(page).getByRole('link', { name, exact: true }).click();
      await page.getByRole('heading', { name, level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      await screenshot(page, `dashboard-${name.toLowerCase()}`);
    }

    // Create API (Name, Identifier, Create), then a permission (Permission, Description, Add).
    const identifier = `https://reports-${unique()}.example.test`;
    await nav(page).getByRole('link', { name: 'APIs', exact: true }).click();
    await page.getByRole('button', { name: 'Create API' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Reports API');
    await page.getByLabel('Identifier', { exact: true }).fill(identifier);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Reports API', level: 1 }).waitFor();
    await page.getByLabel('Permission', { exact: true }).fill('read:reports');
    await page.getByLabel('Description', { exact: true }).fill('Read reports');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('cell', { name: 'read:reports', exact: true }).waitFor();
    await screenshot(page, 'dashboard-api');

    // A single-page Application allowed on the auth0-js test page's origin.
    await nav(page).getByRole('link', { name: 'Applications', exact: true }).click();
    await page.getByRole('button', { name: 'Create Application' }).click();
    await page.getByLabel('Name', { exact: true }).fill(`Reports SPA ${unique()}`);
    await page.getByLabel('Application type').selectOption('spa');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('link', { name: /^Reports SPA/ }).first().click();
    const clientId = (await page.getByText(/^Client ID: /).textContent()).replace('Client ID: ', '').trim();
    await page.getByLabel('Allowed Callback URLs').fill(`${apps.legacy}/legacy.html`);
    await page.getByLabel('Allowed Web Origins').fill(apps.legacy);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    await screenshot(page, 'dashboard-application');

    // Bob's token for the new API, through the new Application, carries the permission.
    const { page: bob } = await newPage(t);
    // Bob's login session first (the silent call needs one). The login POST redirects to returnUrl, which must be a page
    // that answers 200: Latchkey's "/" is a 404 without a body, which Chromium turns into a chrome-error page, and a
    // navigation started before that redirect lands is aborted. So: a real page, and wait for its URL.
    const discovery = `${domain}/.well-known/openid-configuration`;
    await bob.goto(`${domain}/login?returnUrl=${encodeURIComponent('/.well-known/openid-configuration')}`);
    await Promise.all([bob.waitForURL(discovery), submitLogin(bob, users.bob)]);
    await bob.goto(`${apps.legacy}/legacy.html`);
    const result = await getTokenSilently(bob, spaOptions({ domain, clientId, audience: identifier, redirectUri: `${apps.legacy}/legacy.html` }),
      { cacheMode: 'off', authorizationParams: { scope: 'openid read:reports' } });
    assert.equal(result.ok, true, JSON.stringify(result));
    const claims = jwtPayload(result.response.access_token);
    assert.ok([claims.aud].flat().includes(identifier), `aud ${JSON.stringify(claims.aud)}`);
    assert.match(claims.scope, /\bread:reports\b/);

    // RBAC switches persist.
    await nav(page).getByRole('link', { name: 'APIs', exact: true }).click();
    await page.getByRole('link', { name: 'Reports API' }).click();
    await page.getByLabel('Enable RBAC').check();
    await page.getByLabel('Add permissions in the access token').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Reports API', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Enable RBAC').isChecked(), true);
    assert.equal(await page.getByLabel('Add permissions in the access token').isChecked(), true);

    // Phone width: the navigation stays usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await screenshot(page, 'dashboard-users-phone');
  });

  test('Dashboard_Seed003Checkpoint_MetadataEditedInTheDashboardShowsInTheReactProfile_InvalidJsonRefused', async (t) => {
    // Erin on the React sample's Profile page (seed 003).
    const { page: erin } = await newPage(t);
    await erin.goto(apps.react);
    await erin.getByRole('button', { name: 'Log in', exact: true }).click();
    await logIn(erin, users.erin);
    await erin.getByRole('link', { name: 'Profile', exact: true }).click();
    await erin.getByTestId('user-metadata').getByText('"favorite_color": "green"').waitFor();
    const erinId = (await erin.getByText(/^latchkey\|/).first().textContent()).trim();

    const { page } = await newPage(t);
    await signIn(page, users.dashAdmin);
    await openUser(page, users.erin, erinId);
    const form = page.getByRole('form', { name: 'user_metadata' });
    const editor = form.getByLabel('user_metadata', { exact: true });
    assert.match(await editor.inputValue(), /"favorite_color": "green"/);

    // Invalid JSON: an alert, nothing saved.
    await editor.fill('{ "theme": dark ');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').getByText(/not valid JSON/).waitFor();
    await screenshot(page, 'dashboard-user-invalid-json');

    // The checkpoint: { "theme": "dark" }.
    await editor.fill('{ "favorite_color": "green", "theme": "dark" }');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByText('Saved.').waitFor();
    assert.equal(await form.getByRole('alert').isVisible(), false);
    await screenshot(page, 'dashboard-user');

    await erin.reload();
    await erin.getByTestId('user-metadata').getByText('"theme": "dark"').waitFor();
    await screenshot(erin, 'dashboard-react-profile-after-edit');
  });

  test('Dashboard_CreateUser_ShowsTheManagementApiMessageThenTheNewUserLogsInToTheReactSample', async (t) => {
    const { page } = await newPage(t);
    await signIn(page, users.dashAdmin);
    await nav(page).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('button', { name: 'Create User' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    const email = `new-${unique()}@example.test`;
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Password').fill('short');
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    // The Management API's validation message, as it words it, in the form's alert.
    await form.getByRole('alert').getByText(/password/i).waitFor();
    await screenshot(page, 'dashboard-create-user-refused');

    const password = `Fresh-${unique()}-password-1`;
    await form.getByLabel('Password').fill(password);
    await form.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: email, level: 1 }).waitFor();
    await screenshot(page, 'dashboard-created-user');

    const { page: app } = await newPage(t);
    await app.goto(apps.react);
    await app.getByRole('button', { name: 'Log in', exact: true }).click();
    await logIn(app, { email, password });
    await app.getByRole('link', { name: 'Profile', exact: true }).click();
    await app.getByText(email, { exact: true }).first().waitFor();
  });

  test('Dashboard_DisableSignUps_LoginPageHidesAndRefusesSignUp', async (t) => {
    // A visitor sees the sign-up link while sign-up is on.
    const { page: visitor } = await newPage(t);
    await visitor.goto(`${domain}/login?returnUrl=%2F`);
    await visitor.getByRole('link', { name: 'Sign up' }).waitFor();

    const { page } = await newPage(t);
    await signIn(page, users.dashAdmin);
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const form = page.getByRole('form', { name: 'Database connection' });
    const save = async () => {
      await form.getByRole('button', { name: 'Save connection' }).click();
      await form.getByText('Saved.').waitFor();
    };
    await form.getByLabel('Disable sign-ups').check();
    await form.getByLabel('Password policy').selectOption('good');
    await form.getByLabel('Minimum password length').fill('12');
    await save();
    await screenshot(page, 'dashboard-settings-connection');
    try {
      // Now the login page offers no sign-up, and /signup itself refuses (Auth0's disable_signup).
      await visitor.reload();
      await visitor.getByLabel(/email/i).first().waitFor();
      assert.equal(await visitor.getByRole('link', { name: 'Sign up' }).count(), 0);
      const refused = await visitor.goto(`${domain}/signup?returnUrl=%2F`);
      assert.equal(refused.status(), 403);
      await visitor.getByText('Sign-up is turned off').waitFor();

      // The options came back as saved.
      await page.reload();
      await form.getByLabel('Password policy').waitFor();
      assert.equal(await form.getByLabel('Disable sign-ups').isChecked(), true);
      assert.equal(await form.getByLabel('Password policy').inputValue(), 'good');
      assert.equal(await form.getByLabel('Minimum password length').inputValue(), '12');
    } finally {
      // The connection is the whole tenant's: put it back for the tests after this one.
      await form.getByLabel('Disable sign-ups').uncheck();
      await form.getByLabel('Password policy').selectOption('none');
      await form.getByLabel('Minimum password length').fill('8');
      await save();
    }
  });

  test('Dashboard_RotateSigningKey_ConfirmedRotationMakesTheNextKeyCurrent', async (t) => {
    const { page } = await newPage(t);
    await signIn(page, users.dashAdmin);
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    const currentRow = () => page.getByRole('row').filter({ has: page.getByText('Current', { exact: true }) });
    const currentKid = async () => (await currentRow().getByRole('cell').first().textContent()).trim();
    const before = await currentKid();

    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Make the next key current?').waitFor();
    await screenshot(page, 'dashboard-settings-rotate-confirm');
    await dialog.getByRole('button', { name: 'Rotate' }).click();
    await page.getByRole('row').filter({ hasText: before }).getByText('Previous', { exact: true }).waitFor();
    const after = await currentKid();
    assert.notEqual(after, before);
    await screenshot(page, 'dashboard-settings-rotated');
  });

  test('Dashboard_UserWithoutManagementPermission_SeesOnlyNotAllowed', async (t) => {
    const { page } = await newPage(t);
    await page.goto(dashboard);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(dashboard) && r.request().isNavigationRequest()),
      submitLogin(page, users.dashNobody),
    ]);
    assert.equal(response.status(), 403);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    assert.equal(await page.getByRole('navigation').count(), 0);
    assert.equal(await page.getByText('Quickstarts API').count(), 0);
    await screenshot(page, 'dashboard-not-allowed');
  });

  test('Dashboard_ReadOnlyAdmin_SeesDataButNoEnabledSaveButton', async (t) => {
    const { page } = await newPage(t);
    await signIn(page, users.dashReader);
    await page.getByRole('link', { name: 'Quickstarts API (browser tests)' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create API' }).isDisabled(), true);
    await page.getByRole('link', { name: 'Quickstarts API (browser tests)' }).click();
    await page.getByText('Read-only: your roles do not grant update:resource_servers.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).isDisabled(), true);
    assert.equal(await page.getByRole('button', { name: 'Add', exact: true }).isDisabled(), true);
    await nav(page).getByRole('link', { name: 'Settings', exact: true }).click();
    assert.equal(await page.getByRole('button', { name: 'Rotate', exact: true }).isDisabled(), true);
    await screenshot(page, 'dashboard-read-only');
  });

  test('Dashboard_EveryPage_PassesAxeAtDesktopAndPhoneWidthAndIsKeyboardNavigable', async (t) => {
    const { page } = await newPage(t);
    await signIn(page, users.dashAdmin);

    // Keyboard: the first Tab stop is the skip link, the navigation follows, and the focused element shows an outline.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
    const focusVisible = () => page.evaluate(() => {
      const style = getComputedStyle(document.activeElement);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    });
    assert.equal(await focusVisible(), true, 'the skip link shows its focus');
    const reached = [];
    for (let i = 0; i < 12 && reached.length < 6; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => (document.activeElement?.closest('nav') ? document.activeElement.textContent.trim() : null));
      if (name) {
        reached.push(name);
        assert.equal(await focusVisible(), true, `${name} shows its focus`);
      }
    }
    assert.deepEqual(reached, ['APIs', 'Applications', 'Users', 'Roles', 'Logs', 'Settings']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    const section = (name) => () => nav(page).getByRole('link', { name, exact: true }).click();
    const check = async (label, open, ready) => {
      await open();
      await ready.waitFor();
      await page.waitForLoadState('networkidle');
      await assertAccessible(page, `${label} (1280 px)`);
      await page.setViewportSize({ width: 390, height: 844 });
      await assertAccessible(page, `${label} (phone)`);
      await page.setViewportSize({ width: 1280, height: 800 });
    };
    const h1 = (name) => page.getByRole('heading', { name, level: 1 });
    await check('APIs', section('APIs'), h1('APIs'));
    await check('an API', () => page.getByRole('link', { name: 'Quickstarts API (browser tests)' }).click(), h1('Quickstarts API (browser tests)'));
    await check('Applications', section('Applications'), h1('Applications'));
    await check('an application', () => page.getByRole('main').getByRole('table').getByRole('link').first().click(), page.getByText(/^Client ID: /));
    await check('Users', section('Users'), page.getByRole('main').getByRole('table'));
    await check('a user', () => openUser(page, users.erin), page.getByRole('form', { name: 'user_metadata' }));
    await check('Roles', section('Roles'), h1('Roles'));
    await check('a role', () => page.getByRole('link', { name: 'Tenant Administrator' }).click(), h1('Tenant Administrator'));
    await check('Logs', section('Logs'), h1('Logs'));
    await check('Settings', section('Settings'), page.getByRole('form', { name: 'Database connection' }));

    const { page: nobody } = await newPage(t);
    await nobody.goto(dashboard);
    await submitLogin(nobody, users.dashNobody);
    await nobody.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await assertAccessible(nobody, 'Not allowed (1280 px)');
    await nobody.setViewportSize({ width: 390, height: 844 });
    await assertAccessible(nobody, 'Not allowed (phone)');
  });
});
