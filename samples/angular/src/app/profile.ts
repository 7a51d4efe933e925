import { Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { AuthService } from '@auth0/auth0-angular';
import { Avatar } from './avatar';

@Component({
  selector: 'app-profile',
  imports: [Avatar],
  template: `
    @if (user(); as u) {
      <section class="panel">
        <div class="profile-header">
          <app-avatar [user]="u" size="lg" [decorative]="false" />
          <div>
            <h1>{{ u.name }}</h1>
            <p class="muted">{{ u.email }}</p>
          </div>
        </div>
        <h2>ID token claims</h2>
        <pre><code>{{ json() }}</code></pre>
      </section>
    }
  `,
})
export class Profile {
  protected readonly user = toSignal(inject(AuthService).user$);
  protected readonly json = computed(() => JSON.stringify(this.user(), null, 2));
}
