import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import { createServices, type Services } from '../services.js';
import { departmentWithItem, individualBusinessItem, signInAgain, staffSignInAgain, verifiedPerson, TINY_PNG } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
const DAY = 86_400_000;

describe('applying once online and being handled within the legal time limit', () => {
  let t: TestApp;
  let services: Services;
  let shop: Awaited<ReturnType<typeof departmentWithItem>>;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;
  let li: Awaited<ReturnType<typeof verifiedPerson>>;
  let applicationId: string;

  const as = (cookie: string) => ({ cookie });
  const upload = async (accountId: string) => (await services.files.store(accountId, { filename: 'lease.png', bytes: TINY_PNG, allowedTypes: ['png', 'pdf', 'jpeg'] })).id;
  const act = (cookie: string, id: string, action: string, payload: object = {}) =>
    t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/${action}`, headers: as(cookie), payload });

  beforeAll(async () => {
    // Monday 2 March 2026, 10:00 in Shanghai.
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
    shop = await departmentWithItem(t);
    wang = await verifiedPerson(t, '王芳');
    li = await verifiedPerson(t, '李明');
  });
  afterAll(async () => t.close());

  it('starts a draft prefilled from the real-name profile', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: as(wang.cookie), payload: { itemId: shop.item.itemId } });
    expect(response.statusCode).toBe(201);
    const draft = response.json();
    applicationId = draft.id;
    expect(draft.status).toBe('draft');
    expect(draft.form).toMatchObject({ operatorName: '王芳', operatorIdNumber: wang.idNumber, phone: wang.phone });
    expect(draft.trackingNumber).toBeNull();
  });

  it('saves a draft and refuses a malformed answer, naming the field and keeping what was saved', async () => {
    const saved = await t.app.inject({ method: 'PATCH', url: `/api/v1/applications/${applicationId}`, headers: as(wang.cookie), payload: { form: { businessName: '王记面馆', organisation: 'personal' } } });
    expect(saved.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/applications/${applicationId}`, headers: as(wang.cookie), payload: { form: { employees: 'many', premisesRegion: '999999' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/form/employees', '/form/premisesRegion']);
    const again = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applicationId}`, headers: as(wang.cookie) });
    expect(again.json().form).toMatchObject({ businessName: '王记面馆', organisation: 'personal' });
    expect(again.json().form).not.toHaveProperty('employees');
  });

  it('lists everything missing at once when submitted incomplete, and writes nothing', async () => {
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/submission`, headers: as(wang.cookie), payload: {} });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/form/employees', '/form/premisesRegion', '/materials/identity', '/materials/premises']);
    const still = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applicationId}`, headers: as(wang.cookie) });
    expect(still.json().status).toBe('draft');
  });

  it('refuses to reuse government data without consent', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${applicationId}/submission`,
      headers: as(wang.cookie),
      payload: { form: { employees: 2, premisesRegion: '310115' }, materials: { identity: { governmentData: true, consent: false }, premises: { fileIds: [await upload(wang.accountId)] } } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: '/materials/identity' })]);
  });

  it('submits once: a retried submission returns the same tracking number', async () => {
    const payload = { form: { employees: 2, premisesRegion: '310115' }, materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await upload(wang.accountId)] } } };
    const first = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/submission`, headers: as(wang.cookie), payload });
    expect(first.statusCode).toBe(200);
    const submitted = first.json();
    expect(submitted.status).toBe('submitted');
    expect(submitted.trackingNumber).toMatch(/^310115-20260302-[0-9A-Z]{8}$/);
    expect(submitted.materials.identity).toMatchObject({ kind: 'governmentData', record: { dataset: 'residentIdentity', fields: { name: '王芳' } } });
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/submission`, headers: as(wang.cookie), payload });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().trackingNumber).toBe(submitted.trackingNumber);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/applications', headers: as(wang.cookie) });
    expect(mine.json()).toHaveLength(1);
    const consents = await services.applications.store.consents(applicationId);
    expect(consents).toEqual([expect.objectContaining({ materialKey: 'identity', source: 'governmentData', departmentId: shop.department.id })]);
  });

  it('shows the application to no other person and no other department, and audits the attempts', async () => {
    const stranger = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applicationId}`, headers: as(li.cookie) });
    expect(stranger.statusCode).toBe(404);
    const elsewhere = await departmentWithItem(t, { regionCode: '310104' });
    const otherOfficer = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applicationId}`, headers: as(elsewhere.officer.cookie) });
    expect(otherOfficer.statusCode).toBe(404);
    const act409 = await act(elsewhere.officer.cookie, applicationId, 'accept');
    expect(act409.statusCode).toBe(404);
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/applications', headers: as(elsewhere.officer.cookie) });
    expect(queue.json().total).toBe(0);
    const denied = await t.platform.db.selectFrom('auditEvents').selectAll().where('action', '=', 'application.accessDenied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it("puts the application in the handling department's queue, and records the officer's read for the applicant to see", async () => {
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/applications', headers: as(shop.officer.cookie) });
    expect(queue.statusCode).toBe(200);
    expect(queue.json().items).toEqual([expect.objectContaining({ id: applicationId, status: 'submitted', flag: 'notStarted' })]);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applicationId}`, headers: as(shop.officer.cookie) });
    expect(read.json().actions).toEqual(expect.arrayContaining(['accept', 'refuse', 'requestSupplement']));
    const seen = await t.app.inject({ method: 'GET', url: '/api/v1/identity/me/access-log', headers: as(wang.cookie) });
    expect(seen.statusCode).toBe(200);
    expect(JSON.stringify(seen.json())).toContain('受理员');
    const reads = await t.platform.audit.forPerson(wang.personId, ['personalData.read']);
    expect(reads.some((event) => event.actorId === shop.officer.staffId)).toBe(true);
  });

  it('lets only the roles of each step act and refuses steps out of order with 409', async () => {
    expect((await act(shop.officer.cookie, applicationId, 'approve')).statusCode).toBe(409);
    const accepted = await act(shop.officer.cookie, applicationId, 'accept', { opinion: '材料齐全，予以受理' });
    expect(accepted.statusCode).toBe(200);
    // Accepted on Monday 2 March with a promise of 3 working days: due Thursday 5 March.
    expect(accepted.json().timeLimits).toMatchObject({ promisedDue: '2026-03-05', legalDue: '2026-03-23', flag: 'onTrack' });
    expect((await act(shop.officer.cookie, applicationId, 'accept')).statusCode).toBe(409);
    expect((await act(shop.officer.cookie, applicationId, 'startReview')).statusCode).toBe(200);
    const officerApproves = await act(shop.officer.cookie, applicationId, 'approve');
    expect(officerApproves.statusCode).toBe(403);
    expect(officerApproves.json().code).toBe('roleNotInStep');
  });

  it('asks for a supplement once, listing everything, and stops the clock until it is answered', async () => {
    const empty = await act(shop.officer.cookie, applicationId, 'requestSupplement', { opinion: '请补正' });
    expect(empty.statusCode).toBe(400);
    const asked = await act(shop.officer.cookie, applicationId, 'requestSupplement', { opinion: '租赁证明不清晰，请重新上传并填写字号', missing: { materials: ['premises'], fields: ['businessName'] } });
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toMatchObject({ status: 'supplementRequested', supplementRequest: { materials: ['premises'], fields: ['businessName'] }, timeLimits: { flag: 'paused' } });
    // Three working days later (Thursday 5 March) the applicant answers.
    t.clock.advance(3 * DAY);
    await signInAgain(t, wang);
    await signInAgain(t, li);
    for (const staff of [shop.officer, shop.approver, shop.editor]) await staffSignInAgain(t, staff);
    const partial = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/supplement`, headers: as(wang.cookie), payload: { form: { businessName: '王记牛肉面馆' } } });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().errors.map((e: { field: string }) => e.field)).toContain('/materials/premises');
    // Taking the requested material away does not supply it.
    const removed = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/supplement`, headers: as(wang.cookie), payload: { form: { businessName: '王记牛肉面馆' }, materials: { premises: null } } });
    expect(removed.statusCode).toBe(400);
    expect(removed.json().errors.map((e: { field: string }) => e.field)).toContain('/materials/premises');
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${applicationId}/supplement`,
      headers: as(wang.cookie),
      payload: { form: { businessName: '王记牛肉面馆' }, materials: { premises: { fileIds: [await upload(wang.accountId)] } } },
    });
    expect(answered.statusCode).toBe(200);
    // Paused 3 working days (3, 4 and 5 March): the promise moves from 5 to 10 March.
    expect(answered.json()).toMatchObject({ status: 'underReview', supplementRequest: null, timeLimits: { promisedDue: '2026-03-10', flag: 'onTrack' } });
  });

  it('issues an electronic certificate on approval, then concludes and delivers', async () => {
    const approved = await act(shop.approver.cookie, applicationId, 'approve', { opinion: '符合条件，准予登记' });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', decision: 'approved' });
    const certificateId = approved.json().certificateId as string;
    expect(certificateId).toBeTruthy();
    const certificate = await t.app.inject({ method: 'GET', url: `/api/v1/certificates/${certificateId}`, headers: as(wang.cookie) });
    expect(certificate.statusCode).toBe(200);
    expect((await act(shop.officer.cookie, applicationId, 'conclude')).json()).toMatchObject({ status: 'concluded', timeLimits: { flag: 'stopped' } });
    const delivered = await act(shop.officer.cookie, applicationId, 'deliver');
    expect(delivered.json().status).toBe('delivered');
    expect(delivered.json().events.map((e: { action: string }) => e.action)).toEqual([
      'submit',
      'accept',
      'startReview',
      'requestSupplement',
      'supplement',
      'approve',
      'conclude',
      'deliver',
    ]);
    expect(delivered.json().events.find((e: { action: string }) => e.action === 'approve')).toMatchObject({ actor: expect.stringContaining('审批员'), opinion: '符合条件，准予登记', step: 'approve' });
  });

  it('takes a 2-star review after delivery; the department answers and the applicant is told', async () => {
    const review = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${applicationId}/review`,
      headers: as(wang.cookie),
      payload: { rating: 2, indicators: { efficiency: 2, guidanceAccuracy: 3, convenience: 2 }, comment: '补正来回两次，等了很久' },
    });
    expect(review.statusCode, review.body).toBe(201);
    const cases = await t.app.inject({ method: 'GET', url: '/api/v1/rectifications', headers: as(shop.officer.cookie) });
    const rectification = (cases.json().items ?? cases.json())[0];
    expect(rectification).toBeTruthy();
    const answered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/rectifications/${rectification.id}/response`,
      headers: as(shop.officer.cookie),
      payload: { callbackAt: t.clock.now().toISOString(), outcome: 'explained', response: '已电话回访，说明了补正的原因并致歉。' },
    });
    expect(answered.statusCode, answered.body).toBe(200);
    const inbox = await t.platform.db.selectFrom('inboxMessages').select('kind').where('personId', '=', wang.personId).execute();
    expect(inbox.map((m) => m.kind)).toContain('review.responded');
  });

  it('told the applicant at every step, in the inbox and by SMS', async () => {
    const inbox = await t.app.inject({ method: 'GET', url: '/api/v1/inbox', headers: as(wang.cookie) });
    expect(inbox.statusCode).toBe(200);
    const kinds = (inbox.json().messages as { kind: string }[]).map((m) => m.kind);
    for (const kind of ['submitted', 'accept', 'requestSupplement', 'supplemented', 'approve', 'conclude', 'deliver']) expect(kinds).toContain(`application.${kind}`);
    const sms = await t.platform.db.selectFrom('outboxMessages').select('body').execute();
    expect(sms.some((m) => m.body.includes('请补正材料'))).toBe(true);
  });

  it('keeps the version an application was submitted under when the item is edited; a draft moves to the new one', async () => {
    const answers = { businessName: '李记', organisation: 'personal', employees: 1, premisesRegion: '310115' };
    const submittedBefore = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { ...as(li.cookie), 'idempotency-key': 'before-the-edit' },
      payload: { itemId: shop.item.itemId, form: answers, materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await upload(li.accountId)] } } },
    });
    expect(submittedBefore.statusCode).toBe(201);
    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: as(li.cookie), payload: { itemId: shop.item.itemId } });
    const draftId = draft.json().id as string;
    const revised = individualBusinessItem({ promisedLimitDays: 5 });
    revised.form.fields.push({ key: 'website', label: { 'zh-CN': '网店地址', en: 'Online shop' }, type: 'text', required: true });
    const current = await t.app.inject({ method: 'GET', url: `/api/v1/catalog/items/${shop.item.itemId}` });
    revised.implementationCode = current.json().definition.implementationCode;
    const saved = await t.app.inject({ method: 'PUT', url: `/api/v1/catalog/items/${shop.item.itemId}`, headers: as(shop.editor.cookie), payload: revised });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(2);
    // The application under way keeps version 1: its form, its 3 promised days.
    const accepted = await act(shop.officer.cookie, submittedBefore.json().id, 'accept');
    expect(accepted.json()).toMatchObject({ item: { version: 1 }, timeLimits: { promisedDays: 3 } });
    expect(accepted.json().form).not.toHaveProperty('website');
    // The draft is submitted under the item as published now, and is asked the new question.
    const payload = { form: answers, materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await upload(li.accountId)] } } };
    const missing = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${draftId}/submission`, headers: as(li.cookie), payload });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(['/form/website']);
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${draftId}/submission`,
      headers: as(li.cookie),
      payload: { ...payload, form: { ...answers, website: 'https://li.example.cn' }, materials: { ...payload.materials, premises: { fileIds: [await upload(li.accountId)] } } },
    });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ item: { version: 2 }, timeLimits: { promisedDays: 5 }, form: { website: 'https://li.example.cn' } });
  });

  it('creates one application for a retried one-shot submission with the same Idempotency-Key', async () => {
    // Several rounds, so that the twin arrives at different points of the first one's work: before
    // it commits (the unique key stops it) or after (the upload is already attached).
    for (const round of [1, 2, 3, 4]) {
      const key = `retry-key-000${round}`;
      const payload = {
        itemId: shop.item.itemId,
        form: { businessName: `王记${round}号店`, organisation: 'personal', employees: 1, premisesRegion: '310115', website: 'https://example.cn' },
        materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await upload(wang.accountId)] } },
      };
      const submit = () => t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { ...as(wang.cookie), 'idempotency-key': key }, payload });
      const [first, second] = await Promise.all([submit(), submit()]);
      expect([first.statusCode, second.statusCode].sort(), `${first.body} ${second.body}`).toEqual([200, 201]);
      expect(first.json().id).toBe(second.json().id);
      const rows = await t.platform.db.selectFrom('applications').select('id').where('idempotencyKey', '=', key).execute();
      expect(rows).toHaveLength(1);
    }
    const payload = {
      itemId: shop.item.itemId,
      form: { businessName: '王记二店', organisation: 'personal', employees: 1, premisesRegion: '310115', website: 'https://example.cn' },
      materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [await upload(wang.accountId)] } },
    };
    const missingKey = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: as(wang.cookie), payload });
    expect(missingKey.statusCode).toBe(400);
  });

  it('lets the applicant withdraw an undecided application but not a delivered one', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/withdrawal`, headers: as(wang.cookie), payload: {} })).statusCode).toBe(409);
    const mine = await t.app.inject({ method: 'GET', url: '/api/v1/applications', headers: as(wang.cookie) });
    const open = (mine.json() as { id: string; status: string }[]).find((a) => a.status === 'submitted')!;
    const withdrawn = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${open.id}/withdrawal`, headers: as(wang.cookie), payload: { reason: '信息填错了' } });
    expect(withdrawn.json().status).toBe('withdrawn');
  });
});

