// Part (s): where a start's milliseconds go, per build. Each round starts every build cold (a new SQLite file, the
// tenant imported from bench/tenant.json) until its first client_credentials token, stops it, and restarts it warm on
// the same database, port and issuer (a real restart: the built-in Management API is "unchanged") until discovery
// answers. The server's StartupTimeline (docs/performance.md, finding 5) is logged at Debug to a file per start; the
// table gives the median of every step over the rounds (wall clock, and the process's CPU time, which on a loaded
// machine moves far less than the wall clock), to the first answer (CPU from /proc: user + system) and VmRSS 3 s after.
// Started by bench/run.sh (BENCH_PARTS=s) with BENCH_STARTUP_BUILDS="label=path.dll,label=path.dll@NAME=value;NAME=value"
// (a build with its own environment, e.g. runtime settings: DOTNET_TieredPGO=0).
// Knobs: BENCH_STARTUP_ROUNDS (3), BENCH_STARTUP_ENV ("NAME=value,…" added to every server's environment),
// BENCH_STARTUP_LOAD (seconds, default 0 = off): after the cold start's idle RSS, client_credentials load (wrk -t2 -c32,
// as part t) for that long twice, the first a warm-up; the second gives CPU ms per token (the process's CPU time over
// the tokens issued: it holds on a loaded machine, where tokens/s does not) and the peak RSS (sampled every 50 ms).
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tenantPath = join(here, 'tenant.json');
const tenant = JSON.parse(readFileSync(tenantPath, 'utf8'));
const m2m = tenant.clients.find((c) => c.grant_types.includes('client_credentials'));
const api = tenant.resource_servers[0].identifier;
const rounds = Number(process.env.BENCH_STARTUP_ROUNDS ?? 3);
const loadSeconds = Number(process.env.BENCH_STARTUP_LOAD ?? 0);
// "label=path.dll" or "label=path.dll@NAME=value;NAME=value" (that build's own environment, e.g. runtime settings).
const builds = (process.env.BENCH_STARTUP_BUILDS ?? '').split(',').filter(Boolean).map((b) => {
  const [label, rest] = [b.slice(0, b.indexOf('=')), b.slice(b.indexOf('=') + 1)];
  const [dll, settings = ''] = rest.split('@');
  return [label, dll, Object.fromEntries(settings.split(';').filter(Boolean).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]))];
});
const extraEnv = Object.fromEntries((process.env.BENCH_STARTUP_ENV ?? '').split(',').filter(Boolean).map((p) => p.split('=')));
const work = mkdtempSync(join(tmpdir(), 'latchkey-startup-'));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ticks = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux
const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const freePort = () => new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});

function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks; // utime, stime (fields 14 and 15)
}

function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

let serial = 0;
/** Starts the server, polls path until 200, returns { wallMs, cpuMs, rssMb, steps } and stops it. */
async function measure([, dll, buildEnv], db, port, path, init) {
  const log = join(work, `server-${++serial}.log`);
  const out = openSync(log, 'w');
  const t0 = performance.now();
  const child = spawn('dotnet', [dll, '--urls', `http://127.0.0.1:${port}`, '--environment', 'Production',
    '--ConnectionStrings:Latchkey', `Data Source=${db}`, '--Latchkey:Import', tenantPath, '--Latchkey:SeedDevelopmentTenant', 'false',
    '--Logging:LogLevel:Default', 'Warning', '--Logging:LogLevel:Latchkey.Server.Hosting.StartupTimeline', 'Debug',
    '--Logging:Console:FormatterName', 'simple', '--Logging:Console:FormatterOptions:SingleLine', 'true'],
  { stdio: ['ignore', out, out], env: { ...process.env, ...extraEnv, ...buildEnv, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  children.add(child);
  let result;
  for (const deadline = t0 + 120000; performance.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); see ${log}: ${readFileSync(log, 'utf8').slice(-2000)}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`, init);
      await response.arrayBuffer();
      if (response.status === 200) {
        result = { wallMs: performance.now() - t0, cpuMs: cpuMs(child.pid) };
        break;
      }
    } catch { /* not listening yet */ }
    await sleep(10);
  }
  if (!result) throw new Error(`no 200 from ${path} within 120 s`);
  await sleep(3000);
  result.rssMb = rssMb(child.pid);
  if (init && loadSeconds > 0) Object.assign(result, await tokenLoad(child.pid, port, init.body));
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  children.delete(child);
  closeSync(out);
  result.steps = {};
  result.cpuSteps = {};
  for (const m of readFileSync(log, 'utf8').matchAll(/Start-up: (.+?) took (\d+) ms(?: \((\d+) ms CPU since the previous step\))?, done/g)) {
    // "(written)"/"(unchanged)" and "(applied)"/"(skipped)" stay in the step's name: a warm start must show them.
    result.steps[m[1]] = Number(m[2]);
    result.cpuSteps[m[1]] = m[3] === undefined ? NaN : Number(m[3]); // older builds log no CPU
  }
  return result;
}

/** client_credentials load on the running server: CPU ms per token and peak RSS (MB) of the second of two wrk runs. */
async function tokenLoad(pid, port, body) {
  const script = join(work, 'cc.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`);
  const wrk = () => new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t2', '-c32', `-d${loadSeconds}s`, '--timeout', '10s', '-s', script, `http://127.0.0.1:${port}/oauth/token`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}`))));
  });
  await wrk();
  let peak = rssMb(pid);
  const timer = setInterval(() => { peak = Math.max(peak, rssMb(pid)); }, 50);
  const cpuBefore = cpuMs(pid);
  const out = await wrk();
  const cpu = cpuMs(pid) - cpuBefore;
  clearInterval(timer);
  if (/Non-2xx/.test(out)) throw new Error(`non-2xx answers under load:\n${out}`);
  const tokens = Number(out.match(/(\d+) requests in/)[1]);
  await sleep(3000);
  return { cpuPerToken: cpu / tokens, peakMb: Math.max(peak, rssMb(pid)), afterLoadMb: rssMb(pid) };
}

