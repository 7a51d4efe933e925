// Latchkey's dashboard: a build-free single-page app (docs/dashboard.md, docs/decisions/0001-dashboard-stack.md).
// It signs the administrator in with Auth0's own SPA SDK against this server, and every read and write is a
// Management API call (/api/v2) with the administrator's token, so the server decides what each page may do.
// The DOM is built with textContent only (no innerHTML with data): nothing the tenant holds is ever parsed as HTML.
import { createAuth0Client } from './auth0-spa-js.production.esm.js';

const meta = (name) => document.querySelector(`meta[name="${name}"]`).content;
const issuer = meta('latchkey-issuer');
const dashboardUrl = `${issuer}dashboard`;
const audience = `${issuer}api/v2/`;
const root = document.getElementById('app');

let auth0;
let scopes = new Set();
let who = '';

// ---------------------------------------------------------------- DOM helpers

/** h('button.primary', { onclick }, 'Save'): an element with classes, properties/attributes and children. */
function h(tag, props = {}, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name);
  if (classes.length) el.className = classes.join(' ');
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'htmlFor') el[key] = value;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let fieldCount = 0;
/** A labelled input; `label` is its accessible name. */
function field(label, input, hint) {
  const id = `f${++fieldCount}`;
  input.id = id;
  const hintEl = hint ? h('small.hint', { id: `${id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div.field', {}, h('label', { htmlFor: id }, label), input, hintEl);
}

function checkbox(label, checked, disabled) {
  const id = `f${++fieldCount}`;
  const input = h('input', { type: 'checkbox', id, checked, disabled });
  return { input, el: h('div.check', {}, input, h('label', { htmlFor: id }, label)) };
}

const alertBox = () => h('div.alert', { role: 'alert', hidden: true });
function showAlert(box, message) {
  box.textContent = message;
  box.hidden = !message;
}
const notice = (message) => h('p.notice', { role: 'status' }, message);

function card(title, ...children) {
  return h('section.card', { 'aria-label': title }, h('h2', {}, title), ...children);
}

function empty(text, action) {
  return h('div.empty', {}, h('p', {}, text), action);
}

function table(headers, rows) {
  return h('div.table-wrap', {}, h('table', {},
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows)));
}

/** A button that needs a Management API scope: disabled (and saying why) when the token lacks it. */
function guarded(scope, label, props = {}, cls = 'button') {
  const allowed = can(scope);
  return h(`button.${cls}`, { type: 'button', ...props, disabled: !allowed || props.disabled, title: allowed ? undefined : `Needs ${scope}` }, label);
}

function readOnlyNote(scope) {
  return can(scope) ? null : h('p.readonly', {}, `Read-only: your roles do not grant ${scope}.`);
}

/** A modal confirmation (native <dialog>: focus trapped, Escape cancels). */
function confirmDialog(title, text, confirmLabel) {
  return new Promise((resolve) => {
    const dialog = h('dialog.confirm', { 'aria-labelledby': 'confirm-title' },
      h('h2', { id: 'confirm-title' }, title), h('p', {}, text),
      h('div.actions', {},
        h('button.button', { type: 'button', onclick: () => dialog.close('cancel') }, 'Cancel'),
        h('button.button.danger', { type: 'button', onclick: () => dialog.close('confirm') }, confirmLabel)));
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue === 'confirm'); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** A secret shown once, with a copy button. */
function secretPanel(label, secret) {
  const input = h('input.mono', { value: secret, readOnly: true });
  return h('div.secret', { role: 'status' },
    h('p', {}, h('strong', {}, `${label}: `), 'copy it now, it is not shown again.'),
    field(label, input),
    h('button.button', { type: 'button', onclick: () => navigator.clipboard?.writeText(secret) }, 'Copy'));
}

const lines = (text) => text.split('\n').map((x) => x.trim()).filter(Boolean);
const formatDate = (value) => (value ? new Date(value).toLocaleString() : '—');

// ---------------------------------------------------------------- Management API

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }

  /** 404 from routing (no errorCode): the endpoint is not in this server yet. */
  get unavailable() { return this.status === 404 && !this.body?.errorCode; }
}

async function api(method, path, body) {
  const token = await auth0.getTokenSilently();
  const response = await fetch(`${issuer}api/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

const can = (scope) => scopes.has(scope);

/** Runs an action from a form: the problem (Auth0's message) goes to the alert, the page stays as it was. */
async function attempt(box, work) {
  showAlert(box, '');
  try {
    return await work();
  } catch (error) {
    showAlert(box, error instanceof ApiError && error.unavailable
      ? 'This server does not offer that endpoint yet.'
      : error.message);
    return undefined;
  }
}

function unavailable(what) {
  return h('div.empty', {}, h('p', {}, h('strong', {}, 'Not available: '),
    `this Latchkey server does not offer ${what} yet (the Management API answered 404).`));
}

// ---------------------------------------------------------------- layout and routing

const sections = [
  ['apis', 'APIs'], ['applications', 'Applications'], ['users', 'Users'], ['roles', 'Roles'], ['logs', 'Logs'], ['settings', 'Settings'],
];

let main;
function layout() {
  main = h('main', { id: 'main', tabIndex: -1 });
  const nav = h('nav', { 'aria-label': 'Dashboard' }, h('ul', {},
    sections.map(([path, label]) => h('li', {}, h('a', { href: `#/${path}`, dataset: { section: path } }, label)))));
  root.replaceChildren(
    h('a.skip', { href: '#main', onclick: (e) => { e.preventDefault(); main.focus(); } }, 'Skip to content'),
    h('header.top', {},
      h('a.brand', { href: '#/apis' }, h('span.logo', { 'aria-hidden': 'true' }), 'Latchkey', h('span.sub', {}, 'Dashboard')),
      h('div.who', {}, h('span', {}, who),
        h('button.button.ghost', { type: 'button', onclick: () => auth0.logout({ logoutParams: { returnTo: dashboardUrl } }) }, 'Sign out'))),
    h('div.shell', {}, nav, main));
  root.classList.remove('loading');
  root.removeAttribute('aria-busy');
}

const routes = [
  [/^#\/apis$/, showApis],
  [/^#\/apis\/([^/]+)$/, showApi],
  [/^#\/applications$/, showApplications],
  [/^#\/applications\/([^/]+)$/, showApplication],
  [/^#\/users$/, showUsers],
  [/^#\/users\/([^/]+)$/, showUser],
  [/^#\/roles$/, showRoles],
  [/^#\/roles\/([^/]+)$/, showRole],
  [/^#\/logs$/, showLogs],
  [/^#\/settings$/, showSettings],
];

async function route() {
  const hash = location.hash || '#/apis';
  const section = hash.split('/')[1];
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.section === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const match = routes.map(([pattern, show]) => [hash.match(pattern), show]).find(([m]) => m);
  main.replaceChildren(h('p.splash', {}, 'Loading…'));
  try {
    const content = match ? await match[1](...match[0].slice(1).map(decodeURIComponent)) : [h('h1', {}, 'Not found')];
    main.replaceChildren(...[content].flat(Infinity).filter((x) => x !== null && x !== undefined && x !== false));
  } catch (error) {
    main.replaceChildren(h('h1', {}, 'Something went wrong'),
      error instanceof ApiError && error.unavailable ? unavailable('this page') : h('div.alert', { role: 'alert' }, error.message));
  }
  document.title = `${main.querySelector('h1')?.textContent ?? 'Dashboard'} · Latchkey`;
}

function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

// ---------------------------------------------------------------- APIs

async function showApis() {
  const apis = await api('GET', '/resource-servers?per_page=100');
  const box = alertBox();
  const name = h('input', { required: true, autocomplete: 'off' });
  const identifier = h('input', { required: true, autocomplete: 'off', placeholder: 'https://api.example.com' });
  const lifetime = h('input', { type: 'number', min: 1, value: 86400 });
  const algorithm = h('select', {}, h('option', { value: 'RS256' }, 'RS256'));
  const form = h('form.panel', {
    hidden: true,
    'aria-label': 'Create API',
    onsubmit: async (e) => {
      e.preventDefault();
      const created = await attempt(box, () => api('POST', '/resource-servers', {
        name: name.value.trim(), identifier: identifier.value.trim(), signing_alg: algorithm.value, token_lifetime: Number(lifetime.value),
      }));
      if (created) go(`#/apis/${encodeURIComponent(created.id)}`);
    },
  }, h('h2', {}, 'New API'), box,
  field('Name', name), field('Identifier', identifier, 'The audience applications ask for; it cannot change later.'),
  field('Signing algorithm', algorithm), field('Token lifetime (seconds)', lifetime),
  h('div.actions', {}, h('button.button.primary', { type: 'submit' }, 'Create'),
    h('button.button', { type: 'button', onclick: () => { form.hidden = true; } }, 'Cancel')));
  const open = guarded('create:resource_servers', 'Create API', { onclick: () => { form.hidden = false; name.focus(); } }, 'button.primary');
  const rows = apis.map((a) => h('tr', {},
    h('td', {}, h('a', { href: `#/apis/${encodeURIComponent(a.id)}` }, a.name), a.is_system ? h('span.badge', {}, 'System') : null),
    h('td.mono', {}, a.identifier),
    h('td', {}, a.enforce_policies ? 'on' : 'off')));
  return [
    h('div.title', {}, h('h1', {}, 'APIs'), open), form,
    apis.length ? table(['Name', 'Identifier', 'RBAC'], rows) : empty('No APIs yet. Create one to protect your backend.'),
  ];
}

async function showApi(id) {
  const a = await api('GET', `/resource-servers/${encodeURIComponent(id)}`);
  const editable = !a.is_system && can('update:resource_servers');
  const path = `/resource-servers/${encodeURIComponent(a.id)}`;

  // Settings and RBAC switches
  const box = alertBox();
  const name = h('input', { value: a.name, disabled: !editable });
  const lifetime = h('input', { type: 'number', min: 1, value: a.token_lifetime, disabled: !editable });
  const rbac = checkbox('Enable RBAC', a.enforce_policies, !editable);
  const inToken = checkbox('Add permissions in the access token', a.token_dialect?.endsWith('_authz'), !editable);
  const offline = checkbox('Allow offline access', a.allow_offline_access, !editable);
  const saved = h('p.saved', { role: 'status' });
  const settings = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      saved.textContent = '';
      const base = a.token_dialect?.startsWith('rfc9068') ? 'rfc9068_profile' : 'access_token';
      const done = await attempt(box, () => api('PATCH', path, {
        name: name.value.trim(), token_lifetime: Number(lifetime.value), enforce_policies: rbac.input.checked,
        token_dialect: inToken.input.checked ? `${base}_authz` : base, allow_offline_access: offline.input.checked,
      }));
      if (done) saved.textContent = 'Saved.';
    },
  }, box, field('Name', name), field('Identifier', h('input.mono', { value: a.identifier, readOnly: true })),
  field('Token lifetime (seconds)', lifetime), rbac.el, inToken.el, offline.el,
  h('div.actions', {}, h('button.button.primary', { type: 'submit', disabled: !editable }, 'Save settings'), saved));

  // Permissions
  const permBox = alertBox();
  const permission = h('input', { autocomplete: 'off', placeholder: 'read:messages', disabled: !editable });
  const description = h('input', { autocomplete: 'off', placeholder: 'Read messages', disabled: !editable });
  const writeScopes = async (list) => {
    if (await attempt(permBox, () => api('PATCH', path, { scopes: list }))) route();
  };
  const rows = a.scopes.map((s) => h('tr', {}, h('td.mono', {}, s.value), h('td', {}, s.description ?? ''),
    h('td', {}, h('button.button.small', {
      type: 'button', disabled: !editable, 'aria-label': `Remove ${s.value}`,
      onclick: async () => {
        if (await confirmDialog('Remove permission', `Remove ${s.value}? Roles and tokens stop carrying it.`, 'Remove')) {
          writeScopes(a.scopes.filter((x) => x.value !== s.value));
        }
      },
    }, 'Remove'))));
  const permissions = h('form.inline', {
    'aria-label': 'Add permission',
    onsubmit: (e) => {
      e.preventDefault();
      const value = permission.value.trim();
      if (!value) { showAlert(permBox, 'Enter a permission, e.g. read:messages.'); return; }
      writeScopes([...a.scopes, { value, description: description.value.trim() }]);
    },
  }, field('Permission', permission), field('Description', description),
  h('button.button.primary', { type: 'submit', disabled: !editable }, 'Add'));

  // Test: a client-credentials curl for a machine application with a grant
  let test = null;
  if (can('read:client_grants')) {
    const grants = await api('GET', `/client-grants?audience=${encodeURIComponent(a.identifier)}`).catch(() => []);
    test = card('Test', grants.length
      ? [h('p', {}, `A machine application with a grant (${grants[0].client_id}) gets a token with:`),
        h('pre.code', {}, `curl -s ${issuer}oauth/token -H 'content-type: application/json' \\\n  -d '{"grant_type":"client_credentials","client_id":"${grants[0].client_id}","client_secret":"<secret>","audience":"${a.identifier}"}'`)]
      : empty('No machine application has a grant for this API. Authorize one on its Applications page to test with curl.'));
  }

  return [
    h('p.crumbs', {}, h('a', { href: '#/apis' }, 'APIs')),
    h('div.title', {}, h('h1', {}, a.name), a.is_system ? h('span.badge', {}, 'System') : null),
    a.is_system ? notice('The Management API is built in: its permissions follow the server.') : readOnlyNote('update:resource_servers'),
    card('Settings', settings),
    card('Permissions', permBox,
      a.scopes.length ? table(['Permission', 'Description', ''], rows) : empty('No permissions yet. Add one, e.g. read:messages.'),
      permissions),
    test,
  ];
}

// ---------------------------------------------------------------- Applications

const appTypes = [['spa', 'Single-page application'], ['regular_web', 'Regular web application'], ['native', 'Native'], ['non_interactive', 'Machine to machine']];
const typeName = (t) => appTypes.find(([v]) => v === t)?.[1] ?? t;

async function showApplications() {
  const clients = await api('GET', '/clients?per_page=100');
  const box = alertBox();
  const name = h('input', { required: true, autocomplete: 'off' });
  const type = h('select', {}, appTypes.map(([v, label]) => h('option', { value: v }, label)));
  const created = h('div');
  const form = h('form.panel', {
    hidden: true,
    'aria-label': 'Create application',
    onsubmit: async (e) => {
      e.preventDefault();
      const client = await attempt(box, () => api('POST', '/clients', { name: name.value.trim(), app_type: type.value }));
      if (!client) return;
      created.replaceChildren(h('p', {}, 'Created ', h('a', { href: `#/applications/${encodeURIComponent(client.client_id)}` }, client.name), '.'),
        client.client_secret ? secretPanel('Client secret', client.client_secret) : null);
      form.hidden = true;
    },
  }, h('h2', {}, 'New application'), box, field('Name', name), field('Application type', type),
  h('div.actions', {}, h('button.button.primary', { type: 'submit' }, 'Create'),
    h('button.button', { type: 'button', onclick: () => { form.hidden = true; } }, 'Cancel')));
  const rows = clients.map((c) => h('tr', {},
    h('td', {}, h('a', { href: `#/applications/${encodeURIComponent(c.client_id)}` }, c.name)),
    h('td', {}, typeName(c.app_type)), h('td.mono', {}, c.client_id)));
  return [
    h('div.title', {}, h('h1', {}, 'Applications'),
      guarded('create:clients', 'Create Application', { onclick: () => { form.hidden = false; name.focus(); } }, 'button.primary')),
    form, created,
    clients.length ? table(['Name', 'Type', 'Client ID'], rows) : empty('No applications yet. Create one for each app that signs users in.'),
  ];
}

async function showApplication(clientId) {
  const c = await api('GET', `/clients/${encodeURIComponent(clientId)}`);
  const path = `/clients/${encodeURIComponent(c.client_id)}`;
  const editable = can('update:clients') && c.client_id !== meta('latchkey-client-id');
  const box = alertBox();
  const saved = h('p.saved', { role: 'status' });
  const area = (list) => h('textarea', { rows: 3, value: (list ?? []).join('\n'), disabled: !editable });
  const name = h('input', { value: c.name, disabled: !editable });
  const callbacks = area(c.callbacks);
  const logoutUrls = area(c.allowed_logout_urls);
  const webOrigins = area(c.web_origins);
  const allowedOrigins = area(c.allowed_origins);
  const grantBoxes = ['authorization_code', 'refresh_token', 'implicit', 'client_credentials']
    .map((g) => [g, checkbox(g, c.grant_types?.includes(g), !editable)]);
  const rotation = checkbox('Refresh token rotation', c.refresh_token?.rotation_type === 'rotating', !editable);
  const settings = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      saved.textContent = '';
      const done = await attempt(box, () => api('PATCH', path, {
        name: name.value.trim(), callbacks: lines(callbacks.value), allowed_logout_urls: lines(logoutUrls.value),
        web_origins: lines(webOrigins.value), allowed_origins: lines(allowedOrigins.value),
        grant_types: grantBoxes.filter(([, b]) => b.input.checked).map(([g]) => g),
        refresh_token: { ...c.refresh_token, rotation_type: rotation.input.checked ? 'rotating' : 'non-rotating' },
      }));
      if (done) saved.textContent = 'Saved.';
    },
  }, box, field('Name', name),
  field('Allowed Callback URLs', callbacks, 'One per line; matched exactly.'), field('Allowed Logout URLs', logoutUrls),
  field('Allowed Web Origins', webOrigins), field('Allowed Origins (CORS)', allowedOrigins),
  h('fieldset', {}, h('legend', {}, 'Grant types'), grantBoxes.map(([, b]) => b.el)), rotation.el,
  h('div.actions', {}, h('button.button.primary', { type: 'submit', disabled: !editable }, 'Save settings'), saved));

  const secretBox = alertBox();
  const secretOut = h('div');
  const confidential = !['spa', 'native'].includes(c.app_type);
  const credentials = confidential ? card('Credentials', secretBox, secretOut,
    h('p', {}, 'Latchkey stores only a hash of the secret. Rotating it refuses the old one at once.'),
    guarded('update:client_keys', 'Rotate', {
      onclick: async () => {
        if (!await confirmDialog('Rotate secret', `Rotate the secret of ${c.name}? The current one stops working now.`, 'Rotate')) return;
        const r = await attempt(secretBox, () => api('POST', `${path}/rotate-secret`));
        if (r) secretOut.replaceChildren(secretPanel('Client secret', r.client_secret));
      },
    })) : null;

  let grants = null;
  if (c.app_type === 'non_interactive' && can('read:client_grants')) {
    const list = await api('GET', `/client-grants?client_id=${encodeURIComponent(c.client_id)}`);
    grants = card('APIs', list.length
      ? table(['API', 'Scopes'], list.map((g) => h('tr', {}, h('td.mono', {}, g.audience), h('td', {}, g.scope.join(' ') || '—'))))
      : empty('This application is not authorized for any API yet.'));
  }

  const quickstart = card('Quickstart', h('p', {}, 'Auth0Provider props (React) / auth_config.json:'),
    h('pre.code', {}, JSON.stringify({ domain: issuer.replace(/\/$/, ''), clientId: c.client_id, audience: '<your API identifier>' }, null, 2)));

  return [
    h('p.crumbs', {}, h('a', { href: '#/applications' }, 'Applications')),
    h('div.title', {}, h('h1', {}, c.name), h('span.badge', {}, typeName(c.app_type))),
    h('p.mono', {}, `Client ID: ${c.client_id}`),
    editable ? null : readOnlyNote('update:clients') ?? notice('The dashboard\'s own application is managed by the server.'),
    card('Settings', settings), credentials, grants, quickstart,
  ];
}

// ---------------------------------------------------------------- Users

/** Auth0's name for the database connection, which Latchkey has exactly one of. */
const DefaultConnection = 'Username-Password-Authentication';

/** Lucene needs its special characters escaped inside a bare value. */
const luceneEscape = (text) => text.replace(/[\\+\-!(){}[\]^"~*?:/&|]/g, (c) => `\\${c}`);

/**
 * The search box's text as Auth0's v3 query: a Lucene query (it has a `field:`) is sent as typed; anything else is a
 * prefix of the email or the name. v3 allows a wildcard only at the end of a value (Auth0's "user search query syntax"),
 * so `*text*` is no query at all: Latchkey refuses it, as Auth0 does.
 */
function userQuery(text) {
  if (!text || /^[\w.-]+:/.test(text) || /\s(AND|OR)\s/.test(text)) return text;
  if (/\s/.test(text)) return `name:"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const value = luceneEscape(text);
  return `email:${value}* OR name:${value}*`;
}

async function showUsers() {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const search = h('input', { type: 'search', role: 'searchbox', 'aria-label': 'Search users', placeholder: 'Email, name or a Lucene query', value: params.get('q') ?? '' });
  const results = h('div', { 'aria-live': 'polite' });
  const box = alertBox();
  // One search at a time: typing (debounced) and Enter ask for the same query, and answers may arrive out of order. A
  // query already shown is not rendered again, and an answer to an older query is dropped: re-rendering the list
  // replaced the result links under the pointer (a click landed on a detached node), and a stale answer could
  // overwrite a newer one.
  let shown = null;
  let latest = 0;
  let timer;
  const load = async (force = false) => {
    clearTimeout(timer);
    const q = search.value.trim();
    if (q === shown && !force) return;
    const ticket = ++latest;
    let content;
    try {
      const page = await api('GET', `/users?include_totals=true&per_page=50&search_engine=v3${q ? `&q=${encodeURIComponent(userQuery(q))}` : ''}`);
      const users = page.users ?? page;
      const total = page.total ?? users.length;
      content = users.length
        ? [h('p.count', { role: 'status' }, q ? `${total} ${total === 1 ? 'user matches' : 'users match'} “${q}”` : `${total} ${total === 1 ? 'user' : 'users'}`),
          table(['User', 'Last login', 'Logins'], users.map((u) => h('tr', {},
            h('td', {}, h('a', { href: `#/users/${encodeURIComponent(u.user_id)}` }, `${u.name ?? ''} (${u.email})`)),
            h('td', {}, formatDate(u.last_login)), h('td', {}, u.logins_count ?? 0))))]
        : [empty(q ? 'No user matches. Try the start of an email or name, or a query like email:"ann@example.com".' : 'No users yet. Create one, or let people sign up.')];
    } catch (error) {
      content = [error instanceof ApiError && error.unavailable ? unavailable('user search (GET /api/v2/users)') : h('div.alert', { role: 'alert' }, error.message)];
    }
    if (ticket !== latest) return;
    shown = q;
    results.replaceChildren(...content);
  };
  const byId = h('input.mono', { autocomplete: 'off', placeholder: 'latchkey|…' });
  const open = h('form.inline', {
    'aria-label': 'Open a user by ID',
    onsubmit: (e) => { e.preventDefault(); if (byId.value.trim()) go(`#/users/${encodeURIComponent(byId.value.trim())}`); },
  }, field('User ID', byId), h('button.button', { type: 'submit' }, 'Open'));

  // Create user: the Management API validates (email, password strength, connection) and its message is the alert;
  // the browser's own validation is off (novalidate) so that the message is always the server's.
  const email = h('input', { type: 'email', autocomplete: 'off' });
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const connection = h('select', {}, h('option', { value: DefaultConnection }, DefaultConnection));
  if (can('read:connections')) {
    const list = await api('GET', '/connections?strategy=auth0').catch(() => null);
    const names = (list?.connections ?? list ?? []).map((c) => c.name);
    if (names.length) connection.replaceChildren(...names.map((n) => h('option', { value: n }, n)));
  }
  const create = h('form.panel', {
    hidden: true,
    noValidate: true,
    'aria-label': 'Create user',
    onsubmit: async (e) => {
      e.preventDefault();
      const user = await attempt(box, () => api('POST', '/users', { connection: connection.value, email: email.value.trim(), password: password.value }));
      if (user) go(`#/users/${encodeURIComponent(user.user_id)}`);
    },
  }, h('h2', {}, 'New user'), box, field('Email', email), field('Password', password), field('Connection', connection),
  h('div.actions', {}, h('button.button.primary', { type: 'submit' }, 'Create'),
    h('button.button', { type: 'button', onclick: () => { create.hidden = true; } }, 'Cancel')));

  search.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); load(); } });
  search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 300); });
  await load();
  return [
    h('div.title', {}, h('h1', {}, 'Users'),
      guarded('create:users', 'Create User', { onclick: () => { create.hidden = false; email.focus(); } }, 'button.primary')),
    create,
    h('form.search', { role: 'search', onsubmit: (e) => { e.preventDefault(); load(); } }, search),
    results, open,
  ];
}