describe('across regions (跨省通办) and with electronic certificates as materials', () => {
  let t: TestApp;
  let services: Services;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
  });
  afterAll(async () => t.close());

  it('collects in Hangzhou what Shanghai handles: Shanghai accepts only once Hangzhou has forwarded it', async () => {
    const shanghai = await departmentWithItem(t, { regionCode: '310115' });
    const hangzhou = await departmentWithItem(t, { regionCode: '330106' });
    const zhao = await verifiedPerson(t, '赵丽', '330106');
    const upload = (await services.files.store(zhao.accountId, { filename: 'p.png', bytes: TINY_PNG })).id;
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: zhao.cookie, 'idempotency-key': 'cross-region-1' },
      payload: {
        itemId: shanghai.item.itemId,
        collectingDepartmentId: hangzhou.department.id,
        form: { businessName: '赵记', organisation: 'personal', employees: 1, premisesRegion: '310115' },
        materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [upload] } },
      },
    });
    expect(applied.statusCode).toBe(201);
    const id = applied.json().id as string;
    const early = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/accept`, headers: { cookie: shanghai.officer.cookie }, payload: {} });
    expect(early.statusCode).toBe(409);
    const collected = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/collected', headers: { cookie: hangzhou.officer.cookie } });
    expect(collected.json()).toEqual([expect.objectContaining({ id, collected: false })]);
    const view = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${id}`, headers: { cookie: hangzhou.officer.cookie } });
    expect(view.json().actions).toEqual(['forward']);
    const hangzhouAccepts = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/accept`, headers: { cookie: hangzhou.officer.cookie }, payload: {} });
    expect(hangzhouAccepts.statusCode).toBe(403);
    const forwarded = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/forward`, headers: { cookie: hangzhou.officer.cookie }, payload: { opinion: '原件已核验' } });
    expect(forwarded.statusCode).toBe(200);
    const accepted = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/accept`, headers: { cookie: shanghai.officer.cookie }, payload: {} });
    expect(accepted.json().status).toBe('accepted');
  });

  it('refuses a person of another province an item not offered across regions', async () => {
    const local = await departmentWithItem(t, { regionCode: '310104', item: { crossRegion: 'none', collectElsewhere: false } });
    const visitor = await verifiedPerson(t, '钱进', '440305');
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie: visitor.cookie }, payload: { itemId: local.item.itemId } });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('crossRegionNotOffered');
  });

  it('takes a material from a certificate the applicant holds, with consent, instead of an upload', async () => {
    const office = await departmentWithItem(t, { regionCode: '310115' });
    const sun = await verifiedPerson(t, '孙悦');
    const lease = await t.platform.db.transaction().execute((tx) =>
      services.certificates.issue(tx, {
        certificateType: 'leaseRegistration',
        holder: { personId: sun.personId },
        holderName: '孙悦',
        title: { 'zh-CN': '房屋租赁登记备案证明', en: 'Lease registration' },
        fields: [{ key: 'address', label: { 'zh-CN': '房屋地址', en: 'Address' }, value: '浦东新区世纪大道 100 号', public: false }],
        issuedByDepartmentId: office.department.id,
        sourceApplicationId: 'outside',
      }),
    );
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: sun.cookie, 'idempotency-key': 'reuse-certificate' },
      payload: {
        itemId: office.item.itemId,
        form: { businessName: '孙记', organisation: 'personal', employees: 1, premisesRegion: '310115' },
        materials: { identity: { governmentData: true, consent: true }, premises: { certificateId: lease.id, consent: true } },
      },
    });
    expect(applied.statusCode).toBe(201);
    expect(applied.json().materials.premises).toMatchObject({ kind: 'certificate', certificate: { certificateId: lease.id, type: 'leaseRegistration' } });
    const consents = await services.applications.store.consents(applied.json().id);
    expect(consents.map((c) => c.materialKey).sort()).toEqual(['identity', 'premises']);
    const someoneElses = await verifiedPerson(t, '周强');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: someoneElses.cookie, 'idempotency-key': 'reuse-not-mine' },
      payload: {
        itemId: office.item.itemId,
        form: { businessName: '周记', organisation: 'personal', employees: 1, premisesRegion: '310115' },
        materials: { identity: { governmentData: true, consent: true }, premises: { certificateId: lease.id, consent: true } },
      },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: '/materials/premises' })]);
    expect(await t.platform.db.selectFrom('applications').select('id').where('idempotencyKey', '=', 'reuse-not-mine').execute()).toHaveLength(0);
  });
});

describe('enterprises apply through an authorised agent; special procedures stop the clock', () => {
  let t: TestApp;
  let services: Services;

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
  });
  afterAll(async () => t.close());

  it('lets an agent with scope applications apply for the enterprise, and everyone acting for it see the application', async () => {
    const { makeUscc, organizationCodeBodyFromNumber } = await import('../reference/testing.js');
    const office = await departmentWithItem(t, { item: { audiences: ['enterprise'], form: { fields: individualBusinessItem().form.fields.filter((f) => !f.prefill?.startsWith('person.')) } } });
    const boss = await verifiedPerson(t, '钟华');
    const clerk = await verifiedPerson(t, '石磊');
    const other = await verifiedPerson(t, '白雪');
    const uscc = makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(4242) });
    await services.enterpriseRegistry.add([{ uscc, name: '上海钟华餐饮有限公司', legalRepresentativeName: boss.name, legalRepresentativeIdNumber: boss.idNumber, regionCode: '310115' }]);
    const opened = await t.app.inject({ method: 'POST', url: '/api/v1/enterprises', headers: { cookie: boss.cookie }, payload: { uscc } });
    expect(opened.statusCode).toBe(201);
    const enterpriseId = opened.json().id as string;
    for (const [agent, scopes] of [
      [clerk, ['applications']],
      [other, ['profile']],
    ] as const) {
      const granted = await t.app.inject({ method: 'POST', url: `/api/v1/enterprises/${enterpriseId}/agents`, headers: { cookie: boss.cookie }, payload: { name: agent.name, idNumber: agent.idNumber, scopes, expiresOn: '2026-12-31' } });
      expect(granted.statusCode).toBe(201);
    }
    const payload = {
      itemId: office.item.itemId,
      enterpriseId,
      form: { businessName: '钟华小馆', organisation: 'personal', employees: 8, premisesRegion: '310115' },
      materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [(await services.files.store(clerk.accountId, { filename: 'p.png', bytes: TINY_PNG })).id] } },
    };
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { cookie: other.cookie, 'idempotency-key': 'agent-no-scope' }, payload });
    expect(refused.statusCode).toBe(403);
    const applied = await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { cookie: clerk.cookie, 'idempotency-key': 'agent-with-scope' }, payload });
    expect(applied.statusCode).toBe(201);
    expect(applied.json().applicant).toMatchObject({ enterpriseId, name: '上海钟华餐饮有限公司' });
    const bossSees = await t.app.inject({ method: 'GET', url: '/api/v1/applications', headers: { cookie: boss.cookie } });
    expect(bossSees.json().map((a: { id: string }) => a.id)).toContain(applied.json().id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applied.json().id}`, headers: { cookie: boss.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/applications/${applied.json().id}`, headers: { cookie: other.cookie } })).statusCode).toBe(404);
  });

  it('pauses the clock for an inspection and moves the deadline by its working days, across a weekend', async () => {
    const office = await departmentWithItem(t, { regionCode: '310104' });
    const applicant = await verifiedPerson(t, '罗平', '310104');
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: applicant.cookie, 'idempotency-key': 'inspection-1' },
      payload: {
        itemId: office.item.itemId,
        form: { businessName: '罗记', organisation: 'personal', employees: 1, premisesRegion: '310104' },
        materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [(await services.files.store(applicant.accountId, { filename: 'p.png', bytes: TINY_PNG })).id] } },
      },
    });
    const id = applied.json().id as string;
    const act = (action: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/${action}`, headers: { cookie: office.officer.cookie }, payload });
    // Monday 2 March: accepted with 3 working days promised, due Thursday 5 March.
    expect((await act('accept')).json().timeLimits.promisedDue).toBe('2026-03-05');
    await act('startReview');
    const inspecting = await act('startSpecialProcedure', { procedure: 'inspection', opinion: '现场核查' });
    expect(inspecting.json()).toMatchObject({ status: 'specialProcedure', timeLimits: { flag: 'paused' } });
    expect(inspecting.json().events.at(-1)).toMatchObject({ action: 'startSpecialProcedure', detail: { procedure: 'inspection' } });
    // The inspection ends the next Monday (9 March): 3, 4, 5, 6 and 9 March are five working days paused.
    t.clock.advance(7 * DAY);
    await staffSignInAgain(t, office.officer);
    const ended = await act('endSpecialProcedure', { opinion: '核查通过' });
    expect(ended.json()).toMatchObject({ status: 'underReview', timeLimits: { promisedDue: '2026-03-12', flag: 'onTrack' } });
  });
});

