import { Routes } from '@angular/router';
import { authGuardFn } from '@auth0/auth0-angular';
import { Home } from './home';
import { ExternalApi } from './external-api';
import { Profile } from './profile';
import { NotFound } from './not-found';

export const routes: Routes = [
  { path: '', component: Home, title: 'Latchkey Angular sample' },
  // authGuardFn sends an anonymous visitor to the login page and back to this route afterwards.
  { path: 'external-api', component: ExternalApi, canActivate: [authGuardFn], title: 'External API · Latchkey' },
  { path: 'profile', component: Profile, canActivate: [authGuardFn], title: 'Profile · Latchkey' },
  { path: '**', component: NotFound, title: 'Not found · Latchkey' },
];