/** A JSON editor form: the document is parsed before anything is sent; an invalid one shows an alert and saves nothing. */
function metadataForm(user, member, path) {
  const editable = can('update:users') || can('update:users_app_metadata');
  const id = `f${++fieldCount}`;
  const text = h('textarea.mono', { id, rows: 8, value: JSON.stringify(user[member] ?? {}, null, 2), disabled: !editable, spellcheck: false });
  const box = alertBox();
  const saved = h('p.saved', { role: 'status' });
  return h('form', {
    'aria-label': member,
    onsubmit: async (e) => {
      e.preventDefault();
      saved.textContent = '';
      let value;
      try {
        value = JSON.parse(text.value);
      } catch (error) {
        showAlert(box, `${member} is not valid JSON: ${error.message}. Nothing was saved.`);
        return;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        showAlert(box, `${member} must be a JSON object, e.g. { "theme": "dark" }. Nothing was saved.`);
        return;
      }
      // PATCH merges metadata (Auth0): keys removed in the editor are sent as null so they are removed too.
      const patch = { ...value };
      for (const key of Object.keys(user[member] ?? {})) if (!(key in value)) patch[key] = null;
      const updated = await attempt(box, () => api('PATCH', path, { [member]: patch }));
      if (updated) {
        user[member] = updated[member];
        text.value = JSON.stringify(updated[member] ?? {}, null, 2);
        saved.textContent = 'Saved.';
      }
    },
  }, h('label', { htmlFor: id }, member), text, box,
  h('div.actions', {}, h('button.button.primary', { type: 'submit', disabled: !editable }, 'Save'), saved));
}

