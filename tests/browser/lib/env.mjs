// Where everything runs. run.sh starts the processes on these ports (tenant.json registers them).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const env = process.env;
const host = '127.0.0.1';
const url = (port) => `http://${host}:${port}`;

export const dirs = {
  browser: fileURLToPath(new URL('..', import.meta.url)),
  results: fileURLToPath(new URL('../test-results', import.meta.url)),
};
export const screenshotPath = (name) => join(dirs.results, `${name}.png`);

/** Latchkey's URL as the SDKs' `domain` (no trailing slash); the issuer is `${domain}/`. */
export const domain = url(env.LATCHKEY_PORT || 5400);
export const issuer = `${domain}/`;
export const apiUrl = url(env.API_PORT || 5401);

export const apps = {
  react: url(env.REACT_PORT || 5410),
  /** The same React sample built with VITE_USE_REFRESH_TOKENS=true. */
  reactRefreshTokens: url(env.REACT_RT_PORT || 5414),
  vanilla: url(env.VANILLA_PORT || 5411),
  angular: url(env.ANGULAR_PORT || 5412),
  legacy: url(env.LEGACY_PORT || 5413),
};

export const clients = { spa: 'tests-spa', legacy: 'tests-legacy' };
export const audience = 'https://quickstarts/api';
export const managementAudience = `${issuer}api/v2/`;

export const users = {
  alice: { email: 'alice@example.test', password: 'Alice-browser-tests-1', name: 'Alice Example' },
  bob: { email: 'bob@example.test', password: 'Bob-browser-tests-1', name: 'Bob Example' },
  carol: { email: 'carol@example.test', password: 'Carol-browser-tests-1', name: 'Carol Example' },
  /** The dashboard's users (tenant.json): a Tenant Administrator, a read-only administrator, one without any
   * Management API permission, and the user whose metadata the dashboard edits. */
  dashAdmin: { email: 'dash-admin@example.test', password: 'Dash-admin-browser-tests-1', name: 'Dana Admin' },
  dashReader: { email: 'dash-reader@example.test', password: 'Dash-reader-browser-tests-1', name: 'Rita Reader' },
  dashNobody: { email: 'dash-nobody@example.test', password: 'Dash-nobody-browser-tests-1', name: 'Nora Nobody' },
  erin: { email: 'erin@example.test', password: 'Erin-browser-tests-1', name: 'Erin Example' },
  // Refused by the tenant's post-login Action (tenant.json).
  dave: { email: 'dave@example.test', password: 'Dave-browser-tests-1', name: 'Dave Example' },
};
export const dashboard = `${issuer}dashboard`;
