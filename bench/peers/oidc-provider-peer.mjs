// node oidc-provider (9.x, in-memory storage) configured with the same tenant as Latchkey (bench/tenant.json):
// the API as a resource indicator with RS256 JWT access tokens, the SPA (public client, PKCE, rotating refresh
// tokens), the M2M client (client_credentials for the API) and the user. Loopback only.
//
//   node bench/peers/oidc-provider-peer.mjs <port> <tenant.json>
//
// Prints "ready <issuer>" once it listens. Login is a minimal interaction: POST /interaction/<uid>/login with the
// user's email and password answers both prompts at once (login, and consent to exactly what was requested), the
// way Latchkey's first-party SPA needs no consent screen. bench/drivers/first-refresh-tokens.mjs drives it like a
// browser (authorize -> interaction -> resume -> callback code -> token request).
import { generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Provider, { errors } from 'oidc-provider';

const [port, tenantPath] = process.argv.slice(2);
const tenant = JSON.parse(readFileSync(tenantPath, 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const api = tenant.resource_servers[0];
const user = tenant.users[0];
const accountId = 'bench|user-1';

// One RSA-2048 signing key, as Latchkey signs with.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'peer-rs256', use: 'sig', alg: 'RS256' };

const clients = tenant.clients.map((c) => {
  const isPublic = c.app_type === 'spa' || c.app_type === 'native';
  return {
    client_id: c.client_id,
    ...(isPublic ? { token_endpoint_auth_method: 'none' } : { client_secret: c.client_secret, token_endpoint_auth_method: 'client_secret_post' }),
    grant_types: c.grant_types,
    response_types: c.grant_types.includes('authorization_code') ? ['code'] : [],
    redirect_uris: c.callbacks ?? [],
  };
});

const sameSecret = (a, b) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [jwk] },
  cookies: { keys: ['bench-cookie-key-0123456789abcdef'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  scopes: ['openid', 'offline_access', 'profile', 'email'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx, client, oneOf) => oneOf ?? api.identifier,
      // Like Latchkey: the refresh grant keeps issuing access tokens for the API the SPA asked for.
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, resource) => {
        if (resource !== api.identifier) throw new errors.InvalidTarget();
        return {
          scope: api.scopes.map((s) => s.value).join(' '),
          audience: api.identifier,
          accessTokenTTL: api.token_lifetime ?? 86400,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // Every refresh rotates (Latchkey's SPA has rotation_type "rotating"); a reused one revokes the grant.
  rotateRefreshToken: true,
  issueRefreshToken: (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  pkce: { required: () => true },
  ttl: {
    AccessToken: api.token_lifetime ?? 86400,
    AuthorizationCode: 300,
    ClientCredentials: api.token_lifetime ?? 86400,
    Grant: 30 * 24 * 3600,
    IdToken: 36000,
    Interaction: 3600,
    RefreshToken: 30 * 24 * 3600,
    Session: 14 * 24 * 3600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (ctx, sub) => (sub !== accountId ? undefined : {
    accountId,
    claims: () => ({ sub: accountId, email: user.email, email_verified: user.email_verified === true, name: user.name }),
  }),
});

provider.use(async (ctx, next) => {
  const match = ctx.method === 'POST' && /^\/interaction\/([^/]+)\/login$/.exec(ctx.path);
  if (!match) return next();
  const form = new URLSearchParams(await readBody(ctx.req));
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (!sameSecret(form.get('email') ?? '', user.email) || !sameSecret(form.get('password') ?? '', user.password)) {
    ctx.status = 400;
    ctx.body = 'wrong email or password';
    return undefined;
  }

  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  const scope = String(details.params.scope ?? '');
  grant.addOIDCScope(scope.split(' ').filter((s) => ['openid', 'offline_access', 'profile', 'email'].includes(s)).join(' '));
  grant.addResourceScope(api.identifier, scope.split(' ').filter((s) => api.scopes.some((x) => x.value === s)).join(' '));
  const grantId = await grant.save();
  return provider.interactionFinished(ctx.req, ctx.res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
});

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

provider.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
