// Serves the auth0-js (v9) test page and the SDK files straight from node_modules, on LEGACY_PORT.
// /config.json tells the page where Latchkey and the API are.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { apiUrl, apps, audience, clients, domain, issuer } from './env.mjs';

const file = (relative) => fileURLToPath(new URL(`../${relative}`, import.meta.url));
const routes = {
  '/legacy.html': [file('pages/legacy.html'), 'text/html; charset=utf-8'],
  '/legacy.js': [file('pages/legacy.js'), 'text/javascript; charset=utf-8'],
  '/vendor/auth0.min.js': [file('node_modules/auth0-js/dist/auth0.min.js'), 'text/javascript; charset=utf-8'],
};
const config = { domain, issuer, clientId: clients.legacy, audience, apiUrl };

const { port, hostname } = new URL(apps.legacy);
createServer(async (req, res) => {
  const path = new URL(req.url, apps.legacy).pathname;
  if (path === '/config.json') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(config));
    return;
  }
  const route = routes[path];
  if (!route) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, { 'Content-Type': route[1], 'Cache-Control': 'no-store' }).end(await readFile(route[0]));
}).listen(Number(port), hostname, () => console.log(`auth0-js test page on ${apps.legacy}/legacy.html`));