const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

console.log(`== (s) start-up timeline: ${builds.map(([l]) => l).join(' vs ')}; ${rounds} rounds, cold (new SQLite file + import -> first token) and warm (restart, same port and issuer -> discovery); load average ${load()}`);
const token = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'client_credentials', client_id: m2m.client_id, client_secret: m2m.client_secret, audience: api }).toString() };
const results = {}; // results[kind][label] = [run, ...]
for (let round = 0; round < rounds; round++) {
  for (const build of round % 2 ? [...builds].reverse() : builds) {
    const label = build[0];
    const db = join(work, `${label.replace(/\W/g, '_')}-${round}.db`);
    const port = await freePort();
    ((results.cold ??= {})[label] ??= []).push(await measure(build, db, port, '/oauth/token', token));
    ((results.warm ??= {})[label] ??= []).push(await measure(build, db, port, '/.well-known/openid-configuration'));
  }
  console.log(`  round ${round + 1}/${rounds} done; load average ${load()}`);
}

for (const kind of ['cold', 'warm']) {
  const labels = builds.map(([l]) => l);
  const stepNames = [...new Set(labels.flatMap((l) => results[kind][l].flatMap((r) => Object.keys(r.steps))))];
  // Each step: wall-clock ms / CPU ms since the previous step (a parent step such as "tenant (…)" spans its sub-steps,
  // so its CPU column is only the remainder after the last one).
  const rows = [
    ...stepNames.map((s) => [s, ...labels.flatMap((l) => [median(results[kind][l].map((r) => r.steps[s])), median(results[kind][l].map((r) => r.cpuSteps[s]))])]),
    [kind === 'cold' ? 'process start to the first token' : 'process start to discovery', ...labels.flatMap((l) => [median(results[kind][l].map((r) => r.wallMs)), median(results[kind][l].map((r) => r.cpuMs))])],
    ['VmRSS 3 s later (MB)', ...labels.flatMap((l) => [median(results[kind][l].map((r) => r.rssMb)), NaN])],
    ...(kind === 'cold' && loadSeconds > 0 ? [
      ['client_credentials: CPU ms per token x 100', ...labels.flatMap((l) => [NaN, 100 * median(results[kind][l].map((r) => r.cpuPerToken))])],
      ['client_credentials: peak VmRSS (MB)', ...labels.flatMap((l) => [median(results[kind][l].map((r) => r.peakMb)), NaN])],
      ['VmRSS 3 s after the load (MB)', ...labels.flatMap((l) => [median(results[kind][l].map((r) => r.afterLoadMb)), NaN])],
    ] : []),
  ];
  const header = [`${kind} start, median ms`, ...labels.flatMap((l) => [`${l} wall`, `${l} CPU`])];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === 0 ? r[0].length : Math.round(r[i]).toString().length))));
  console.log(`  | ${header.map((h, i) => (i === 0 ? h.padEnd(widths[i]) : h.padStart(widths[i]))).join(' | ')} |`);
  console.log(`  |${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows) {
    console.log(`  | ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : (Number.isFinite(c) ? Math.round(c).toString() : '—').padStart(widths[i]))).join(' | ')} |`);
  }
}
console.log(`  load average at the end ${load()}`);
