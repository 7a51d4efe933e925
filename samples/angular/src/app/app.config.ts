import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { provideRouter, withComponentInputBinding } from '@angular/router';
import { authHttpInterceptorFn, provideAuth0 } from '@auth0/auth0-angular';
import { routes } from './app.routes';
import { SAMPLE_CONFIG, SampleConfig } from './sample-config';

// Seed 004 in today's form: instead of angular2-jwt's AuthHttp with a token from localStorage,
// @auth0/auth0-angular's interceptor gets a token from the SDK and attaches it to calls to the
// protected endpoints listed in `allowedList` only; the public endpoint gets no token.
export function appConfig(config: SampleConfig): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideRouter(routes, withComponentInputBinding()),
      provideHttpClient(withInterceptors([authHttpInterceptorFn])),
      provideAuth0({
        domain: config.domain,
        clientId: config.clientId,
        authorizationParams: {
          redirect_uri: window.location.origin,
          audience: config.audience,
          scope: 'openid profile email read:messages',
        },
        useRefreshTokens: config.useRefreshTokens,
        useRefreshTokensFallback: config.useRefreshTokens,
        httpInterceptor: {
          allowedList: [`${config.apiUrl}/private`, `${config.apiUrl}/private-scoped`, `${config.apiUrl}/external`],
        },
      }),
      { provide: SAMPLE_CONFIG, useValue: config },
    ],
  };
}
