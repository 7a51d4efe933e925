import { Auth0Provider } from '@auth0/auth0-react';
import { useNavigate } from 'react-router';
import { config } from './config.js';

// Seed 002's Auth0Provider in today's API: `authorizationParams` carries redirect_uri and audience.
export default function Auth0ProviderWithNavigate({ children }) {
  const navigate = useNavigate();

  // After the login redirect, return to the page that asked for it (withAuthenticationRequired stores it).
  const onRedirectCallback = (appState) => {
    navigate(appState?.returnTo || window.location.pathname, { replace: true });
  };

  return (
    <Auth0Provider
      domain={config.domain}
      clientId={config.clientId}
      authorizationParams={{
        redirect_uri: window.location.origin,
        audience: config.audience,
        scope: 'openid profile email read:messages',
      }}
      useRefreshTokens={config.useRefreshTokens}
      // A refresh token is bound to the audience it was issued for; the Profile page asks for the
      // Management API, so with refresh tokens on it falls back to the iframe for that audience.
      useRefreshTokensFallback={config.useRefreshTokens}
      onRedirectCallback={onRedirectCallback}
    >
      {children}
    </Auth0Provider>
  );
}