describe('the rules around supplements, drafts and the queue', () => {
  let t: TestApp;
  let services: Services;
  let office: Awaited<ReturnType<typeof departmentWithItem>>;
  let person: Awaited<ReturnType<typeof verifiedPerson>>;

  const apply = async (key: string, extra: Record<string, unknown> = {}) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: person.cookie, 'idempotency-key': key },
      payload: {
        itemId: office.item.itemId,
        form: { businessName: '秦记', organisation: 'personal', employees: 1, premisesRegion: '310115' },
        materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [(await services.files.store(person.accountId, { filename: 'p.png', bytes: TINY_PNG })).id] } },
        ...extra,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  };
  const act = (id: string, action: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/${action}`, headers: { cookie: office.officer.cookie }, payload });

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
    office = await departmentWithItem(t);
    person = await verifiedPerson(t, '秦川');
  });
  afterAll(async () => t.close());

  it('takes exactly what the notice asks for, and asks only once', async () => {
    const id = await apply('supplement-rules');
    await act(id, 'accept');
    await act(id, 'startReview');
    expect((await act(id, 'requestSupplement', { opinion: '请补正字号和场所证明', missing: { fields: ['businessName'], materials: ['premises'] } })).statusCode).toBe(200);
    const file = (await services.files.store(person.accountId, { filename: 'q.png', bytes: TINY_PNG })).id;
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/api/v1/applications/${id}/supplement`,
      headers: { cookie: person.cookie },
      payload: { form: { employees: 9 }, materials: { premises: { fileIds: [file] } } },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/form/businessName', '/form/employees']);
    const right = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/supplement`, headers: { cookie: person.cookie }, payload: { form: { businessName: '秦记面馆' }, materials: { premises: { fileIds: [file] } } } });
    expect(right.statusCode, right.body).toBe(200);
    const again = await act(id, 'requestSupplement', { opinion: '再补一次', missing: { materials: ['premises'] } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('supplementAlreadyRequested');
  });

  it('does not take the removal of a requested material as supplying it', async () => {
    // The family list is asked although the answers (a personal business) do not require it.
    const id = await apply('supplement-removal');
    await act(id, 'accept');
    await act(id, 'startReview');
    expect((await act(id, 'requestSupplement', { opinion: '请提供家庭成员名单', missing: { materials: ['familyList'] } })).statusCode).toBe(200);
    const removed = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/supplement`, headers: { cookie: person.cookie }, payload: { materials: { familyList: null } } });
    expect(removed.statusCode).toBe(400);
    expect(removed.json().errors.map((e: { field: string }) => e.field)).toEqual(['/materials/familyList']);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/applications/${id}`, headers: { cookie: person.cookie } })).json().status).toBe('supplementRequested');
  });

  it('keeps drafts out of every queue and puts a paused application at the end, never overdue', async () => {
    await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie: person.cookie }, payload: { itemId: office.item.itemId } });
    const drafts = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/applications?status=draft', headers: { cookie: office.officer.cookie } });
    expect(drafts.json().total).toBe(0);
    const waiting = await apply('paused-in-queue');
    await act(waiting, 'accept');
    await act(waiting, 'startReview');
    await act(waiting, 'requestSupplement', { opinion: '请补正', missing: { materials: ['premises'] } });
    const running = await apply('running-in-queue');
    await act(running, 'accept');
    // A month later the running one is overdue; the paused one waits on the applicant, not the department.
    t.clock.advance(30 * DAY);
    await staffSignInAgain(t, office.officer);
    await signInAgain(t, person);
    const overdue = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/applications?due=overdue', headers: { cookie: office.officer.cookie } });
    expect(overdue.json().items.map((i: { id: string }) => i.id)).toContain(running);
    expect(overdue.json().items.map((i: { id: string }) => i.id)).not.toContain(waiting);
    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/workbench/applications', headers: { cookie: office.officer.cookie } });
    const order = queue.json().items.map((i: { id: string }) => i.id);
    expect(order.indexOf(running)).toBeLessThan(order.indexOf(waiting));
  });

  it('pages a tie in the queue (submitted in the same moment with the same time limit) in id order, each application once', async () => {
    const bureau = await departmentWithItem(t, { regionCode: '310110' });
    const draft = async () => (await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie: person.cookie }, payload: { itemId: bureau.item.itemId } })).json().id as string;
    const submit = async (id: string) => {
      const payload = {
        form: { businessName: '秦记', organisation: 'personal', employees: 1, premisesRegion: '310110' },
        materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [(await services.files.store(person.accountId, { filename: 'p.png', bytes: TINY_PNG })).id] } },
      };
      const response = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/submission`, headers: { cookie: person.cookie }, payload });
      expect(response.statusCode, response.body).toBe(200);
    };
    const first = await draft();
    const second = await draft();
    // Submitted in the other order, at the same clock time: the later row versions come first in
    // the index unless the id decides.
    await submit(second);
    await submit(first);
    const page = async (offset: number) =>
      (await t.app.inject({ url: `/api/v1/workbench/applications?limit=1&offset=${offset}`, headers: { cookie: bureau.officer.cookie } })).json().items.map((i: { id: string }) => i.id);
    expect([...(await page(0)), ...(await page(1))]).toEqual([first, second].sort());
  });

  it('lets no staff member read an application before passing the second factor', async () => {
    const id = await apply('mfa-check');
    const { logIn } = await import('../identity/testing.js');
    const passwordOnly = await logIn(t, office.officer.username, office.officer.password);
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/applications/${id}`, headers: { cookie: passwordOnly } });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('mfaRequired');
  });

  it('refuses to submit a draft once the item is withdrawn', async () => {
    const other = await departmentWithItem(t, { regionCode: '310104' });
    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie: person.cookie }, payload: { itemId: other.item.itemId } });
    const withdrawn = await t.app.inject({ method: 'POST', url: `/api/v1/catalog/items/${other.item.itemId}/withdraw`, headers: { cookie: other.editor.cookie }, payload: {} });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${draft.json().id}/submission`, headers: { cookie: person.cookie }, payload: {} });
    expect(submitted.statusCode).toBe(409);
    expect(submitted.json().code).toBe('itemWithdrawn');
  });
});

describe('the combined status of a bundle', () => {
  it('stays partly rejected after the refusal is concluded', async () => {
    const { combinedStatus } = await import('./service.js');
    expect(combinedStatus([{ status: 'concluded', decision: 'approved' }, { status: 'concluded', decision: 'rejected' }])).toBe('partlyRejected');
    expect(combinedStatus([{ status: 'delivered', decision: 'approved' }, { status: 'concluded', decision: 'approved' }])).toBe('completed');
    expect(combinedStatus([{ status: 'supplementRequested', decision: null }, { status: 'rejected', decision: 'rejected' }])).toBe('actionNeeded');
    expect(combinedStatus([{ status: 'underReview', decision: null }, { status: 'delivered', decision: 'approved' }])).toBe('inProgress');
  });
});