async function showUser(userId) {
  const path = `/users/${encodeURIComponent(userId)}`;
  const u = await api('GET', path);
  const box = alertBox();

  const profile = h('dl.props', {},
    [['Email', u.email], ['Email verified', u.email_verified ? 'yes' : 'no'], ['Name', u.name], ['User ID', u.user_id],
      ['Created', formatDate(u.created_at)], ['Last login', formatDate(u.last_login)], ['Logins', u.logins_count],
      ['Status', u.blocked ? 'Blocked' : 'Active']].map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v ?? '—'))]));

  const actions = h('div.actions', {},
    guarded('update:users', u.blocked ? 'Unblock' : 'Block', {
      onclick: async () => {
        if (!u.blocked && !await confirmDialog('Block user', `Block ${u.email}? They cannot log in or get tokens until unblocked.`, 'Block')) return;
        if (await attempt(box, () => api('PATCH', path, { blocked: !u.blocked }))) route();
      },
    }),
    guarded('delete:sessions', 'Revoke sessions', {
      onclick: async () => {
        if (!await confirmDialog('Revoke sessions', `Sign ${u.email} out everywhere?`, 'Revoke')) return;
        if (await attempt(box, () => api('DELETE', `${path}/sessions`)) !== undefined) showAlert(box, '');
      },
    }),
    guarded('delete:users', 'Delete user', {
      onclick: async () => {
        if (!await confirmDialog('Delete user', `Delete ${u.email} for good?`, 'Delete')) return;
        if (await attempt(box, () => api('DELETE', path)) !== undefined) go('#/users');
      },
    }, 'button.danger'));

  // Roles
  let roles = null;
  if (can('read:roles')) {
    const roleBox = alertBox();
    const [mine, all] = await Promise.all([api('GET', `${path}/roles`), api('GET', '/roles?per_page=100')]);
    const choose = h('select', {}, all.filter((r) => !mine.some((m) => m.id === r.id)).map((r) => h('option', { value: r.id }, r.name)));
    roles = card('Roles', roleBox,
      mine.length ? table(['Role', ''], mine.map((r) => h('tr', {}, h('td', {}, h('a', { href: `#/roles/${r.id}` }, r.name)),
        h('td', {}, guarded('update:users', 'Remove', {
          'aria-label': `Remove role ${r.name}`,
          onclick: async () => { if (await attempt(roleBox, () => api('DELETE', `${path}/roles`, { roles: [r.id] })) !== undefined) route(); },
        }, 'button.small'))))) : empty('No roles. Assign one to give this user permissions.'),
      h('form.inline', {
        'aria-label': 'Assign role',
        onsubmit: async (e) => {
          e.preventDefault();
          if (choose.value && await attempt(roleBox, () => api('POST', `${path}/roles`, { roles: [choose.value] })) !== undefined) route();
        },
      }, field('Role', choose), h('button.button', { type: 'submit', disabled: !can('update:users') || !choose.options.length }, 'Assign')));
  }

  let permissions = null;
  if (can('read:users')) {
    const list = await api('GET', `${path}/permissions?per_page=100`).catch(() => []);
    // Auth0's GET /users/{id}/permissions lists the direct ones and those the roles give.
    permissions = card('Permissions', list.length
      ? table(['API', 'Permission'], list.map((p) => h('tr', {}, h('td.mono', {}, p.resource_server_identifier), h('td.mono', {}, p.permission_name))))
      : empty('No permissions. Assign a role, or give a permission directly through the Management API.'));
  }

  let logs = null;
  if (can('read:logs')) {
    try {
      const events = await api('GET', `${path}/logs?per_page=10&sort=date:-1`);
      logs = card('Recent events', (events.logs ?? events).length ? logTable(events.logs ?? events) : empty('No events yet.'));
    } catch (error) {
      logs = card('Recent events', error instanceof ApiError && error.unavailable ? unavailable('log events') : h('div.alert', { role: 'alert' }, error.message));
    }
  }

  return [
    h('p.crumbs', {}, h('a', { href: '#/users' }, 'Users')),
    h('div.title', {}, h('h1', {}, u.name || u.email), u.blocked ? h('span.badge.warn', {}, 'Blocked') : null),
    readOnlyNote('update:users'),
    card('Profile', profile, box, actions),
    card('Metadata', h('div.grid2', {}, metadataForm(u, 'user_metadata', path), metadataForm(u, 'app_metadata', path))),
    roles, permissions, logs,
  ];
}

