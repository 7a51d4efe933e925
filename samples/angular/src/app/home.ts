import { Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { AuthService } from '@auth0/auth0-angular';
import { SAMPLE_CONFIG } from './sample-config';

@Component({
  selector: 'app-home',
  imports: [RouterLink],
  template: `
    <section class="hero">
      <h1>Call a protected API from Angular</h1>
      <p class="lead">
        Auth0's Angular quickstart, unchanged: <code>&#64;auth0/auth0-angular</code> signs you in against a
        self-hosted Latchkey server, and its HTTP interceptor attaches the access token to calls to the sample API.
      </p>
      @if (isAuthenticated()) {
        <p class="welcome">Welcome back, <strong>{{ user()?.name || user()?.email }}</strong>.</p>
      } @else {
        <button type="button" class="btn btn-primary btn-lg" (click)="logIn()">Log in to get started</button>
      }
    </section>
    <section class="cards" aria-label="What you can try">
      <article class="card">
        <h2>External API</h2>
        <p>Call the sample API; the interceptor adds <code>Authorization: Bearer …</code> for the private endpoints.</p>
        <a routerLink="/external-api" class="card-link">Open External API →</a>
      </article>
      <article class="card">
        <h2>Profile</h2>
        <p>See the claims of your ID token as the SDK's <code>user$</code> returns them.</p>
        <a routerLink="/profile" class="card-link">Open Profile →</a>
      </article>
      <article class="card">
        <h2>Configuration</h2>
        <dl class="config-list">
          <dt>Domain</dt><dd><code>{{ config.domain }}</code></dd>
          <dt>Client ID</dt><dd><code>{{ config.clientId }}</code></dd>
          <dt>Audience</dt><dd><code>{{ config.audience }}</code></dd>
          <dt>API</dt><dd><code>{{ config.apiUrl }}</code></dd>
        </dl>
      </article>
    </section>
  `,
})
export class Home {
  private readonly auth = inject(AuthService);
  protected readonly config = inject(SAMPLE_CONFIG);
  protected readonly isAuthenticated = toSignal(this.auth.isAuthenticated$, { initialValue: false });
  protected readonly user = toSignal(this.auth.user$);

  protected logIn(): void {
    this.auth.loginWithRedirect();
  }
}
