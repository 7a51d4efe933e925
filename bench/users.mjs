// Part (u) of bench/run.sh: the Management API's user search and a login at 1,000 and at 100,000 users, on SQLite and
// on PostgreSQL (bench/README.md, "(u)"). Users are bulk-inserted with SQL (not through HTTP); each search is measured
// with wrk --latency on one connection (median and p99), and the plan of the SQL EF Core emitted for it is printed.
import { spawn, execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const dll = process.env.BENCH_LATCHKEY ?? join(here, '../src/Latchkey.Server/bin/Release/net10.0/Latchkey.Server.dll');
const tenantPath = join(here, 'users-tenant.json');
const tenant = JSON.parse(readFileSync(tenantPath, 'utf8'));
const issuer = 'http://bench.latchkey.local/';
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const total = Number(process.env.BENCH_USERS ?? 100000);
const small = 1000;
// A login is one PBKDF2 (~0.1 to 1 s on a loaded machine): measured longer, on one connection.
const loginSeconds = Number(process.env.BENCH_LOGIN_SECONDS ?? 6);
const loginRounds = Number(process.env.BENCH_LOGIN_ROUNDS ?? 3);
const median = (values) => { const v = [...values].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const medianOf = (rounds) => ({ p50: median(rounds.map((r) => r.p50)), p99: median(rounds.map((r) => r.p99)), rps: median(rounds.map((r) => r.rps)) });
const pgAdmin = process.env.BENCH_POSTGRES ?? 'host=127.0.0.1 port=5432 user=latchkey password=latchkey dbname=postgres';
const providers = (process.env.BENCH_PROVIDERS ?? 'sqlite,postgres').split(',');
const work = mkdtempSync(join(tmpdir(), 'latchkey-users-'));
const log = (...args) => console.log(...args);
const children = [];
process.on('exit', () => { for (const child of children) child.kill(); rmSync(work, { recursive: true, force: true }); });

// [name, query string, a fragment that identifies its SQL in EF Core's command log]
const searches = [
  ['exact email', 'q=' + encodeURIComponent('email:"user050000@example.com"') + '&search_engine=v3', /"NormalizedEmail" = @/],
  ['email prefix', 'q=' + encodeURIComponent('email:user0500*') + '&search_engine=v3', /"NormalizedEmail" LIKE/],
  ['metadata', 'q=' + encodeURIComponent('app_metadata.plan:"vip"') + '&search_engine=v3', /json_extract|@>/],
  ['page of 50 by created_at', 'sort=created_at%3A-1&per_page=50&page=3', /"CreatedAt" DESC/],
];

const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (cmd, args, input) => execFileSync(cmd, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });

function psql(db, sql) {
  const conn = pgAdmin.replace(/dbname=\S+/, `dbname=${db}`);
  return run('psql', [conn, '-v', 'ON_ERROR_STOP=1', '-Atq', '-c', sql]);
}

/** Users numbered [from, to): user000123@example.com, one in a thousand on plan "vip" (the others on 997 other plans), created a minute apart. */
function seedSql(provider, from, to) {
  if (provider === 'sqlite') {
    return `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${to})
INSERT INTO Users (UserId, Email, NormalizedEmail, EmailVerified, Name, Nickname, PasswordHash, UserMetadata, AppMetadata,
  Blocked, CreatedAt, UpdatedAt, LoginsCount)
SELECT printf('latchkey|bench%06d', i), printf('user%06d@example.com', i), printf('user%06d@example.com', i), 1,
  printf('User %d', i), printf('user%06d', i), (SELECT PasswordHash FROM Users WHERE NormalizedEmail = 'bench@latchkey.local'),
  '{}', json_object('plan', CASE WHEN i % 1000 = 0 THEN 'vip' ELSE 'plan' || (i % 997) END, 'n', i), 0,
  strftime('%Y-%m-%d %H:%M:%S', '2020-01-01', '+' || i || ' minutes') || '+00:00',
  strftime('%Y-%m-%d %H:%M:%S', '2020-01-01', '+' || i || ' minutes') || '+00:00', i % 7
FROM n; ANALYZE;`;
  }
  return `INSERT INTO "Users" ("UserId", "Email", "NormalizedEmail", "EmailVerified", "Name", "Nickname", "PasswordHash",
  "UserMetadata", "AppMetadata", "Blocked", "CreatedAt", "UpdatedAt", "LoginsCount")
SELECT format('latchkey|bench%s', lpad(i::text, 6, '0')), format('user%s@example.com', lpad(i::text, 6, '0')),
  format('user%s@example.com', lpad(i::text, 6, '0')), true, format('User %s', i), format('user%s', lpad(i::text, 6, '0')),
  (SELECT "PasswordHash" FROM "Users" WHERE "NormalizedEmail" = 'bench@latchkey.local'), '{}'::jsonb,
  jsonb_build_object('plan', CASE WHEN i % 1000 = 0 THEN 'vip' ELSE 'plan' || (i % 997) END, 'n', i), false,
  timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute', timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute', i % 7
FROM generate_series(${from}, ${to - 1}) AS i; ANALYZE "Users";`;
}

async function startServer(provider, database) {
  const port = await freePort();
  const connection = provider === 'sqlite'
    ? `Data Source=${database}`
    : `Host=127.0.0.1;Port=5432;Username=latchkey;Password=latchkey;Database=${database}`;
  // The server writes to a file, not a pipe: wrk runs synchronously (the event loop does not read a pipe meanwhile), and
  // a full pipe would block the server's console logger and then its requests. That stalled whole wrk runs
  // (0 requests in 4 s on a quiet machine; 30 req/s at a 1 ms median on a loaded one) before this was a file.
  const logFile = join(work, `${provider}-${port}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`, '--environment', 'Production',
    '--ConnectionStrings:Latchkey', connection, '--Latchkey:Import', tenantPath, '--Latchkey:SeedDevelopmentTenant', 'false',
    '--Latchkey:Issuer', issuer, '--Latchkey:Management:RateLimitPerMinute', '0', '--Logging:LogLevel:Default', 'Warning',
    '--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command', 'Information'], { stdio: ['ignore', out, out] });
  closeSync(out);
  children.push(child);
  const output = () => readFileSync(logFile, 'utf8');
  const base = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => { exited = true; });
  for (let i = 0; ; i++) {
    if (exited || i === 600) throw new Error(`the server did not start:\n${output()}`);
    try { if ((await fetch(`${base}/.well-known/openid-configuration`)).ok) break; } catch { /* starting */ }
    await sleep(100);
  }
  const stopped = new Promise((r) => child.once('exit', r));
  return { base, child, output, stop: async () => { child.kill(); await stopped; } };
}

