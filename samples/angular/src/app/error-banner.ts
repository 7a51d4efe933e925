import { Component, computed, input } from '@angular/core';

/** Shows an SDK error (auth0-spa-js `error` / `error_description`) or an HTTP error. */
@Component({
  selector: 'app-error-banner',
  template: `
    <div class="banner banner-error" role="alert">
      <strong>{{ title() }}</strong>
      <span>
        {{ message() }}
        @if (code() && code() !== message()) {
          <code class="error-code">{{ code() }}</code>
        }
      </span>
    </div>
  `,
})
export class ErrorBanner {
  readonly title = input.required<string>();
  readonly error = input.required<unknown>();

  protected readonly code = computed(() => {
    const e = this.error() as { error?: string; name?: string } | null;
    return e?.error ?? e?.name ?? '';
  });

  protected readonly message = computed(() => {
    const e = this.error() as { error_description?: string; message?: string } | null;
    return e?.error_description ?? e?.message ?? String(e);
  });
}
