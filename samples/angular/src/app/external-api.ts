import { Component, inject, signal } from '@angular/core';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ErrorBanner } from './error-banner';
import { SAMPLE_CONFIG } from './sample-config';

interface ApiResponse {
  message?: string;
  [key: string]: unknown;
}

// Seed 004's PingComponent: the component calls HttpClient and never touches tokens; the interceptor does.
@Component({
  selector: 'app-external-api',
  imports: [ErrorBanner],
  template: `
    <section class="panel">
      <h1>External API</h1>
      <p>
        The public endpoint needs no token. For the private ones the interceptor asks the SDK for an access
        token and sends it as a Bearer token; <code>/private-scoped</code> also needs <code>read:messages</code>.
      </p>
      <div class="actions">
        <button type="button" class="btn btn-secondary" [disabled]="busy()" (click)="ping('/public')">Ping public</button>
        <button type="button" class="btn btn-primary" [disabled]="busy()" (click)="ping('/private')">Ping private</button>
        <button type="button" class="btn btn-primary" [disabled]="busy()" (click)="ping('/private-scoped')">Ping private scoped</button>
      </div>
      <div aria-live="polite">
        @if (busy()) {
          <p class="muted">Calling the API…</p>
        }
        @if (error(); as e) {
          <app-error-banner title="The call failed" [error]="e" />
        }
        @if (result(); as r) {
          <div class="result">
            <h2>Result from <code>{{ r.endpoint }}</code></h2>
            @if (r.body.message) {
              <p class="api-message" data-testid="api-message">{{ r.body.message }}</p>
            }
            <pre><code>{{ r.json }}</code></pre>
          </div>
        }
      </div>
    </section>
  `,
})
export class ExternalApi {
  private readonly http = inject(HttpClient);
  private readonly config = inject(SAMPLE_CONFIG);
  protected readonly busy = signal(false);
  protected readonly error = signal<unknown>(null);
  protected readonly result = signal<{ endpoint: string; body: ApiResponse; json: string } | null>(null);

  protected ping(endpoint: string): void {
    this.busy.set(true);
    this.error.set(null);
    this.result.set(null);
    this.http.get<ApiResponse>(`${this.config.apiUrl}${endpoint}`).subscribe({
      next: (body) => {
        this.result.set({ endpoint, body, json: JSON.stringify(body, null, 2) });
        this.busy.set(false);
      },
      error: (e: unknown) => {
        this.error.set(describe(e));
        this.busy.set(false);
      },
    });
  }
}

function describe(e: unknown): unknown {
  if (e instanceof HttpErrorResponse) {
    const body = e.error as { message?: string; error_description?: string } | string | null;
    const detail = typeof body === 'string' ? body : (body?.message ?? body?.error_description ?? '');
    return { message: `${e.status} ${e.statusText}${detail ? ': ' + detail : ''}` };
  }
  // Errors from the SDK (e.g. login_required) pass through the interceptor unchanged.
  return e;
}