// ---------------------------------------------------------------- Roles

async function showRoles() {
  const roles = await api('GET', '/roles?per_page=100');
  const box = alertBox();
  const name = h('input', { required: true, autocomplete: 'off' });
  const description = h('input', { autocomplete: 'off' });
  const form = h('form.panel', {
    hidden: true,
    'aria-label': 'Create role',
    onsubmit: async (e) => {
      e.preventDefault();
      const role = await attempt(box, () => api('POST', '/roles', { name: name.value.trim(), description: description.value.trim() }));
      if (role) go(`#/roles/${role.id}`);
    },
  }, h('h2', {}, 'New role'), box, field('Name', name), field('Description', description),
  h('div.actions', {}, h('button.button.primary', { type: 'submit' }, 'Create'),
    h('button.button', { type: 'button', onclick: () => { form.hidden = true; } }, 'Cancel')));
  return [
    h('div.title', {}, h('h1', {}, 'Roles'),
      guarded('create:roles', 'Create Role', { onclick: () => { form.hidden = false; name.focus(); } }, 'button.primary')),
    form,
    roles.length
      ? table(['Role', 'Description'], roles.map((r) => h('tr', {}, h('td', {}, h('a', { href: `#/roles/${r.id}` }, r.name)), h('td', {}, r.description ?? ''))))
      : empty('No roles yet. A role groups permissions you give to users.'),
  ];
}

