// Auth0's own Node management SDK (npm "auth0", ManagementClient) driving a real Latchkey over https, unchanged:
// the script Latchkey.Server.Tests' ManagementSdkTests runs. Each step is named and reported on its own line
// ("STEP passed|failed|skipped <name> — <detail>"). A step whose endpoint another branch adds is gated on the route:
// it is skipped only when Latchkey's router answers 404 "Not Found" (no errorCode) or 405 for that method and path;
// the .NET test checks every gate against the server's route table, so a gated step can never pass by being skipped.
//
// Environment: LATCHKEY_DOMAIN (127.0.0.1:<port>), LATCHKEY_CLIENT_ID, LATCHKEY_CLIENT_SECRET (an application with a
// client grant for https://<domain>/api/v2/), LATCHKEY_SEED_USER_ID (a user from the tenant file),
// NODE_EXTRA_CA_CERTS (the PEM of the server's self-signed certificate).
import assert from 'node:assert/strict';
import { ManagementClient } from 'auth0';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';

const domain = process.env.LATCHKEY_DOMAIN;
const clientId = process.env.LATCHKEY_CLIENT_ID;
const clientSecret = process.env.LATCHKEY_CLIENT_SECRET;
const seedUserId = process.env.LATCHKEY_SEED_USER_ID;
const base = `https://${domain}`;
const issuer = `${base}/`;
const management = new ManagementClient({ domain, clientId, clientSecret });

const run = Date.now().toString(36);
const api = { identifier: `https://sdk-orders-${run}.example.com/`, scopes: [{ value: 'read:orders', description: 'Read orders' }, { value: 'write:orders', description: 'Write orders' }] };
const state = {};

function describe(error) {
  const status = error?.statusCode ?? error?.status;
  const body = error?.body ?? error?.rawResponse?.body;
  return `${status ? status + ' ' : ''}${body ? JSON.stringify(body) : error?.message ?? String(error)}`;
}

function report(status, name, detail = '') {
  console.log(`STEP ${status} ${name}${detail ? ' — ' + detail.replaceAll('\n', ' ') : ''}`);
}

let managementToken;
async function rawManagementToken() {
  managementToken ??= (await clientCredentials(clientId, clientSecret, `${base}/api/v2/`)).body.access_token;
  return managementToken;
}

