// A tiny static server for the vanilla sample: no dependencies, no build step.
// Serves public/, answers /auth_config.json (the file, with LATCHKEY_* environment overrides),
// and falls back to index.html for the app's routes (/external-api, /profile).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), 'public');
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || 'localhost';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

async function loadConfig() {
  const file = JSON.parse(await readFile(join(root, 'auth_config.json'), 'utf8'));
  const env = process.env;
  const flag = (value, fallback) => (value === undefined || value === '' ? fallback : value === 'true' || value === '1');
  return {
    domain: (env.LATCHKEY_DOMAIN || file.domain).replace(/\/+$/, ''),
    clientId: env.LATCHKEY_CLIENT_ID || file.clientId,
    audience: env.LATCHKEY_AUDIENCE || file.audience,
    apiUrl: (env.API_URL || file.apiUrl).replace(/\/+$/, ''),
    useRefreshTokens: flag(env.USE_REFRESH_TOKENS, Boolean(file.useRefreshTokens)),
  };
}

function origin(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

// The page talks to Latchkey (token endpoint, the silent-auth iframe) and to the API, and nothing else.
function securityHeaders(config) {
  const latchkey = origin(config.domain);
  const api = origin(config.apiUrl);
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      'img-src * data:',
      `connect-src 'self' ${latchkey} ${api}`,
      `frame-src ${latchkey}`,
      // auth0-spa-js runs its refresh-token worker from a blob: URL.
      "worker-src 'self' blob:",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}

const server = createServer(async (req, res) => {
  try {
    const config = await loadConfig();
    const headers = securityHeaders(config);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    if (path === '/auth_config.json') {
      res.writeHead(200, { ...headers, 'Content-Type': types['.json'], 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(config));
      return;
    }
    // Anything without an extension is a route of the single-page app.
    const relative = extname(path) ? normalize(path).replace(/^([/\\])+/, '') : 'index.html';
    const file = join(root, relative);
    if (!file.startsWith(root + sep)) {
      res.writeHead(404, headers).end();
      return;
    }
    const body = await readFile(file).catch(() => null);
    if (!body) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': types[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    console.error(error);
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error');
  }
});

server.listen(port, host, () => console.log(`Vanilla sample on http://${host}:${port}`));