async function showRole(id) {
  const path = `/roles/${encodeURIComponent(id)}`;
  const [role, perms, apis] = await Promise.all([api('GET', path), api('GET', `${path}/permissions?per_page=100`), api('GET', '/resource-servers?per_page=100')]);
  const members = can('read:role_members') ? await api('GET', `${path}/users?per_page=50`) : null;
  const box = alertBox();
  const apiSelect = h('select', {}, apis.map((a) => h('option', { value: a.identifier }, a.name)));
  const scopeSelect = h('select');
  const fill = () => scopeSelect.replaceChildren(...(apis.find((a) => a.identifier === apiSelect.value)?.scopes ?? []).map((s) => h('option', { value: s.value }, s.value)));
  apiSelect.addEventListener('change', fill);
  fill();
  const editable = can('update:roles');
  const byApi = Object.groupBy ? Object.groupBy(perms, (p) => p.resource_server_name || p.resource_server_identifier) : { '': perms };
  return [
    h('p.crumbs', {}, h('a', { href: '#/roles' }, 'Roles')),
    h('h1', {}, role.name), role.description ? h('p', {}, role.description) : null,
    readOnlyNote('update:roles'),
    card('Permissions', box,
      perms.length ? Object.entries(byApi).map(([apiName, list]) => [h('h3', {}, apiName),
        table(['Permission', ''], list.map((p) => h('tr', {}, h('td.mono', {}, p.permission_name), h('td', {}, h('button.button.small', {
          type: 'button', disabled: !editable, 'aria-label': `Remove ${p.permission_name}`,
          onclick: async () => {
            if (await attempt(box, () => api('DELETE', `${path}/permissions`, { permissions: [{ resource_server_identifier: p.resource_server_identifier, permission_name: p.permission_name }] })) !== undefined) route();
          },
        }, 'Remove')))))]) : empty('No permissions yet. Add permissions of an API below.'),
      h('form.inline', {
        'aria-label': 'Add permission to role',
        onsubmit: async (e) => {
          e.preventDefault();
          if (!scopeSelect.value) { showAlert(box, 'That API defines no permission yet.'); return; }
          if (await attempt(box, () => api('POST', `${path}/permissions`, { permissions: [{ resource_server_identifier: apiSelect.value, permission_name: scopeSelect.value }] })) !== undefined) route();
        },
      }, field('API', apiSelect), field('Permission', scopeSelect), h('button.button.primary', { type: 'submit', disabled: !editable }, 'Add'))),
    members ? card('Members', (members.users ?? members).length
      ? table(['User'], (members.users ?? members).map((m) => h('tr', {}, h('td', {}, h('a', { href: `#/users/${encodeURIComponent(m.user_id)}` }, `${m.name ?? ''} (${m.email})`)))))
      : empty('No members. Assign this role from a user\'s page.')) : null,
  ];
}

