// Runs auth0-spa-js 2.27.0 (the npm file) inside an app's page, so the SDK itself makes and parses the
// requests: its errors come back as {error, error_description} exactly as the SDK raised them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const spaJsSource = readFileSync(
  fileURLToPath(new URL('../node_modules/@auth0/auth0-spa-js/dist/auth0-spa-js.production.js', import.meta.url)),
  'utf8',
);

/**
 * Makes `window.auth0` (the UMD build) available on the page if the app did not load it itself.
 * page.evaluate runs it at the page's global scope and is not subject to the page's CSP.
 */
export async function ensureSpaJs(page) {
  const present = await page.evaluate(() => typeof window.auth0?.createAuth0Client === 'function');
  if (!present) await page.evaluate(spaJsSource);
}

/**
 * Creates a new Auth0Client on the page with `options` and calls getTokenSilently(tokenOptions).
 * Resolves to {ok:true, response} or {ok:false, error, error_description, message, name}.
 */
export async function getTokenSilently(page, options, tokenOptions = {}) {
  await ensureSpaJs(page);
  return page.evaluate(
    async ({ options, tokenOptions }) => {
      const client = new window.auth0.Auth0Client(options);
      try {
        const response = await client.getTokenSilently({ detailedResponse: true, ...tokenOptions });
        return { ok: true, response };
      } catch (e) {
        return { ok: false, error: e.error, error_description: e.error_description, message: e.message, name: e.constructor?.name };
      }
    },
    { options, tokenOptions },
  );
}

export function spaOptions({ domain, clientId, audience, redirectUri, ...rest }) {
  return {
    domain,
    clientId,
    authorizationParams: { audience, redirect_uri: redirectUri },
    ...rest,
  };
}
