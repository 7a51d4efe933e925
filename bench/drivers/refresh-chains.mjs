// Refresh-token rotation load: N chains at once, each posting its current refresh token and continuing with the one
// it gets back, for a fixed time. A chain "breaks" when an answer is not 200 with a new refresh token, an access token
// and an ID token (each request is a rotation: with reuse detection, a lost or reused token ends the family).
//
//   node refresh-chains.mjs <token-url> <client-id> <seconds> <tokens.json>
//
// tokens.json holds the chains' current refresh tokens (null for a broken chain) and is rewritten at the end, so the
// next round continues the same chains. Prints one JSON line: { rotations, seconds, perSecond, broken, errors }.
import { readFileSync, writeFileSync } from 'node:fs';

const [tokenUrl, clientId, seconds, tokensFile] = process.argv.slice(2);
const tokens = JSON.parse(readFileSync(tokensFile, 'utf8'));
const deadline = performance.now() + Number(seconds) * 1000;
const errors = [];
let rotations = 0;

async function chain(i) {
  while (tokens[i] !== null && performance.now() < deadline) {
    const body = new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, refresh_token: tokens[i] }).toString();
    let status = 0;
    let json;
    try {
      const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      status = response.status;
      json = await response.json();
    } catch (error) {
      json = { error: String(error) };
    }

    if (status === 200 && json.refresh_token && json.refresh_token !== tokens[i] && json.access_token && json.id_token) {
      tokens[i] = json.refresh_token;
      rotations++;
    } else {
      errors.push(`chain ${i}: ${status} ${JSON.stringify(json).slice(0, 200)}`);
      tokens[i] = null;
    }
  }
}

const started = performance.now();
await Promise.all(tokens.map((_, i) => chain(i)));
const elapsed = (performance.now() - started) / 1000;
writeFileSync(tokensFile, JSON.stringify(tokens));
console.log(JSON.stringify({ rotations, seconds: elapsed, perSecond: rotations / elapsed, broken: tokens.filter((t) => t === null).length, errors }));