// ---------------------------------------------------------------- Logs

function logTable(events) {
  return table(['Date', 'Type', 'Description', 'User', 'Application'], events.map((e) => h('tr', {},
    h('td', {}, formatDate(e.date)), h('td.mono', {}, e.type), h('td', {},
      h('details', {}, h('summary', {}, e.description || '(details)'), h('pre.code', {}, JSON.stringify(e, null, 2)))),
    h('td', {}, e.user_name || e.user_id || '—'), h('td', {}, e.client_name || e.client_id || '—'))));
}

async function showLogs() {
  const type = h('input', { autocomplete: 'off', placeholder: 's, f, sapi…' });
  const user = h('input', { autocomplete: 'off', placeholder: 'latchkey|…' });
  const client = h('input', { autocomplete: 'off' });
  const results = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const terms = [[type, 'type'], [user, 'user_id'], [client, 'client_id']]
      .filter(([input]) => input.value.trim()).map(([input, key]) => `${key}:"${input.value.trim()}"`);
    try {
      const events = await api('GET', `/logs?sort=date:-1&per_page=50${terms.length ? `&q=${encodeURIComponent(terms.join(' AND '))}` : ''}`);
      const list = events.logs ?? events;
      results.replaceChildren(list.length ? logTable(list) : empty('No events match. Logins, failures and Management API changes appear here.'));
    } catch (error) {
      results.replaceChildren(error instanceof ApiError && error.unavailable ? unavailable('tenant logs (GET /api/v2/logs)') : h('div.alert', { role: 'alert' }, error.message));
    }
  };
  await load();
  return [
    h('h1', {}, 'Logs'),
    h('form.inline', { 'aria-label': 'Filter logs', onsubmit: (e) => { e.preventDefault(); load(); } },
      field('Type', type), field('User ID', user), field('Client ID', client), h('button.button', { type: 'submit' }, 'Filter')),
    results,
  ];
}

