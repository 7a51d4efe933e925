// Issue 12's table in one run: Latchkey, node oidc-provider (bench/peers) and the sign-only Kestrel endpoint, side by
// side on 127.0.0.1, the same tenant (bench/tenant.json), the same load generators (wrk -t2 -c32 with a Lua POST;
// refresh chains in Node). Rounds interleave the systems (the order alternates), so load from other processes on a
// shared machine hits each alike; each figure is a median over rounds, and each ratio is also given as the median of
// per-round ratios (two figures measured back to back). Started by bench/run.sh (part t), which builds first.
//
// Knobs (environment): BENCH_ROUNDS (3), BENCH_SECONDS per measurement (4), BENCH_WARMUP seconds of token load before
// the rounds (8), BENCH_CHAINS (16), BENCH_COLD_ROUNDS (3), BENCH_LATCHKEY (the server .dll; run.sh passes its ReadyToRun publish, or with BENCH_IL=1 the Release build),
// BENCH_BEFORE (another Latchkey .dll, e.g. a copy of the build before a change: measured in the same rounds as a fourth
// system, with an after/before ratio per row; this is how a change's gain is measured side by side), BENCH_POSTGRES (an
// admin connection string, e.g. Host=127.0.0.1;Username=latchkey;Password=latchkey;Database=postgres: Latchkey runs
// on PostgreSQL, a new database per cold start, dropped at the end).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { latchkeyRefreshToken, peerRefreshToken } from './drivers/code-flow.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const rounds = env('BENCH_ROUNDS', 3);
const seconds = env('BENCH_SECONDS', 4);
const warmup = env('BENCH_WARMUP', 8);
const chains = env('BENCH_CHAINS', 16);
const coldRounds = env('BENCH_COLD_ROUNDS', 3);
const latchkeyDll = process.env.BENCH_LATCHKEY ?? join(root, 'src/Latchkey.Server/bin/Release/net10.0/Latchkey.Server.dll');
const beforeDll = process.env.BENCH_BEFORE;
const postgres = process.env.BENCH_POSTGRES && Object.fromEntries(process.env.BENCH_POSTGRES.split(';').filter(Boolean)
  .map((pair) => pair.split('=')).map(([k, ...v]) => [k.trim().toLowerCase(), v.join('=').trim()]));
const pgDatabases = new Set();

/** SQLite: the file. PostgreSQL: a database named after the file, created by Latchkey's migrations on first start. */
function connectionString(db) {
  if (!postgres) return `Data Source=${db}`;
  const database = `latchkey_bench_${basename(db, '.db').replace(/\W/g, '_')}`.toLowerCase();
  pgDatabases.add(database);
  return Object.entries({ ...postgres, database }).map(([k, v]) => `${k}=${v}`).join(';');
}

function dropPostgresDatabases() {
  for (const database of pgDatabases) {
    try {
      execFileSync('psql', ['-h', postgres.host ?? '127.0.0.1', '-p', postgres.port ?? '5432', '-U', postgres.username, '-d', postgres.database ?? 'postgres',
        '-qc', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`], { env: { ...process.env, PGPASSWORD: postgres.password ?? '' }, stdio: 'ignore' });
    } catch { /* best effort: a leftover database is named latchkey_bench_* */ }
  }
}
const benchDll = join(root, 'bench/Latchkey.Bench/bin/Release/net10.0/Latchkey.Bench.dll');
const tenantPath = join(here, 'tenant.json');
const tenant = JSON.parse(readFileSync(tenantPath, 'utf8'));
const m2m = tenant.clients.find((c) => c.grant_types.includes('client_credentials'));
const spa = tenant.clients.find((c) => c.app_type === 'spa');
const api = tenant.resource_servers[0].identifier;
const work = mkdtempSync(join(tmpdir(), 'latchkey-bench-'));
const children = new Set();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();

process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  dropPostgresDatabases();
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---- the three systems ------------------------------------------------------------------------------------------

const form = (fields) => new URLSearchParams(fields).toString();
const latchkeySystem = (label, dll) => ({
  label,
  tokenPath: '/oauth/token',
  ccForm: form({ grant_type: 'client_credentials', client_id: m2m.client_id, client_secret: m2m.client_secret, audience: api }),
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/jwks.json',
  command: (port, db) => ['dotnet', [dll, '--urls', `http://127.0.0.1:${port}`, '--environment', 'Production',
    '--ConnectionStrings:Latchkey', connectionString(db), '--Latchkey:Import', tenantPath, '--Latchkey:SeedDevelopmentTenant', 'false',
    '--Logging:LogLevel:Default', 'Warning']],
  refreshToken: latchkeyRefreshToken,
});
const systems = {
  latchkey: latchkeySystem('Latchkey', latchkeyDll),
  ...(beforeDll ? { before: latchkeySystem('Latchkey before', beforeDll) } : {}),
  peer: {
    label: 'oidc-provider',
    tokenPath: '/token',
    ccForm: form({ grant_type: 'client_credentials', client_id: m2m.client_id, client_secret: m2m.client_secret, resource: api, scope: 'read:messages' }),
    discovery: '/.well-known/openid-configuration',
    jwks: '/jwks',
    command: (port) => [process.execPath, [join(here, 'peers/oidc-provider-peer.mjs'), String(port), tenantPath]],
    refreshToken: peerRefreshToken,
  },
  sign: {
    label: 'sign-only',
    tokenPath: '/token',
    ccForm: form({ grant_type: 'client_credentials', client_id: m2m.client_id, audience: api }),
    command: (port) => ['dotnet', [benchDll, 'sign-only', `http://127.0.0.1:${port}`]],
  },
};

async function start(name, db = join(work, `${name}-${Date.now()}.db`), port = undefined) {
  const system = systems[name];
  port ??= await freePort();
  const [file, args] = system.command(port, db);
  const t0 = performance.now();
  const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return { name, port, base: `http://127.0.0.1:${port}`, child, pid: child.pid, t0, db, stderr: () => stderr };
}

async function stop(instance) {
  if (instance.child.exitCode !== null) return;
  const exited = new Promise((r) => instance.child.once('exit', r));
  instance.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10000)]);
  if (instance.child.exitCode === null) instance.child.kill('SIGKILL');
}

