// Headless Debian Chromium through playwright-core, one fresh context per test,
// and the few steps every test shares (log in on Latchkey's page, watch the network, screenshots).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { dirs, domain, screenshotPath } from './env.mjs';

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

let browser;
let pageCount = 0;
const slug = (name) => name.replace(/[^\w-]+/g, '_');

/** Launches one browser for the test file; each test gets its own context from newContext(). */
export function useBrowser() {
  before(async () => {
    mkdirSync(dirs.results, { recursive: true });
    browser = await chromium.launch(launchOptions);
  });
  after(async () => {
    await browser?.close();
  });
}

/** A fresh context (no cookies, no storage) and a page in it; closed when the test ends. */
export async function newPage(t, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  const page = await context.newPage();
  // The page as the test left it (pass or fail), for whoever reads test-results/.
  const index = ++pageCount;
  t.after(async () => {
    if (!page.isClosed()) await page.screenshot({ path: screenshotPath(`end-${slug(t.name)}-${index}`), fullPage: true }).catch(() => {});
    await context.close();
  });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  context.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  // Printed only when the test fails, to say what the browser saw.
  t.after(() => {
    if (problems.length > 0 && process.env.BROWSER_TEST_VERBOSE) t.diagnostic(problems.join('\n'));
  });
  return { context, page, problems };
}

/** Records every request the page (and its frames) makes; `since` marks where a step starts. */
export function recordNetwork(context) {
  const requests = [];
  context.on('request', (request) => {
    requests.push({
      url: request.url(),
      method: request.method(),
      type: request.resourceType(),
      isFrame: request.isNavigationRequest() && request.frame()?.parentFrame() != null,
      postData: request.postData() ?? '',
      headers: request.headers(),
    });
  });
  return {
    requests,
    mark: () => requests.length,
    since: (mark) => requests.slice(mark),
  };
}

export const isLatchkey = (url, path) => url.startsWith(`${domain}${path}`);

/** True when the page shows Latchkey's login page (of the test Latchkey unless `at` says otherwise). */
export async function expectLoginPage(page, at = domain) {
  await page.waitForURL((url) => url.href.startsWith(`${at}/`) && !url.pathname.startsWith('/authorize'));
  await page.getByLabel(/email/i).first().waitFor();
}

/** Fills Latchkey's login form and submits it. */
export async function submitLogin(page, user, { domain: at = domain } = {}) {
  await expectLoginPage(page, at);
  await page.getByLabel(/email/i).first().fill(user.email);
  await page.getByLabel(/password/i).first().fill(user.password);
  await page.getByRole('button', { name: /(log|sign) ?in|continue/i }).first().click();
}

/** Logs in on Latchkey's login page; the browser then follows the redirects back to the app. */
export async function logIn(page, user, options = {}) {
  const at = options.domain ?? domain;
  await Promise.all([
    page.waitForURL((url) => !url.href.startsWith(`${at}/`), { timeout: 20_000 }),
    submitLogin(page, user, options),
  ]);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
}

/** Decodes a JWT's payload without verifying it (the tests assert on the claims the SDK saw). */
export function jwtPayload(token) {
  const [, payload] = token.split('.');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

export { assert };
