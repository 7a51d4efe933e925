// The newcomer's path from the READMEs, with nothing configured: `dotnet run --project src/Latchkey.Server`
// (the seeded development tenant on http://localhost:5000, demo password printed once), the sample API on :3001,
// and the React (:3000) and Angular (:4200) samples with their default configuration.
// run.sh starts that stack when those ports are free and passes the printed password in DEV_DEMO_PASSWORD.
import { describe, test } from 'node:test';
import { assert, logIn, newPage, screenshot, useBrowser } from '../lib/browser.mjs';

const password = process.env.DEV_DEMO_PASSWORD;
const demo = { email: 'demo@latchkey.local', password, name: 'Demo User' };
const skip = password ? false : 'the development stack was not started (ports 5000/3000/3001/4200 in use)';

describe('development tenant with the samples on their default ports', { skip }, () => {
  useBrowser();

  test('DevTenant_ReactSampleDefaults_LogsInCallsTheApiAndReadsTheProfile', async (t) => {
    const { page } = await newPage(t);
    await page.goto('http://localhost:3000/');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await logIn(page, demo, { domain: 'http://localhost:5000' });
    await page.getByText(`Welcome back, ${demo.name}`).waitFor();

    await page.getByRole('link', { name: 'External API', exact: true }).click();
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === 'http://localhost:3000/api/external'),
      page.getByRole('button', { name: 'Ping API' }).click(),
    ]);
    assert.equal(response.status(), 200);
    await page.getByTestId('api-message').filter({ hasText: (await response.json()).message }).waitFor();

    await page.getByRole('link', { name: 'Profile', exact: true }).click();
    await page.getByTestId('user-metadata').getByText('No user metadata defined').waitFor();
    await screenshot(page, 'dev-react-profile');
  });

  test('DevTenant_AngularSampleDefaults_LogsInAndCallsTheScopedEndpoint', async (t) => {
    const { page } = await newPage(t);
    await page.goto('http://localhost:4200/external-api');
    await logIn(page, demo, { domain: 'http://localhost:5000' });
    await page.waitForURL('http://localhost:4200/external-api');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url() === 'http://localhost:3001/api/private-scoped'),
      page.getByRole('button', { name: 'Ping private scoped' }).click(),
    ]);
    assert.equal(response.status(), 200);
    await page.getByTestId('api-message').filter({ hasText: (await response.json()).message }).waitFor();
  });
});
