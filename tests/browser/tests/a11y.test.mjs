// Each sample's home page, logged out, passes axe-core's WCAG 2.1 A/AA rules (serious and critical),
// on a desktop and a phone viewport, light and dark, and has a keyboard path to its login button.
import { describe, test } from 'node:test';
import { apps } from '../lib/env.mjs';
import { assert, newPage, screenshot, useBrowser } from '../lib/browser.mjs';
import { assertAccessible } from '../lib/a11y.mjs';

describe('sample pages are accessible', () => {
  useBrowser();

  for (const name of ['react', 'vanilla', 'angular']) {
    test(`${name[0].toUpperCase()}${name.slice(1)}_HomeLoggedOut_PassesAxeAndIsKeyboardReachable`, async (t) => {
      const { page } = await newPage(t);
      await page.goto(apps[name]);
      await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
      await assertAccessible(page, `${name} home`);

      // The first Tab stop is the skip link; the login button is reachable with the keyboard alone.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.textContent?.trim() === 'Log in');
      }
      assert.ok(reached, 'the Log in button is in the tab order');

      await page.setViewportSize({ width: 390, height: 844 });
      await assertAccessible(page, `${name} home (phone)`);
      await screenshot(page, `${name}-home-phone`);

      await page.emulateMedia({ colorScheme: 'dark' });
      await assertAccessible(page, `${name} home (phone, dark)`);
      await screenshot(page, `${name}-home-phone-dark`);
    });
  }
});
