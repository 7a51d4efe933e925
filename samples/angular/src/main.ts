import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { SampleConfig } from './app/sample-config';

// The Latchkey domain, client and API come from /auth_config.json at start-up (as in Auth0's samples),
// so one build can point at any Latchkey without a rebuild.
async function start(): Promise<void> {
  const response = await fetch('/auth_config.json', { cache: 'no-store' });
  const config = (await response.json()) as SampleConfig;
  config.domain = config.domain.replace(/\/+$/, '');
  config.apiUrl = config.apiUrl.replace(/\/+$/, '');
  await bootstrapApplication(App, appConfig(config));
}

start().catch((error: unknown) => {
  console.error(error);
  const root = document.querySelector('app-root');
  if (root) root.textContent = 'The app could not start: ' + String(error);
});
