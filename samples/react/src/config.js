import fileConfig from './auth_config.json';

// Values come from src/auth_config.json (as in the seeds), and any VITE_LATCHKEY_* variable overrides them,
// so the same build can point at another Latchkey without editing files.
const env = import.meta.env;

function flag(value, fallback) {
  if (value === undefined || value === '') return fallback;
  return value === 'true' || value === '1';
}

// auth0-spa-js builds every URL as `${domain}/authorize`, so a trailing slash would produce `//authorize`.
const domain = (env.VITE_LATCHKEY_DOMAIN || fileConfig.domain).replace(/\/+$/, '');

export const config = {
  domain,
  clientId: env.VITE_LATCHKEY_CLIENT_ID || fileConfig.clientId,
  audience: env.VITE_LATCHKEY_AUDIENCE || fileConfig.audience,
  useRefreshTokens: flag(env.VITE_USE_REFRESH_TOKENS, Boolean(fileConfig.useRefreshTokens)),
};

// The Management API's audience is always `<issuer>api/v2/`, and the issuer is `${domain}/`.
export const managementApi = {
  audience: `${domain}/api/v2/`,
  scope: 'read:current_user update:current_user_metadata',
};
