// Serves the production build (dist/browser) the way a static host would: files, index.html for the
// app's routes, and /auth_config.json from public/ with LATCHKEY_* / API_URL environment overrides.
// `npm start` (ng serve) is the usual way to run the sample; this is for `ng build` output and the browser tests.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, 'dist', 'browser');
const port = Number(process.env.PORT || 4200);
const host = process.env.HOST || 'localhost';
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

async function config() {
  const file = JSON.parse(await readFile(join(here, 'public', 'auth_config.json'), 'utf8'));
  const env = process.env;
  return {
    domain: env.LATCHKEY_DOMAIN || file.domain,
    clientId: env.LATCHKEY_CLIENT_ID || file.clientId,
    audience: env.LATCHKEY_AUDIENCE || file.audience,
    apiUrl: env.API_URL || file.apiUrl,
    useRefreshTokens: env.USE_REFRESH_TOKENS ? env.USE_REFRESH_TOKENS === 'true' : Boolean(file.useRefreshTokens),
  };
}

createServer(async (req, res) => {
  const headers = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400, headers).end();
    return;
  }
  if (path === '/auth_config.json') {
    res.writeHead(200, { ...headers, 'Content-Type': types['.json'], 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(await config()));
    return;
  }
  const relative = extname(path) ? normalize(path).replace(/^([/\\])+/, '') : 'index.html';
  const file = join(root, relative);
  const body = file.startsWith(root + sep) ? await readFile(file).catch(() => null) : null;
  if (!body) {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
    return;
  }
  res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] || 'application/octet-stream' });
  res.end(body);
}).listen(port, host, () => console.log(`Angular sample (production build) on http://${host}:${port}`));
