import { Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  template: `
    <section class="panel">
      <h1>Page not found</h1>
      <p>There is nothing at this address. <a routerLink="/">Go back home</a>.</p>
    </section>
  `,
})
export class NotFound {}
