import { Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '@auth0/auth0-angular';
import { ErrorBanner } from './error-banner';
import { Avatar } from './avatar';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ErrorBanner, Avatar],
  template: `
    <div class="app">
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="navbar">
        <nav class="container navbar-inner" aria-label="Main">
          <a routerLink="/" class="brand">
            <span class="brand-mark" aria-hidden="true"></span>
            Latchkey <span class="brand-sub">Angular sample</span>
          </a>
          <ul class="nav-links">
            <li><a routerLink="/" routerLinkActive="active" ariaCurrentWhenActive="page" [routerLinkActiveOptions]="{ exact: true }">Home</a></li>
            @if (isAuthenticated()) {
              <li><a routerLink="/external-api" routerLinkActive="active" ariaCurrentWhenActive="page">External API</a></li>
              <li><a routerLink="/profile" routerLinkActive="active" ariaCurrentWhenActive="page">Profile</a></li>
            }
          </ul>
          <div class="nav-actions">
            @if (isAuthenticated()) {
              <span class="nav-user">
                <app-avatar [user]="user()" />
                <span class="nav-user-name">{{ user()?.name || user()?.email }}</span>
              </span>
              <button type="button" class="btn btn-secondary" (click)="logOut()">Log out</button>
            } @else if (!isLoading()) {
              <button type="button" class="btn btn-primary" (click)="logIn()">Log in</button>
            }
          </div>
        </nav>
      </header>
      <main id="main" class="container" tabindex="-1">
        @if (error(); as e) {
          <app-error-banner title="Sign-in failed" [error]="e" />
        }
        @if (isLoading()) {
          <div class="loading" role="status"><span class="spinner" aria-hidden="true"></span><span>Loading…</span></div>
        } @else {
          <router-outlet />
        }
      </main>
      <footer class="footer">
        <div class="container footer-inner">
          <span>Latchkey sample · Angular + <code>&#64;auth0/auth0-angular</code></span>
          <a href="https://github.com/auth0/auth0-angular">SDK docs</a>
        </div>
      </footer>
    </div>
  `,
})
export class App {
  private readonly auth = inject(AuthService);
  protected readonly isAuthenticated = toSignal(this.auth.isAuthenticated$, { initialValue: false });
  protected readonly isLoading = toSignal(this.auth.isLoading$, { initialValue: true });
  protected readonly user = toSignal(this.auth.user$);
  protected readonly error = toSignal(this.auth.error$);

  protected logIn(): void {
    this.auth.loginWithRedirect();
  }

  protected logOut(): void {
    this.auth.logout({ logoutParams: { returnTo: window.location.origin } });
  }
}
