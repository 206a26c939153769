import type { Platform } from '../src/core/platform.js';
import type { Services } from '../src/services.js';

/** Registers a departmental client for the benchmark and fetches a client-credentials token. */
export async function createVerificationClient(_platform: Platform, _services: Services): Promise<{ token(baseUrl: string): Promise<string> }> {
  throw new Error('the OIDC client registration is not wired yet');
}