/** Polls until the request answers 200; returns ms since the process was spawned. */
async function until(instance, path, init) {
  const deadline = performance.now() + 120000;
  while (performance.now() < deadline) {
    if (instance.child.exitCode !== null) throw new Error(`${instance.name} exited (${instance.child.exitCode}): ${instance.stderr()}`);
    try {
      const response = await fetch(instance.base + path, init);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - instance.t0;
    } catch { /* not listening yet */ }
    await sleep(10);
  }
  throw new Error(`${instance.name}: no 200 from ${path} within 120 s: ${instance.stderr()}`);
}

const ccRequest = (system) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: system.ccForm });
const firstToken = (instance) => until(instance, systems[instance.name].tokenPath, ccRequest(systems[instance.name]));

function rssMb(pid) {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** Runs fn while sampling the RSS of pid every 50 ms; returns [result, peak MB]. */
async function sampled(pid, fn) {
  let peak = rssMb(pid);
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pid)); }, 50);
  try {
    const result = await fn();
    return [result, Math.max(peak, rssMb(pid))];
  } finally {
    clearInterval(timer);
  }
}

// ---- load generators ----------------------------------------------------------------------------------------------

function run(file, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${err}${out}`))));
  });
}

function luaPost(name, body, extraHeaders = {}) {
  const file = join(work, `${name}.lua`);
  const headers = Object.entries({ 'Content-Type': 'application/x-www-form-urlencoded', ...extraHeaders })
    .map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n');
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n${headers}\n`);
  return file;
}

/** wrk; returns req/s, failing the run when any answer was not 2xx/3xx (a benchmark of errors is no benchmark). */
async function wrk(url, secs, { threads = 2, connections = 32, timeout = 10, script } = {}) {
  // A 10 s timeout (wrk's default is 2 s): on a loaded machine a slow answer is counted, not dropped as a timeout.
  const args = [`-t${threads}`, `-c${connections}`, `-d${secs}s`, '--timeout', `${timeout}s`, ...(script ? ['-s', script] : []), url];
  const out = await run('wrk', args);
  const bad = out.match(/Non-2xx or 3xx responses: (\d+)/);
  if (bad) throw new Error(`wrk ${url}: ${bad[1]} answers were not 2xx/3xx\n${out}`);
  const socketErrors = out.match(/Socket errors: .*/);
  if (socketErrors) log(`wrk ${url}: ${socketErrors[0]}`);
  return Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
}

async function refreshChains(instance, tokensFile, secs) {
  const out = await run(process.execPath, [join(here, 'drivers/refresh-chains.mjs'), instance.base + systems[instance.name].tokenPath, spa.client_id, String(secs), tokensFile]);
  return JSON.parse(out.trim().split('\n').pop());
}

async function pbkdf2Rate(secs) {
  const out = await run('dotnet', [benchDll, 'pbkdf2', String(secs)]);
  return Number(out.match(/per_second=([\d.]+)/)[1]);
}