/** True unless the router itself answers: 404 "Not Found" without an errorCode, or 405 (the path exists for other methods). */
async function routeExists(method, path, body) {
  const response = await fetch(`${base}/api/v2/${path}`, {
    method,
    headers: { authorization: `Bearer ${await rawManagementToken()}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 405) return false;
  if (response.status !== 404) return true;
  const error = await response.json().catch(() => ({}));
  return !(error.message === 'Not Found' && error.errorCode === undefined);
}

async function step(name, action, gate) {
  if (gate) {
    let exists;
    try {
      exists = await routeExists(gate.method, gate.path, gate.body);
    } catch (error) {
      report('failed', name, `route check ${gate.method} ${gate.path}: ${describe(error)}`);
      return;
    }
    if (!exists) {
      report('skipped', name, `${gate.method} /api/v2/${gate.path} is not routed on this server`);
      return;
    }
  }
  try {
    await action();
    report('passed', name);
  } catch (error) {
    report('failed', name, describe(error));
  }
}

async function clientCredentials(id, secret, audience) {
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret, audience }),
  });
  return { status: response.status, body: await response.json() };
}

async function verifiedM2MToken() {
  const { status, body } = await clientCredentials(state.m2m.client_id, state.m2m.client_secret, api.identifier);
  assert.equal(status, 200, JSON.stringify(body));
  const jwks = createRemoteJWKSet(new URL(`${base}/.well-known/jwks.json`), { cacheMaxAge: 0, cooldownDuration: 0 });
  const { payload } = await jwtVerify(body.access_token, jwks, { issuer, audience: api.identifier });
  assert.equal(payload.sub, `${state.m2m.client_id}@clients`);
  assert.deepEqual(payload.scope.split(' '), ['read:orders']);
  return body.access_token;
}

async function expectStatus(promise, status) {
  try {
    await promise;
  } catch (error) {
    assert.equal(error.statusCode, status, describe(error));
    return error;
  }
  assert.fail(`expected ${status}, got a success`);
}

const users = { method: 'POST', path: 'users', body: {} };
const search = { method: 'GET', path: 'users?per_page=1' };
const deleteUser = { method: 'DELETE', path: `users/${encodeURIComponent('latchkey|000000000000000000000000')}` };
const logs = { method: 'GET', path: 'logs?per_page=1' };

await step('resource-servers: create an API with scopes', async () => {
  const created = await management.resourceServers.create({ name: 'SDK Orders', identifier: api.identifier, scopes: api.scopes, allow_offline_access: true, token_lifetime: 3600 });
  assert.equal(created.identifier, api.identifier);
  assert.deepEqual(created.scopes.map((s) => s.value), ['read:orders', 'write:orders']);
  state.apiId = created.id;
  const listed = await management.resourceServers.list({ per_page: 50, include_totals: true });
  assert.ok(listed.data.some((s) => s.identifier === api.identifier));
});

await step('clients: create a SPA', async () => {
  const spa = await management.clients.create({
    name: 'SDK SPA', app_type: 'spa', callbacks: ['http://localhost:3000/callback'], web_origins: ['http://localhost:3000'],
    allowed_logout_urls: ['http://localhost:3000'], grant_types: ['authorization_code', 'refresh_token'],
  });
  assert.equal(spa.app_type, 'spa');
  assert.equal(spa.token_endpoint_auth_method, 'none');
  assert.equal(spa.client_secret, undefined);
  state.spa = spa;
  assert.equal((await management.clients.get(spa.client_id)).name, 'SDK SPA');
});

await step('clients: create an M2M application', async () => {
  const m2m = await management.clients.create({ name: 'SDK worker', app_type: 'non_interactive', grant_types: ['client_credentials'] });
  assert.match(m2m.client_secret, /^[A-Za-z0-9_-]{43,}$/);
  state.m2m = m2m;
});

await step('client-grants: grant the M2M application the API', async () => {
  const grant = await management.clientGrants.create({ client_id: state.m2m.client_id, audience: api.identifier, scope: ['read:orders'] });
  assert.match(grant.id, /^cgr_/);
  state.clientGrant = grant;
  const listed = await management.clientGrants.list({ audience: api.identifier });
  assert.deepEqual(listed.data.map((g) => g.id), [grant.id]);
});

await step('oauth: the M2M application gets a token for the new API without a restart (jose against the JWKS)', async () => {
  await verifiedM2MToken();
});

await step('roles: create a role with permissions', async () => {
  const role = await management.roles.create({ name: `sdk-clerk-${run}`, description: 'Reads orders' });
  await management.roles.permissions.add(role.id, { permissions: [{ resource_server_identifier: api.identifier, permission_name: 'read:orders' }] });
  const permissions = await management.roles.permissions.list(role.id);
  assert.deepEqual(permissions.data.map((p) => p.permission_name), ['read:orders']);
  state.role = role;
});

await step('roles: assign the role to a user', async () => {
  await management.users.roles.assign(seedUserId, { roles: [state.role.id] });
  const roles = await management.users.roles.list(seedUserId);
  assert.ok(roles.data.some((r) => r.id === state.role.id));
  const members = await management.roles.users.list(state.role.id);
  assert.deepEqual(members.data.map((u) => u.user_id), [seedUserId]);
});

await step('roles: page with totals', async () => {
  state.moreRoles = [];
  for (const suffix of ['a', 'b']) state.moreRoles.push(await management.roles.create({ name: `sdk-extra-${suffix}-${run}` }));
  const first = await management.roles.list({ per_page: 1, page: 0, include_totals: true, name_filter: `-${run}` });
  assert.equal(first.data.length, 1);
  assert.equal(first.response.total, 3);
  assert.ok(first.hasNextPage());
  const seen = [];
  for await (const role of first) seen.push(role.id);
  assert.equal(new Set(seen).size, 3);
});

await step('connections: read the database connection', async () => {
  const connections = await management.connections.list({ strategy: ['auth0'] });
  const database = connections.data.find((c) => c.name === 'Username-Password-Authentication');
  assert.ok(database, JSON.stringify(connections.data));
  assert.equal(database.strategy, 'auth0');
  assert.match(database.id, /^con_/);
  state.connection = database;
  assert.equal((await management.connections.get(database.id)).name, 'Username-Password-Authentication');
});

await step('connections: update the options Latchkey honours', async () => {
  const updated = await management.connections.update(state.connection.id, { options: { disable_signup: true, password_complexity_options: { min_length: 10 }, brute_force_protection: true } });
  assert.equal(updated.options.disable_signup, true);
  assert.equal(updated.options.password_complexity_options.min_length, 10);
  const refused = await expectStatus(management.connections.update(state.connection.id, { options: { enabledDatabaseCustomization: true } }), 400);
  assert.equal(refused.body.errorCode, 'invalid_body');
  const restored = await management.connections.update(state.connection.id, { options: {} });
  assert.equal(restored.options.disable_signup, false);
});

await step('grants and refresh tokens: read a user\'s', async () => {
  const grants = await management.userGrants.list({ user_id: seedUserId });
  assert.ok(Array.isArray(grants.data));
  const tokens = await management.users.refreshToken.list(seedUserId);
  assert.ok(Array.isArray(tokens.data));
  await management.users.refreshToken.delete(seedUserId);
  await management.userGrants.deleteByUserId({ user_id: seedUserId });
});

await step('users: create users', async () => {
  state.users = [];
  for (const name of ['ada', 'bob', 'cyd']) {
    state.users.push(await management.users.create({
      connection: 'Username-Password-Authentication', email: `sdk-${name}-${run}@example.com`, password: `Sdk-${name}-passphrase-${run}`,
      email_verified: true, user_metadata: { team: 'sdk' },
    }));
  }
  assert.match(state.users[0].user_id, /^latchkey\|/);
}, users);

await step('users: search with q', async () => {
  const found = await management.users.list({ q: `email:"sdk-bob-${run}@example.com"`, search_engine: 'v3' });
  assert.deepEqual(found.data.map((u) => u.email), [`sdk-bob-${run}@example.com`]);
}, search);

await step('users: page with totals', async () => {
  const first = await management.users.list({ q: `user_metadata.team:"sdk"`, search_engine: 'v3', per_page: 2, page: 0, include_totals: true });
  assert.equal(first.data.length, 2);
  assert.equal(first.response.total, 3);
  const second = await first.getNextPage();
  assert.equal(second.data.length, 1);
}, search);

await step('users: assign the role to a created user', async () => {
  await management.users.roles.assign(state.users[0].user_id, { roles: [state.role.id] });
  const members = await management.roles.users.list(state.role.id);
  assert.ok(members.data.some((u) => u.user_id === state.users[0].user_id));
}, users);

await step('users: delete a user', async () => {
  await management.users.delete(state.users[2].user_id);
  await expectStatus(management.users.get(state.users[2].user_id), 404);
}, deleteUser);

await step('jobs: import a user with a bcrypt hash, follow the job, read the user as auth0|<user_id>', async () => {
  // A bcrypt hash at cost 10 from tests/Latchkey.Server.Tests/Fixtures/auth0-export (ann-password-1).
  const imported = [{ email: `sdk-imported-${run}@example.com`, email_verified: true, user_id: `sdk${run}`, given_name: 'Imported',
    password_hash: '$2b$10$VkjvlgN971A04ed3gtjVhehhFTOPXUB5DWsms6iUnXL4rLOWU5RCK' }];
  const job = await management.jobs.usersImports.create({
    users: new Blob([JSON.stringify(imported)], { type: 'application/json' }), connection_id: state.connection.id, upsert: false, external_id: `sdk-${run}`,
  });
  assert.equal(job.type, 'users_import');
  assert.match(job.id, /^job_/);
  let current = job;
  for (let i = 0; i < 600 && current.status !== 'completed' && current.status !== 'failed'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    current = await management.jobs.get(job.id);
  }
  assert.equal(current.status, 'completed', JSON.stringify(current));
  assert.equal(current.summary.inserted, 1, JSON.stringify(current));
  assert.equal(current.external_id, `sdk-${run}`);
  const errors = await management.jobs.errors.get(job.id);
  assert.equal(errors.id, job.id, JSON.stringify(errors));
  const user = await management.users.get(`auth0|sdk${run}`);
  assert.equal(user.identities[0].provider, 'auth0');
  assert.equal(user.identities[0].user_id, `sdk${run}`);
});

await step('logs: read the tenant log', async () => {
  const page = await management.logs.list({ per_page: 10, page: 0, include_totals: true, sort: 'date:-1' });
  assert.ok(page.data.length > 0, 'the tenant log is empty');
  assert.ok(page.response.total >= page.data.length);
  const [latest] = page.data;
  assert.ok(latest.log_id && latest.type && latest.date, JSON.stringify(latest));
  assert.equal((await management.logs.get(latest.log_id)).log_id, latest.log_id);
  assert.ok(page.data.some((entry) => entry.type === 'seccft'), 'no client-credentials exchange (seccft) logged');
}, logs);

await step('keys: rotate the signing keys; new tokens are signed with the new key and verify against the JWKS', async () => {
  const before = await management.keys.signing.list();
  const rotated = await management.keys.signing.rotate();
  assert.ok(rotated.kid);
  const after = await management.keys.signing.list();
  assert.ok(after.some((k) => k.kid === rotated.kid && k.current), JSON.stringify(after));
  assert.ok(after.length >= before.length);
  assert.equal((await management.keys.signing.get(rotated.kid)).kid, rotated.kid);
  const token = await verifiedM2MToken();
  assert.equal(decodeProtectedHeader(token).kid, rotated.kid);
});

await step('deletes: the client grant, and the M2M application is refused at once', async () => {
  await management.clientGrants.delete(state.clientGrant.id);
  const { status, body } = await clientCredentials(state.m2m.client_id, state.m2m.client_secret, api.identifier);
  assert.equal(status, 403, JSON.stringify(body));
  assert.equal(body.error, 'access_denied');
});

await step('deletes: roles, applications and the API', async () => {
  for (const role of [state.role, ...state.moreRoles]) await management.roles.delete(role.id);
  await management.clients.delete(state.spa.client_id);
  await management.clients.delete(state.m2m.client_id);
  await management.resourceServers.delete(state.apiId);
  await expectStatus(management.resourceServers.get(state.apiId), 404);
  await expectStatus(management.clients.get(state.m2m.client_id), 404);
  await expectStatus(management.roles.get(state.role.id), 404);
});
console.log('DONE');