// ---------------------------------------------------------------- Settings

async function showSettings() {
  const keys = await api('GET', '/keys/signing');
  const box = alertBox();
  const state = (k) => (k.revoked ? 'Revoked' : k.current ? 'Current' : k.next ? 'Next' : k.previous ? 'Previous' : 'Expired');
  const rows = keys.map((k) => h('tr', {}, h('td.mono', {}, k.kid), h('td', {}, h(`span.badge${k.current ? '.ok' : ''}`, {}, state(k))),
    h('td', {}, formatDate(k.current_since)),
    h('td', {}, k.previous && !k.revoked ? guarded('update:signing_keys', 'Revoke', {
      'aria-label': `Revoke ${k.kid}`,
      onclick: async () => {
        if (!await confirmDialog('Revoke key', `Revoke ${k.kid}? Tokens it signed stop validating now.`, 'Revoke')) return;
        if (await attempt(box, () => api('PUT', `/keys/signing/${encodeURIComponent(k.kid)}/revoke`)) !== undefined) route();
      },
    }, 'button.small') : null)));
  const rotate = guarded('create:signing_keys', 'Rotate', {
    onclick: async () => {
      if (!await confirmDialog('Rotate signing key', 'Make the next key current? Tokens signed by the current key keep validating until they expire.', 'Rotate')) return;
      if (await attempt(box, () => api('POST', '/keys/signing/rotate'))) route();
    },
  }, 'button.primary');

  let connection;
  try {
    const connections = await api('GET', '/connections?strategy=auth0');
    const db = (connections.connections ?? connections)[0];
    connection = card('Database connection', db ? connectionForm(db) : empty('No database connection.'));
  } catch (error) {
    connection = card('Database connection', error instanceof ApiError && error.unavailable ? unavailable('connections (GET /api/v2/connections)') : h('div.alert', { role: 'alert' }, error.message));
  }

  return [
    h('h1', {}, 'Settings'),
    card('Signing keys', box, h('p', {}, 'The current key signs every token; the previous one still validates until revoked.'),
      readOnlyNote('create:signing_keys'),
      table(['Key ID', 'State', 'Current since', ''], rows), h('div.actions', {}, rotate)),
    connection,
  ];
}