async function managementToken(base) {
  const client = tenant.clients[0];
  const response = await fetch(`${base}/oauth/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret, audience: `${issuer}api/v2/` }),
  });
  if (!response.ok) throw new Error(`token: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

function toMs(value) {
  const [, number, unit] = value?.match(/([\d.]+)(us|ms|s)/) ?? [null, 'NaN', 'ms'];
  return Number(number) * (unit === 'us' ? 0.001 : unit === 's' ? 1000 : 1);
}

/** wrk --latency on one connection: median and p99 in ms, requests/s. Fails on any non-2xx answer. */
function latency(url, headers = {}, script, duration = seconds) {
  const args = ['-t1', '-c1', `-d${duration}s`, '--latency', '--timeout', '10s', ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), ...(script ? ['-s', script] : []), url];
  const out = run('wrk', args);
  if (/Non-2xx or 3xx responses/.test(out)) throw new Error(`wrk ${url}: non-2xx answers\n${out}`);
  // A row of zeros (no request finished within the run) must not pass for a figure.
  if (!(Number(out.match(/Requests\/sec:\s+([\d.]+)/)?.[1]) > 0)) throw new Error(`wrk ${url}: no request completed in ${duration} s\n${out}`);
  return { p50: toMs(out.match(/^\s+50%\s+(\S+)/m)?.[1]), p99: toMs(out.match(/^\s+99%\s+(\S+)/m)?.[1]), rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]) };
}

