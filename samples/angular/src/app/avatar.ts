import { Component, computed, input } from '@angular/core';
import { User } from '@auth0/auth0-angular';

/** The user's picture, or their initials when the identity provider has none (Latchkey users may have no picture). */
@Component({
  selector: 'app-avatar',
  template: `
    @if (user()?.picture) {
      <img [src]="user()?.picture" [alt]="decorative() ? '' : label()" [class]="'avatar avatar-' + size()" />
    } @else if (decorative()) {
      <span [class]="'avatar avatar-initials avatar-' + size()" aria-hidden="true">{{ initials() }}</span>
    } @else {
      <span [class]="'avatar avatar-initials avatar-' + size()" role="img" [attr.aria-label]="label()">{{ initials() }}</span>
    }
  `,
  styles: ':host { display: contents; }',
})
export class Avatar {
  readonly user = input<User | null | undefined>();
  readonly size = input<'sm' | 'lg'>('sm');
  readonly decorative = input(true);

  protected readonly label = computed(() => this.user()?.name ?? this.user()?.email ?? '');
  protected readonly initials = computed(() => {
    const user = this.user();
    const parts = (user?.name ?? user?.email ?? '?').trim().split(/[\s@._-]+/).filter(Boolean);
    return ((parts[0]?.[0] ?? '?') + (parts.length > 1 && user?.name ? parts[parts.length - 1][0] : '')).toUpperCase();
  });
}
