// Part (i) of bench/run.sh: importing 10,000 users from Auth0 on SQLite (bench/README.md, "(i)"), two ways:
//  1. the import-auth0 command on a users export + password-hash export (NDJSON), as a fresh process;
//  2. POST /api/v2/jobs/users-imports on a running server, the users split into files under Auth0's 500 KB limit,
//     timed from the first POST to the last job completed.
// For each: wall time and the process's peak RSS (VmHWM). Every user carries a bcrypt hash at cost 10; the import stores
// hashes as they are, so one real hash (made by libxcrypt, tests/…/Fixtures/auth0-export) is reused for all users.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const dll = process.env.BENCH_LATCHKEY ?? join(here, '../src/Latchkey.Server/bin/Release/net10.0/Latchkey.Server.dll');
const total = Number(process.env.BENCH_IMPORT_USERS ?? 10000);
const timeoutMs = Number(process.env.BENCH_IMPORT_TIMEOUT ?? 300) * 1000;
const issuer = 'http://bench.latchkey.local/';
const hash = JSON.parse(readFileSync(join(here, '../tests/Latchkey.Server.Tests/Fixtures/auth0-export/hashes.ndjson'), 'utf8').split('\n')[0]).passwordHash;
const work = mkdtempSync(join(tmpdir(), 'latchkey-import-'));
const children = [];
process.on('exit', () => { for (const child of children) child.kill(); rmSync(work, { recursive: true, force: true }); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); }); });
const mib = (kib) => `${(kib / 1024).toFixed(0)} MiB`;

const oid = (i) => (0x60425dc43519d90068000000n + BigInt(i)).toString(16).padStart(24, '0');
const profile = (i) => ({
  email: `user${String(i).padStart(6, '0')}@example.com`, email_verified: true, given_name: `Given${i}`, family_name: 'Imported',
  name: `User ${i}`, user_metadata: { theme: i % 2 ? 'dark' : 'light' }, app_metadata: { plan: `plan${i % 7}` },
});

/** Starts the server's dll with args; samples VmHWM (peak RSS) until it exits or is stopped. */
function start(args) {
  const child = spawn('dotnet', [dll, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = [];
  child.stdout.on('data', (d) => out.push(d));
  child.stderr.on('data', (d) => out.push(d));
  let peak = 0;
  const sample = setInterval(() => {
    try { peak = Math.max(peak, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1])); } catch { /* exited */ }
  }, 50);
  const exited = new Promise((resolve) => child.on('exit', (code) => { clearInterval(sample); resolve(code); }));
  return { child, exited, peak: () => peak, output: () => Buffer.concat(out).toString() };
}

async function viaCommand() {
  const users = [], hashes = [];
  for (let i = 0; i < total; i++) {
    users.push(JSON.stringify({ user_id: `auth0|${oid(i)}`, ...profile(i) }));
    hashes.push(JSON.stringify({ _id: { $oid: oid(i) }, email: profile(i).email, email_verified: true, passwordHash: hash, connection: 'Username-Password-Authentication' }));
  }
  writeFileSync(join(work, 'users.ndjson'), users.join('\n') + '\n');
  writeFileSync(join(work, 'hashes.ndjson'), hashes.join('\n') + '\n');
  const began = performance.now();
  const run = start(['import-auth0', '--users', join(work, 'users.ndjson'), '--hashes', join(work, 'hashes.ndjson'),
    '--ConnectionStrings:Latchkey', `Data Source=${join(work, 'command.db')}`, '--Latchkey:SeedDevelopmentTenant', 'false',
    '--Logging:LogLevel:Default', 'Warning']);
  const code = await Promise.race([run.exited, sleep(timeoutMs).then(() => { run.child.kill(); return 'timeout'; })]);
  const seconds = (performance.now() - began) / 1000;
  if (code !== 0) throw new Error(`import-auth0 exited ${code}: ${run.output().slice(-2000)}`);
  console.log(`import-auth0 command, ${total} users: ${seconds.toFixed(1)} s wall (process start, migrations included), peak RSS ${mib(run.peak())}`);
  console.log(`  ${run.output().trim().split('\n').at(-1)}`);
}

async function viaJobs() {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const tenant = {
    clients: [{ client_id: 'bench-admin', client_secret: 'bench-admin-secret-0123456789-abcdefghijk', name: 'Bench Admin', app_type: 'non_interactive', grant_types: ['client_credentials'] }],
    client_grants: [{ client_id: 'bench-admin', audience: `${issuer}api/v2/`, scope: ['create:users', 'read:users', 'read:connections'] }],
  };
  writeFileSync(join(work, 'tenant.json'), JSON.stringify(tenant));
  const server = start(['--urls', url, '--Latchkey:Issuer', issuer, '--ConnectionStrings:Latchkey', `Data Source=${join(work, 'jobs.db')}`,
    '--Latchkey:Import', join(work, 'tenant.json'), '--Latchkey:SeedDevelopmentTenant', 'false', '--Logging:LogLevel:Default', 'Warning',
    '--Latchkey:Management:RateLimitPerMinute', '0']);
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${url}/.well-known/openid-configuration`)).ok) break; } catch { /* not yet */ }
    if (i > 600) throw new Error(`server did not start: ${server.output().slice(-2000)}`);
    await sleep(100);
  }
  const tokenResponse = await fetch(`${url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bench-admin', client_secret: tenant.clients[0].client_secret, audience: `${issuer}api/v2/` }) });
  const { access_token: token } = await tokenResponse.json();
  const headers = { authorization: `Bearer ${token}` };
  const [connection] = await (await fetch(`${url}/api/v2/connections`, { headers })).json();

  // Files as big as Auth0 allows (500 KB), as a migration script would cut them.
  const files = [];
  let current = [];
  let size = 2;
  for (let i = 0; i < total; i++) {
    const user = JSON.stringify({ user_id: oid(i), ...profile(i), password_hash: hash });
    if (size + user.length + 1 > 500 * 1024 - 1024) { files.push(`[${current.join(',')}]`); current = []; size = 2; }
    current.push(user);
    size += user.length + 1;
  }
  files.push(`[${current.join(',')}]`);
  const rssBefore = server.peak();
  const began = performance.now();
  const ids = [];
  for (const file of files) {
    const form = new FormData();
    form.append('users', new Blob([file], { type: 'application/json' }), 'users.json');
    form.append('connection_id', connection.id);
    const response = await fetch(`${url}/api/v2/jobs/users-imports`, { method: 'POST', headers, body: form });
    if (response.status !== 202) throw new Error(`POST users-imports: ${response.status} ${await response.text()}`);
    ids.push((await response.json()).id);
  }
  let inserted = 0;
  for (const id of ids) {
    for (;;) {
      const job = await (await fetch(`${url}/api/v2/jobs/${id}`, { headers })).json();
      if (job.status === 'completed' || job.status === 'failed') { inserted += job.summary?.inserted ?? 0; break; }
      if (performance.now() - began > timeoutMs) throw new Error('jobs did not complete in time');
      await sleep(100);
    }
  }
  const seconds = (performance.now() - began) / 1000;
  console.log(`POST /api/v2/jobs/users-imports, ${total} users in ${files.length} files of ≤ 500 KB: ${seconds.toFixed(1)} s from the first POST to the last job completed `
    + `(${(total / seconds).toFixed(0)} users/s), ${inserted} inserted; server peak RSS ${mib(server.peak())} (${mib(rssBefore)} before the import)`);
  server.child.kill();
  await server.exited;
}

console.log(`== (i) importing ${total} users from Auth0 on SQLite (load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
await viaCommand();
await viaJobs();