async function loginScript(base) {
  const page = await fetch(`${base}/login?returnUrl=%2F`);
  const html = await page.text();
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const antiforgery = html.match(/name="__RequestVerificationToken" value="([^"]*)"/)[1].replaceAll('&amp;', '&');
  const user = tenant.users[0];
  const body = new URLSearchParams({ email: user.email, password: user.password, returnUrl: '/', __RequestVerificationToken: antiforgery }).toString();
  const file = join(work, `login-${Date.now()}.lua`);
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\nwrk.headers["Cookie"] = ${JSON.stringify(cookie)}\n`);
  return file;
}

/** The last SELECT on "Users" EF Core logged that matches <fragment> (parameters shown as ?). */
async function lastUserSelect(server, fragment) {
  await sleep(500); // the console logger writes asynchronously
  const commands = server.output().split(/\n(?=\S)/).filter((entry) => entry.includes('Executed DbCommand') && fragment.test(entry) && !/COUNT\(\*\)/.test(entry));
  const entry = commands.at(-1);
  return entry ? entry.split('\n').slice(1).filter((line) => !/Executed DbCommand/.test(line)).join('\n').replace(/^ {6}/gm, '').trim() : null;
}

/** Binds EF Core's @parameters to literal values (in order of first appearance) for EXPLAIN. */
function bind(sql, values) {
  const names = [...new Set(sql.match(/@[A-Za-z_][A-Za-z0-9_]*/g) ?? [])];
  let bound = sql;
  names.forEach((name, i) => { bound = bound.replaceAll(new RegExp(`${name}\\b`, 'g'), values[i] ?? 'NULL'); });
  return bound;
}

// The values of each request's parameters, in the order they first appear in EF Core's SQL (the last two are LIMIT, OFFSET).
const literals = {
  'exact email': () => ["'user050000@example.com'", '50', '0'],
  'email prefix': (p) => p === 'sqlite' ? ["'user0500'", `'user0500' || char(1114111)`, "'user0500%'", '50', '0'] : ["'user0500%'", '50', '0'],
  metadata: (p) => p === 'sqlite' ? ["'vip'", '50', '0'] : [`'{"plan":"vip"}'`, '50', '0'],
  'page of 50 by created_at': () => ['50', '150'],
};

function explain(provider, database, sql, values) {
  const bound = bind(sql, values);
  return provider === 'sqlite'
    ? run('sqlite3', [database, `EXPLAIN QUERY PLAN ${bound}`]).trim()
    : psql(database, `EXPLAIN ${bound}`).trim();
}

const results = [];
for (const provider of providers) {
  const database = provider === 'sqlite' ? join(work, 'users.db') : `latchkey_users_bench_${process.pid}`;
  const smallDatabase = provider === 'sqlite' ? join(work, 'users-small.db') : `latchkey_users_bench_small_${process.pid}`;
  if (provider === 'postgres') { psql('postgres', `CREATE DATABASE "${database}"`); psql('postgres', `CREATE DATABASE "${smallDatabase}"`); }
  try {
    log(`\n== ${provider}: migrate and import the tenant`);
    const seed = (db, from, to) => {
      const started = performance.now();
      if (provider === 'sqlite') run('sqlite3', [db], seedSql(provider, from, to));
      else psql(db, seedSql(provider, from, to));
      log(`seeded users ${from}..${to - 1} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    };
    for (const db of [database, smallDatabase]) await (await startServer(provider, db)).stop();
    seed(smallDatabase, 1, small);
    seed(database, 1, total);
    // Login at 1k and at 100k users: both servers run at once and are measured in alternation (BENCH_LOGIN_ROUNDS),
    // so the machine's load hits both alike; each figure is the median of the per-round medians.
    const smallServer = await startServer(provider, smallDatabase);
    let server = await startServer(provider, database);
    const scripts = [await loginScript(smallServer.base), await loginScript(server.base)];
    const smallRounds = [];
    const largeRounds = [];
    for (let round = 0; round < loginRounds; round++) {
      smallRounds.push(latency(`${smallServer.base}/login`, {}, scripts[0], loginSeconds));
      largeRounds.push(latency(`${server.base}/login`, {}, scripts[1], loginSeconds));
    }
    await smallServer.stop();
    const loginSmall = medianOf(smallRounds);
    const loginLarge = medianOf(largeRounds);
    const token = await managementToken(server.base);
    const auth = { Authorization: `Bearer ${token}` };
    for (const [name, query, fragment] of searches) {
      const url = `${server.base}/api/v2/users?${query}`;
      const answer = await fetch(url, { headers: auth });
      const body = await answer.json();
      if (!answer.ok) throw new Error(`${name}: ${answer.status} ${JSON.stringify(body)}`);
      latency(url, auth); // warm-up
      const figures = latency(url, auth);
      const sql = await lastUserSelect(server, fragment);
      results.push({ provider, name, found: body.length, ...figures });
      log(`\n-- ${provider} · ${name}: ${body.length} users, median ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms, ${figures.rps} req/s`);
      log(`SQL (EF Core):\n${sql}`);
      log(`plan:\n${sql ? explain(provider, database, sql, literals[name](provider)) : '(not captured)'}`);
    }
    if (provider === 'sqlite') {
      // SQLite has no index over every JSON key: an expression index per searched key serves it (docs/performance.md).
      run('sqlite3', [database], `CREATE INDEX IF NOT EXISTS "IX_Users_AppMetadata_plan" ON "Users" (json_extract("AppMetadata", '$."plan"')); ANALYZE;`);
      await server.stop();
      server = await startServer(provider, database);
      const url = `${server.base}/api/v2/users?${searches[2][1]}`;
      const auth2 = { Authorization: `Bearer ${await managementToken(server.base)}` };
      latency(url, auth2);
      const figures = latency(url, auth2);
      const sql = await lastUserSelect(server, searches[2][2]);
      results.push({ provider, name: 'metadata, expression index', found: 100, ...figures });
      log(`\n-- sqlite · metadata with an expression index on json_extract("AppMetadata", '$."plan"'): median ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms`);
      log(`plan:\n${explain(provider, database, sql, literals.metadata(provider))}`);
    }
    results.push({ provider, name: `login at ${small} users`, ...loginSmall });
    results.push({ provider, name: `login at ${total} users`, ...loginLarge });
    log(`\n-- ${provider} · login: ${small} users median ${loginSmall.p50.toFixed(1)} ms (${loginSmall.rps}/s), ${total} users median ${loginLarge.p50.toFixed(1)} ms (${loginLarge.rps}/s): ratio ${(loginLarge.p50 / loginSmall.p50).toFixed(2)} (goal <= 1.2)`);
    await server.stop();
  } finally {
    if (provider === 'postgres') for (const db of [database, smallDatabase]) psql('postgres', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  }
}

log(`\n== (u) users: ${total} users, wrk -t1 -c1 -d${seconds}s --latency per row; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
log('| database | request | median ms | p99 ms | req/s |');
log('|---|---|---|---|---|');
for (const r of results) log(`| ${r.provider} | ${r.name} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.rps} |`);