// ---- statistics and printing --------------------------------------------------------------------------------------

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—');
const log = (line) => console.log(`  ${line}`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

// ---- the run ------------------------------------------------------------------------------------------------------

const results = {};
const record = (key, system, value) => { ((results[key] ??= {})[system] ??= []).push(value); };
const servers = Object.keys(systems).filter((n) => n === 'latchkey' || n === 'before');
const issuers = [...servers, 'peer'];
const all = [...issuers, 'sign'];

console.log(`== (t) issue 12 table: ${all.map((n) => systems[n].label).join(' vs ')}${postgres ? ' (Latchkey on PostgreSQL)' : ''}; ${rounds} rounds x ${seconds} s, ${chains} refresh chains; load average ${load()}`);

// Cold start: each round starts every system from nothing (Latchkey: a new SQLite file, migrations, key generation,
// tenant import); then again on the database it just created (warm) until discovery answers: a real restart, on the
// same port and so with the same issuer (the built-in Management API is then unchanged, nothing is written).
for (let round = 0; round < coldRounds; round++) {
  for (const name of round % 2 ? [...all].reverse() : all) {
    const instance = await start(name);
    record('cold', name, await firstToken(instance));
    await stop(instance);
    if (name === 'sign') continue;
    const again = await start(name, instance.db, instance.port);
    record('warmDiscovery', name, await until(again, systems[name].discovery));
    await stop(again);
  }
}
log(`cold starts done (${elapsed()})`);

const running = {};
for (const name of all) {
  running[name] = await start(name);
  await firstToken(running[name]);
}
await sleep(3000);
for (const name of all) record('idleRss', name, rssMb(running[name].pid));

// First refresh tokens: one login per chain (a family each), one after the other: concurrent logins of one user from
// one address can trip the brute-force guard's counter (see docs/performance.md).
const tokenFiles = {};
for (const name of issuers) {
  const tokens = [];
  for (let i = 0; i < chains; i++) tokens.push(await systems[name].refreshToken(running[name].base, tenant));
  tokenFiles[name] = join(work, `${name}-chains.json`);
  writeFileSync(tokenFiles[name], JSON.stringify(tokens));
}

// Login: wrk posts the login form with one antiforgery pair (anonymous tokens are reusable). Two connections (two
// cores of PBKDF2) and a 60 s timeout: the brute-force guard counts attempts in flight per (user, IP) and blocks the
// pair at 10, and a request wrk abandons on timeout is still in flight on the server.
const user = tenant.users[0];
const loginScripts = {};
for (const name of servers) {
  const page = await fetch(`${running[name].base}/login?returnUrl=%2F`);
  const html = await page.text();
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const antiforgery = html.match(/name="__RequestVerificationToken" value="([^"]*)"/)[1].replaceAll('&amp;', '&');
  loginScripts[name] = luaPost(`login-${name}`, form({ email: user.email, password: user.password, returnUrl: '/', __RequestVerificationToken: antiforgery }), { Cookie: cookie });
}
const login = (name, secs) => wrk(url(name, '/login'), secs, { threads: 1, connections: 2, timeout: 60, script: loginScripts[name] });
const ccScripts = Object.fromEntries(all.map((name) => [name, luaPost(`cc-${name}`, systems[name].ccForm)]));
const url = (name, path) => running[name].base + path;

// Warm-up (tiered JIT settles under load, not in the first second): not recorded.
for (const name of all) await wrk(url(name, systems[name].tokenPath), warmup, { script: ccScripts[name] });
for (const name of issuers) {
  await refreshChains(running[name], tokenFiles[name], Math.max(2, warmup / 2));
  await wrk(url(name, systems[name].discovery), 1);
  await wrk(url(name, systems[name].jwks), 1);
}
for (const name of servers) await login(name, 2);
log(`warm-up done (${elapsed()}); load average ${load()}`);

