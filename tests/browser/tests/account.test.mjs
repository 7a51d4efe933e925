// Account lifecycle in a real browser: auth0-js v9's `signup` and `changePassword` against /dbconnections, and
// "Forgot password?" on the login page through the mailed link. Without SMTP the Development server writes each message
// to <temp>/latchkey-mail (docs/account-lifecycle.md); the test reads the link from there, as a newcomer would.
import { describe, test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apps, clients, domain } from '../lib/env.mjs';
import { assert, newPage, screenshot, submitLogin, useBrowser } from '../lib/browser.mjs';

const page0 = `${apps.legacy}/legacy.html`;
const connection = 'Username-Password-Authentication';
const mailFolder = join(process.env.TMPDIR || tmpdir(), 'latchkey-mail');

const newEmail = (tag) => `${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.test`;

/** The account link of a message to `email` whose subject contains `subject` (quoted-printable decoded when so encoded). */
async function linkFromMail(email, subject) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const messages = readdirSync(mailFolder, { withFileTypes: true })
      .filter((f) => f.isFile() && f.name.endsWith('.eml'))
      .map((f) => readFileSync(join(mailFolder, f.name), 'utf8'))
      .map((m) => (/quoted-printable/i.test(m) ? m.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))) : m))
      .filter((m) => m.includes(email) && m.includes(subject));
    const link = messages.map((m) => m.match(/https?:\/\/\S+\/u\/[a-z-]+\?ticket=[A-Za-z0-9_-]+/)?.[0]).find(Boolean);
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no "${subject}" mail to ${email} in ${mailFolder}`);
}

const webAuthCall = (page, method, options) =>
  page.evaluate(
    ({ method, options }) =>
      new Promise((resolve) => window.webAuth[method](options, (err, result) => resolve({ err: err ? JSON.parse(JSON.stringify(err)) : null, result }))),
    { method, options },
  );

describe('account lifecycle', () => {
  useBrowser();

  test('Auth0Js_SignupAndChangePassword_AnswerAsAuth0', async (t) => {
    const { page } = await newPage(t);
    await page.goto(page0);
    await page.waitForFunction(() => window.webAuth);
    const email = newEmail('auth0js');

    const signup = await webAuthCall(page, 'signup', { connection, email, password: 'Signup-browser-tests-1', user_metadata: { plan: 'trial' } });
    assert.equal(signup.err, null, `signup failed: ${JSON.stringify(signup.err)}`);
    assert.equal(signup.result.email, email);
    assert.equal(signup.result.emailVerified ?? signup.result.email_verified, false);
    await linkFromMail(email, 'Verify your email');

    const weak = await webAuthCall(page, 'signup', { connection, email: newEmail('weak'), password: 'short' });
    assert.equal(weak.err?.code, 'invalid_password');

    const change = await webAuthCall(page, 'changePassword', { connection, email });
    assert.equal(change.err, null, `changePassword failed: ${JSON.stringify(change.err)}`);
    assert.equal(change.result, "We've just sent you an email to reset your password.");
    await linkFromMail(email, 'Reset your');
  });

  test('LoginPage_ForgotPassword_MailedLinkSetsANewPassword', async (t) => {
    const email = newEmail('forgot');
    const signup = await fetch(`${domain}/dbconnections/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: clients.legacy, connection, email, password: 'Forgot-browser-tests-1' }),
    });
    assert.equal(signup.status, 200);

    const { page } = await newPage(t);
    await page.goto(`${domain}/login`);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await screenshot(page, 'account-forgot-sent');

    await page.goto(await linkFromMail(email, 'Reset your'));
    await page.getByLabel('New password', { exact: true }).fill('Forgot-browser-tests-2');
    await page.getByLabel('Confirm new password').fill('Forgot-browser-tests-2');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();
    await screenshot(page, 'account-password-changed');

    await page.goto(`${domain}/login`);
    await submitLogin(page, { email, password: 'Forgot-browser-tests-2' });
    // Without a returnUrl the login page comes back, now saying who is logged in.
    await page.getByText(`You are logged in as ${email}`).waitFor();
    const session = await page.context().cookies(domain);
    assert.ok(session.some((c) => c.name === 'latchkey_session'), 'the new password logs in');
  });
});
