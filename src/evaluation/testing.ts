import * as OTPAuth from 'otpauth';
import { buildApp } from '../app.js';
import { ManualClock } from '../core/clock.js';
import { createTestPlatform } from '../core/testing.js';
import { logIn } from '../identity/testing.js';
import { createServices } from '../services.js';
import { identityApplicants, identityDepartments } from './adapters.js';
import { EvaluationService, type ApplicationLookup, type RectificationEvent, type ReviewableApplication } from './service.js';

/**
 * Applications kept in a Map, standing in for the applications capability: these tests are about
 * what happens after conclusion, so they set the status and conclusion time directly.
 */
export class FakeApplications implements ApplicationLookup {
  readonly byId = new Map<string, ReviewableApplication>();
  private counter = 0;

  add(fields: Omit<ReviewableApplication, 'id' | 'trackingNumber' | 'enterpriseId'> & { id?: string; trackingNumber?: string; enterpriseId?: string | null }): ReviewableApplication {
    const n = ++this.counter;
    const application: ReviewableApplication = {
      id: fields.id ?? `app-${String(n).padStart(4, '0')}`,
      trackingNumber: fields.trackingNumber ?? `TB2026093000${String(n).padStart(4, '0')}`,
      enterpriseId: fields.enterpriseId ?? null,
      ...fields,
    } as ReviewableApplication;
    this.byId.set(application.id, application);
    return application;
  }

  async find(applicationId: string): Promise<ReviewableApplication | null> {
    return this.byId.get(applicationId) ?? null;
  }
}

/**
 * The real HTTP app on a fresh database (SQLite, or a PostgreSQL schema when DATABASE_URL is set),
 * with the evaluation service reading applications from a FakeApplications and recording the
 * events its hooks receive. Same shape as createTestApp's result, so identity's test helpers work.
 */
export async function createEvaluationTestApp(options: { clock?: ManualClock; env?: Record<string, string> } = {}) {
  const test = await createTestPlatform({ clock: options.clock ?? new ManualClock(new Date('2026-09-30T02:00:00Z')), env: options.env });
  const services = createServices(test.platform);
  const applications = new FakeApplications();
  const events: { hook: 'opened' | 'responded'; event: RectificationEvent }[] = [];
  const evaluation = new EvaluationService(test.platform, {
    calendar: services.calendar,
    applications,
    departments: identityDepartments(services.identity),
    applicants: identityApplicants(services.identity),
    onRectificationOpened: (event) => void events.push({ hook: 'opened', event }),
    onRectificationResponded: async (event) => {
      events.push({ hook: 'responded', event });
    },
  });
  const app = await buildApp(test.platform, { ...services, evaluation });
  await app.ready();
  return {
    ...test,
    app,
    services,
    evaluation,
    applications,
    events,
    async close() {
      await app.close();
      await test.close();
    },
  };
}

type EvaluationTestApp = Awaited<ReturnType<typeof createEvaluationTestApp>>;

/**
 * Signs a staff member made by `staffSession` in again, TOTP included, at the test clock's time.
 * Needed after the clock jumps days ahead: the earlier session has long passed its idle time-out.
 */
export async function staffLogIn(t: EvaluationTestApp, staff: { username: string; password: string; secret: string }): Promise<string> {
  const cookie = await logIn(t, staff.username, staff.password);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(staff.secret) }).generate({ timestamp: t.clock.now().getTime() });
  const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions/current/mfa', headers: { cookie }, payload: { code } });
  if (mfa.statusCode !== 200) throw new Error(`TOTP failed: ${mfa.body}`);
  return cookie;
}
