import type { SessionPrincipal } from '../src/core/auth.js';
import type { Platform } from '../src/core/platform.js';
import type { Services } from '../src/services.js';

/** Registers a departmental client for the benchmark; its token is fetched from the running server. */
export async function createVerificationClient(_platform: Platform, services: Services): Promise<{ token(baseUrl: string): Promise<string> }> {
  const department = await services.identity.createDepartment({ code: 'BENCH-DEPT', nameZh: '基准测试部门', nameEn: 'Benchmark department', level: 'county', regionCode: '310115' });
  const admin: SessionPrincipal = {
    kind: 'account',
    accountId: 'bench',
    sessionId: 'bench',
    personId: null,
    staffId: 'bench-admin',
    roles: ['admin'],
    displayName: 'benchmark',
    departmentId: department.id,
    regionCode: '100000',
    mfaPassed: true,
    mfaEnrolled: true,
    csrfToken: '',
  };
  const { clientId, clientSecret } = await services.oidc.registerClient(admin, {
    name: 'Benchmark verifier',
    departmentId: department.id,
    redirectUris: [],
    grantTypes: ['client_credentials'],
    scopes: ['identity:verify'],
  });
  return {
    async token(baseUrl: string) {
      const response = await fetch(`${baseUrl}/oidc/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'identity:verify' }).toString(),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
      return body.access_token;
    },
  };
}
