import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import { departmentWithItem, individualBusinessItem, verifiedPerson, TINY_PNG } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('a "one thing" bundle: one form, one submission, an application at each department', () => {
  let t: TestApp;
  let market: Awaited<ReturnType<typeof departmentWithItem>>;
  let health: Awaited<ReturnType<typeof departmentWithItem>>;
  let person: Awaited<ReturnType<typeof verifiedPerson>>;
  let bundleCode: string;
  let submissionId: string;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    market = await departmentWithItem(t, { regionCode: '310115' });
    // The health department's licence asks some of the same questions (same keys) and one of its own.
    const hygiene = individualBusinessItem({
      name: { 'zh-CN': '公共场所卫生许可', en: 'Public place hygiene licence' },
      result: { name: { 'zh-CN': '卫生许可证', en: 'Hygiene licence' }, type: 'licence', certificateType: 'hygieneLicence', validityMonths: 48 },
    });
    hygiene.form.fields = hygiene.form.fields.filter((f) => ['operatorName', 'businessName', 'premisesRegion'].includes(f.key));
    hygiene.form.fields.push({ key: 'seats', label: { 'zh-CN': '座位数', en: 'Seats' }, type: 'integer', required: true, minimum: 1, maximum: 2000 });
    hygiene.materials = [
      hygiene.materials[0]!,
      // The proof of premises is asked by both departments: one upload must serve both.
      hygiene.materials[1]!,
      { key: 'floorPlan', name: { 'zh-CN': '场所平面图', en: 'Floor plan' }, requirement: 'required', medium: 'electronic', source: 'upload', uploadAllowed: true, acceptedTypes: ['pdf', 'png'], maxSizeMb: 5 },
    ];
    health = await departmentWithItem(t, { regionCode: '310115', item: hygiene });
    person = await verifiedPerson(t, '吴敏');
    const bundle = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/bundles',
      headers: { cookie: market.editor.cookie },
      payload: {
        code: 'open-noodle-shop',
        name: { 'zh-CN': '我要开面馆', en: 'Open a noodle shop' },
        description: { 'zh-CN': '一次申请营业执照和卫生许可', en: 'Business registration and hygiene licence at once' },
        themes: ['startingBusiness'],
        itemIds: [market.item.itemId, health.item.itemId],
      },
    });
    expect(bundle.statusCode).toBe(201);
    bundleCode = bundle.json().code;
  });
  afterAll(async () => t.close());

  it('names every problem across the departments at once, and creates nothing', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle-applications',
      headers: { cookie: person.cookie, 'idempotency-key': 'bundle-bad-1' },
      payload: { bundleCode, form: { businessName: '吴记面馆', organisation: 'personal', employees: 3, premisesRegion: '310115' }, materials: { identity: { governmentData: true, consent: true } } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/form/seats', '/materials/floorPlan', '/materials/premises']);
    expect(await t.platform.db.selectFrom('applications').select('id').execute()).toHaveLength(0);
  });

  it('fans one submission out to both departments, answering a shared question once', async () => {
    const { createServices } = await import('../services.js');
    const services = createServices(t.platform);
    const file = async () => (await services.files.store(person.accountId, { filename: 'x.png', bytes: TINY_PNG })).id;
    const payload = {
      bundleCode,
      form: { businessName: '吴记面馆', organisation: 'personal', employees: 3, premisesRegion: '310115', seats: 24 },
      materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await file()] }, floorPlan: { fileIds: [await file()] } },
    };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/bundle-applications', headers: { cookie: person.cookie, 'idempotency-key': 'bundle-ok-1' }, payload });
    expect(first.statusCode).toBe(201);
    const bundle = first.json();
    submissionId = bundle.id;
    expect(bundle.status).toBe('inProgress');
    expect(bundle.applications.map((a: { departmentId: string }) => a.departmentId).sort()).toEqual([market.department.id, health.department.id].sort());
    const retry = await t.app.inject({ method: 'POST', url: '/api/v1/bundle-applications', headers: { cookie: person.cookie, 'idempotency-key': 'bundle-ok-1' }, payload });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(submissionId);
    expect(await t.platform.db.selectFrom('applications').select('id').execute()).toHaveLength(2);
    // Each department got exactly its own questions.
    const healthApp = bundle.applications.find((a: { departmentId: string }) => a.departmentId === health.department.id);
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${healthApp.id}`, headers: { cookie: health.officer.cookie } });
    expect(Object.keys(view.json().form).sort()).toEqual(['businessName', 'operatorName', 'premisesRegion', 'seats']);
    expect(Object.keys(view.json().materials).sort()).toEqual(['floorPlan', 'identity', 'premises']);
    // Neither department sees the other's application.
    const marketApp = bundle.applications.find((a: { departmentId: string }) => a.departmentId === market.department.id);
    const marketView = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${marketApp.id}`, headers: { cookie: market.officer.cookie } });
    const [mine, theirs] = [marketView.json().materials.premises.files[0], view.json().materials.premises.files[0]];
    expect(mine.sha256).toBe(theirs.sha256);
    expect(mine.id).not.toBe(theirs.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/applications/${marketApp.id}`, headers: { cookie: health.officer.cookie } })).statusCode).toBe(404);
  });

  it('shows one combined status: the applicant first when one department asks for more, complete with every result', async () => {
    const bundle = (await t.app.inject({ method: 'GET', url: `/api/v1/bundle-applications/${submissionId}`, headers: { cookie: person.cookie } })).json();
    const ids = Object.fromEntries(bundle.applications.map((a: { departmentId: string; id: string }) => [a.departmentId, a.id]));
    const step = async (office: typeof market, action: string, payload: object = {}) => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/v1/workbench/applications/${ids[office.department.id]}/actions/${action}`,
        headers: { cookie: action === 'approve' ? office.approver.cookie : office.officer.cookie },
        payload,
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    await step(health, 'requestSupplement', { opinion: '平面图缺少消防通道', missing: { materials: ['floorPlan'] } });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/bundle-applications/${submissionId}`, headers: { cookie: person.cookie } })).json().status).toBe('actionNeeded');
    for (const office of [market, health]) {
      if (office === health) {
        const { createServices } = await import('../services.js');
        const fileId = (await createServices(t.platform).files.store(person.accountId, { filename: 'plan.png', bytes: TINY_PNG })).id;
        const supplied = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${ids[office.department.id]}/supplement`, headers: { cookie: person.cookie }, payload: { materials: { floorPlan: { fileIds: [fileId] } } } });
        expect(supplied.statusCode, supplied.body).toBe(200);
      }
      for (const action of ['accept', 'startReview', 'approve', 'conclude', 'deliver']) await step(office, action);
    }
    const done = (await t.app.inject({ method: 'GET', url: `/api/v1/bundle-applications/${submissionId}`, headers: { cookie: person.cookie } })).json();
    expect(done.status).toBe('completed');
    expect(done.certificateIds).toHaveLength(2);
    const stranger = await verifiedPerson(t, '郑好');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/bundle-applications/${submissionId}`, headers: { cookie: stranger.cookie } })).statusCode).toBe(404);
  });

  it('answers simultaneous retries of one bundle submission with the one submission the first created', async () => {
    const { createServices } = await import('../services.js');
    const files = createServices(t.platform).files;
    const file = async () => (await files.store(person.accountId, { filename: 'x.png', bytes: TINY_PNG })).id;
    // Several rounds, so that the twin arrives at different points of the first one's work.
    for (const round of [1, 2, 3]) {
      const key = `bundle-race-${round}`;
      const payload = {
        bundleCode,
        form: { businessName: `吴记面馆${round}号店`, organisation: 'personal', employees: 3, premisesRegion: '310115', seats: 12 },
        materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await file()] }, floorPlan: { fileIds: [await file()] } },
      };
      const submit = () => t.app.inject({ method: 'POST', url: '/api/v1/bundle-applications', headers: { cookie: person.cookie, 'idempotency-key': key }, payload });
      const [first, second] = await Promise.all([submit(), submit()]);
      expect([first.statusCode, second.statusCode].sort(), `${first.body} ${second.body}`).toEqual([200, 201]);
      expect(first.json().id).toBe(second.json().id);
      const submissions = await t.platform.db.selectFrom('bundleSubmissions').select('id').where('idempotencyKey', '=', key).execute();
      expect(submissions).toHaveLength(1);
      expect(await t.platform.db.selectFrom('applications').select('id').where('bundleSubmissionId', '=', submissions[0]!.id).execute()).toHaveLength(2);
    }
  });
});
