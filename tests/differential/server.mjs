// The seeds' API stack as the Auth0 quickstarts write it: express + express-oauth2-jwt-bearer with requiredScopes.
// Started by Latchkey.AspNetCore.Tests (DifferentialTests) with ISSUER, AUDIENCE and PORT; prints "listening <port>".
import express from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';

const issuer = process.env.ISSUER;
const audience = process.env.AUDIENCE ?? 'https://quickstarts/api';
if (!issuer) {
  console.error('ISSUER is required');
  process.exit(2);
}

const checkJwt = auth({ issuerBaseURL: issuer, audience });
const app = express();

app.get('/api/public', (req, res) => res.json({ message: 'public' }));
app.get('/api/private', checkJwt, (req, res) => res.json({ message: 'private' }));
app.get('/api/private-scoped', checkJwt, requiredScopes('read:messages'), (req, res) => res.json({ message: 'scoped' }));
app.get('/api/external', checkJwt, (req, res) => res.json({ message: 'external' }));

// The library sets status and WWW-Authenticate only; the body is the app's choice.
app.use((err, req, res, next) => {
  res.status(err.status ?? 500).json({ error: err.code ?? 'error', error_description: err.message });
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