for (let round = 0; round < rounds; round++) {
  const flip = (names) => (round % 2 ? [...names].reverse() : names);
  for (const name of flip(all)) {
    const [rps, peak] = await sampled(running[name].pid, () => wrk(url(name, systems[name].tokenPath), seconds, { script: ccScripts[name] }));
    record('cc', name, rps);
    record('ccPeak', name, peak);
  }
  for (const name of flip(issuers)) {
    const [chainRun, peak] = await sampled(running[name].pid, () => refreshChains(running[name], tokenFiles[name], seconds));
    record('refresh', name, chainRun.perSecond);
    record('refreshPeak', name, peak);
    record('broken', name, chainRun.broken);
    for (const e of chainRun.errors) log(`${systems[name].label} refresh chain broke: ${e}`);
  }
  for (const name of flip(issuers)) record('discovery', name, await wrk(url(name, systems[name].discovery), seconds / 2));
  for (const name of flip(issuers)) record('jwks', name, await wrk(url(name, systems[name].jwks), seconds / 2));
  // Logins are measured for longer: PBKDF2 makes each one cost ~0.1-0.2 s of a core.
  for (const name of flip([...servers, 'sign'])) {
    record('login', name, name === 'sign' ? await pbkdf2Rate(seconds) : await login(name, seconds * 1.5));
  }
  log(`round ${round + 1}/${rounds} done (${elapsed()}); load average ${load()}`);
}
await sleep(3000);
for (const name of all) record('afterRss', name, rssMb(running[name].pid));

// ---- the table ----------------------------------------------------------------------------------------------------

const get = (key, name) => results[key]?.[name] ?? [];
const med = (key, name) => median(get(key, name));
const perRound = (key, a, b, invert) => median(get(key, a).map((x, i) => (invert ? get(key, b)[i] / x : x / get(key, b)[i])));
const withBefore = servers.includes('before');
const rows = [];
const ratio = (value, perRoundValue) => `${fmt(value, 2)}${Number.isFinite(perRoundValue) ? ` (${fmt(perRoundValue, 2)})` : ''}`;
const row = (label, key, { digits = 0, lowerIsBetter = false, peak = false, limit = false } = {}) => {
  const pick = peak ? (k, n) => (get(k, n).length ? Math.max(...get(k, n)) : NaN) : med;
  const l = pick(key, 'latchkey');
  const p = pick(key, 'peer');
  const s = pick(key, 'sign');
  const better = (a, b) => (lowerIsBetter ? b / a : a / b);
  const cells = [label, fmt(l, digits)];
  if (withBefore) cells.push(fmt(pick(key, 'before'), digits));
  cells.push(fmt(p, digits), fmt(s, digits), ratio(better(l, p), peak ? NaN : perRound(key, 'latchkey', 'peer', lowerIsBetter)));
  cells.push(limit ? ratio(l / s, perRound(key, 'latchkey', 'sign', false)) : '');
  if (withBefore) cells.push(ratio(better(l, pick(key, 'before')), peak ? NaN : perRound(key, 'latchkey', 'before', lowerIsBetter)));
  rows.push(cells);
};
row('refresh-token rotations/s', 'refresh');
row('client_credentials tokens/s', 'cc', { limit: true });
row('cold start -> first token (ms)', 'cold', { lowerIsBetter: true });
row('warm db -> discovery (ms)', 'warmDiscovery', { lowerIsBetter: true });
row('idle RSS after start (MB)', 'idleRss', { lowerIsBetter: true });
row('peak RSS, token load (MB)', 'ccPeak', { lowerIsBetter: true, peak: true });
row('peak RSS, refresh load (MB)', 'refreshPeak', { lowerIsBetter: true, peak: true });
row('RSS idle after the loads (MB)', 'afterRss', { lowerIsBetter: true });
row('discovery req/s', 'discovery');
row('JWKS req/s', 'jwks');
row('login (password) /s vs raw PBKDF2/s', 'login', { digits: 1, limit: true });

const header = ['measure', 'Latchkey', ...(withBefore ? ['before'] : []), 'oidc-provider', 'sign-only | raw', 'vs peer (per-round)', 'vs limit (per-round)', ...(withBefore ? ['after/before (per-round)'] : [])];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `  | ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
console.log(line(header));
console.log(`  |${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
for (const r of rows) console.log(line(r));
const broken = Object.fromEntries(issuers.map((n) => [n, Math.max(0, ...get('broken', n))]));
log(`broken refresh chains (of ${chains}): ${issuers.map((n) => `${systems[n].label} ${broken[n]}`).join(', ')}`);
log('ratios: >= 1 means Latchkey is better (throughput: Latchkey/other; time and memory: other/Latchkey); "vs limit" = Latchkey/sign-only (tokens) or Latchkey/raw PBKDF2 (login)');
log('rounds (each system\'s figures in measurement order):');
for (const key of Object.keys(results)) {
  log(`  ${key}: ${Object.entries(results[key]).map(([n, xs]) => `${n} ${xs.map((x) => fmt(x, x < 100 ? 1 : 0)).join(' ')}`).join(' | ')}`);
}
log(`load average at the end ${load()}; ${elapsed()} in all`);

for (const name of all) await stop(running[name]);
if (Object.values(broken).some((b) => b > 0)) process.exitCode = 1;
