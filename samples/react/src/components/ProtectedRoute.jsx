import { withAuthenticationRequired } from '@auth0/auth0-react';
import Loading from './Loading.jsx';

// Seed 002's PrivateRoute in today's form: an anonymous visitor is sent to the login page and
// comes back to the same path afterwards (appState.returnTo). Call it once per page, at module scope,
// so React keeps the wrapped component's identity between renders.
export function protect(component) {
  return withAuthenticationRequired(component, {
    onRedirecting: () => <Loading label="Redirecting to sign in…" />,
  });
}