/** Auth0's password strength levels (passwordPolicy), weakest first. */
const passwordPolicies = [['none', 'None'], ['low', 'Low'], ['fair', 'Fair'], ['good', 'Good'], ['excellent', 'Excellent']];

/** The database connection's options: sign-up, password policy and minimum length, brute-force protection. */
function connectionForm(db) {
  const editable = can('update:connections');
  const options = db.options ?? {};
  const box = alertBox();
  const saved = h('p.saved', { role: 'status' });
  const current = options.passwordPolicy ?? 'none';
  const policy = h('select', { disabled: !editable },
    passwordPolicies.map(([value, label]) => h('option', { value, selected: value === current }, label)));
  const minLength = h('input', { type: 'number', min: 8, max: 128, value: options.password_complexity_options?.min_length ?? 8, disabled: !editable });
  const signup = checkbox('Disable sign-ups', options.disable_signup, !editable);
  const bruteForce = checkbox('Brute-force protection', options.brute_force_protection, !editable);
  return h('form', {
    'aria-label': 'Database connection',
    noValidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      saved.textContent = '';
      // PATCH replaces the whole options object (Auth0), so every option is sent, changed or not.
      const done = await attempt(box, () => api('PATCH', `/connections/${encodeURIComponent(db.id)}`, {
        options: {
          disable_signup: signup.input.checked,
          passwordPolicy: policy.value,
          password_complexity_options: { min_length: Number(minLength.value) },
          brute_force_protection: bruteForce.input.checked,
        },
      }));
      if (done) saved.textContent = 'Saved.';
    },
  }, box, readOnlyNote('update:connections'),
  h('dl.props', {}, h('dt', {}, 'Name'), h('dd', {}, db.name)),
  signup.el,
  field('Password policy', policy, 'Auth0\'s levels: None and Low ask for the length only; Fair for lower case, upper case and digits; Good for three of lower case, upper case, digits, special characters; Excellent also for 10 characters and no character three times in a row.'),
  field('Minimum password length', minLength),
  bruteForce.el,
  h('div.actions', {}, h('button.button.primary', { type: 'submit', disabled: !editable }, 'Save connection'), saved));
}

// ---------------------------------------------------------------- start

function claims(token) {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(decodeURIComponent(escape(atob(part))));
}

async function start() {
  auth0 = await createAuth0Client({
    domain: issuer.replace(/\/$/, ''),
    clientId: meta('latchkey-client-id'),
    authorizationParams: { redirect_uri: dashboardUrl, audience, scope: `openid profile email ${meta('latchkey-scopes')}` },
  });
  const query = new URLSearchParams(location.search);
  if (query.has('code') && query.has('state')) {
    const { appState } = await auth0.handleRedirectCallback();
    history.replaceState(null, '', `${dashboardUrl}${appState?.hash ?? '#/apis'}`);
  }
  if (!await auth0.isAuthenticated()) {
    await auth0.loginWithRedirect({ appState: { hash: location.hash || '#/apis' } });
    return;
  }
  const token = await auth0.getTokenSilently();
  scopes = new Set((claims(token).scope ?? '').split(' '));
  who = (await auth0.getUser())?.email ?? '';
  layout();
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((error) => {
  root.replaceChildren(h('main.fatal', {}, h('h1', {}, 'The dashboard could not start'), h('div.alert', { role: 'alert' }, error.message),
    h('p', {}, h('a', { href: dashboardUrl }, 'Try again'))));
  root.classList.remove('loading');
});
