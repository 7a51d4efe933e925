import { InjectionToken } from '@angular/core';

export interface SampleConfig {
  /** Latchkey's URL without a trailing slash; the issuer is `${domain}/`. */
  domain: string;
  clientId: string;
  /** The sample API's identifier. */
  audience: string;
  /** Base URL of the sample API, e.g. http://localhost:3001/api. */
  apiUrl: string;
  useRefreshTokens: boolean;
}

export const SAMPLE_CONFIG = new InjectionToken<SampleConfig>('SAMPLE_CONFIG');
