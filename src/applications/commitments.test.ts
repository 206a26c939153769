import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import { CreditService } from '../credit/service.js';
import { departmentToken, penaltyReport } from '../credit/testing.js';
import { enterpriseWithFacts } from '../policies/testing.js';
import { createServices, type Services } from '../services.js';
import { departmentWithItem, individualBusinessItem, penalisePerson, verifiedPerson, TINY_PNG } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The individual-business item whose proof of premises an applicant in good standing may replace by a credit commitment. */
function committableItem() {
  const item = individualBusinessItem({ audiences: ['person', 'enterprise'] });
  item.materials = item.materials.map((m) => (m.key === 'premises' ? { ...m, commitmentAllowed: true } : m));
  return item;
}

const FORM = { businessName: '王记面馆', organisation: 'personal', premisesRegion: '310115', employees: 2 };

describe('credit commitments (信用承诺) in the application flow', () => {
  let t: TestApp;
  let services: Services;
  let shop: Awaited<ReturnType<typeof departmentWithItem>>;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;
  let li: Awaited<ReturnType<typeof verifiedPerson>>;
  let creditToken: string;
  let applicationId: string;

  const as = (cookie: string) => ({ cookie });
  const apply = (cookie: string, payload: object, key = `key-${Math.random().toString(36).slice(2)}`) =>
    t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { cookie, 'idempotency-key': key }, payload: { itemId: shop.item.itemId, form: FORM, ...payload } });
  const creditOf = (cookie: string, id: string) => t.app.inject({ method: 'GET', url: `/api/v1/workbench/applications/${id}/credit`, headers: as(cookie) });
  const breach = (cookie: string, id: string, key: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/commitments/${key}/breach`, headers: as(cookie), payload });
  const penalise = (person: { name: string; idNumber: string }) => penalisePerson(t, creditToken, person);

  beforeAll(async () => {
    // Monday 2 March 2026, 10:00 in Shanghai.
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    services = createServices(t.platform);
    shop = await departmentWithItem(t, { item: committableItem() });
    wang = await verifiedPerson(t, '王芳');
    li = await verifiedPerson(t, '李明');
    creditToken = await departmentToken(t, shop.department.id);
  }, 180_000);
  // When the setup fails (or times out on a loaded machine), report that failure, not a missing app.
  afterAll(async () => t?.close());

  it('publishes the item with the commitment, and shows it on the public guide', async () => {
    const item = await t.app.inject({ url: `/api/v1/catalog/items/${shop.item.itemId}` });
    expect(item.json().definition.materials.find((m: { key: string }) => m.key === 'premises')).toMatchObject({ commitmentAllowed: true });
    const page = await t.app.inject({ url: `/services/${shop.item.itemId}`, headers: { accept: 'text/html' } });
    expect(page.body).toContain('可以信用承诺代替');
    const english = await t.app.inject({ url: `/services/${shop.item.itemId}?lang=en`, headers: { accept: 'text/html' } });
    expect(english.body).toContain('A credit commitment may replace it');
  });

  it('lets an applicant in good standing commit instead of providing the material: submitted without the upload', async () => {
    const response = await apply(wang.cookie, { materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } });
    expect(response.statusCode).toBe(201);
    const view = response.json();
    applicationId = view.id;
    expect(view.status).toBe('submitted');
    expect(view.materials.premises).toMatchObject({
      kind: 'commitment',
      committedBy: { personId: wang.personId, name: '王芳' },
      committedAt: '2026-03-02T02:00:00.000Z',
      standing: { status: 'good', mayCommit: true },
    });
    // What the applicant's record holds in numbers is not stored on the application, where agents of an enterprise would read it.
    expect(view.materials.premises.standing.counts).toBeUndefined();
    // The standard text names the material, in both languages.
    expect(view.materials.premises.text['zh-CN']).toContain('经营场所使用证明');
    expect(view.materials.premises.text.en).toContain('Proof of the business premises');
    // A commitment is not a reuse of government data: no consent is recorded for it.
    const consents = await services.applications.store.consents(applicationId);
    expect(consents.map((c) => c.materialKey)).toEqual(['identity']);
  });

  it('refuses a commitment for a material the item does not let a commitment replace', async () => {
    const response = await apply(wang.cookie, { form: { ...FORM, organisation: 'family' }, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true }, familyList: { commitment: true } } });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([expect.objectContaining({ field: '/materials/familyList', code: 'applications.commitment.notOffered' })]);
  });

  it('shows the officer the credit panel and which material a commitment replaced, and audits the read for the applicant', async () => {
    const credit = await creditOf(shop.officer.cookie, applicationId);
    expect(credit.statusCode).toBe(200);
    expect(credit.json()).toMatchObject({ standing: { status: 'good', mayCommit: true, listed: false }, recordPage: null, commitments: [{ materialKey: 'premises', kind: 'commitment' }] });
    const reads = await t.platform.audit.forPerson(wang.personId, ['personalData.read']);
    const creditReads = reads.filter((r) => JSON.stringify(r).includes('creditStanding'));
    expect(creditReads).toHaveLength(1);
    expect(JSON.stringify(creditReads[0])).toContain('受理员');

    const page = await t.app.inject({ url: `/workbench/applications/${applicationId}`, headers: { cookie: shop.officer.cookie, accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('申请人信用状况');
    expect(page.body).toContain('良好');
    expect(page.body).toContain('以信用承诺代替');
    expect(page.body).toContain('认定承诺不实');
    expect(page.body).not.toContain('查看完整信用记录');
  });

  it('keeps the credit panel from anyone outside the department, and from applicants', async () => {
    const elsewhere = await departmentWithItem(t, { regionCode: '310104' });
    expect((await creditOf(elsewhere.officer.cookie, applicationId)).statusCode).toBe(404);
    expect((await creditOf(wang.cookie, applicationId)).statusCode).toBe(403);
    expect((await breach(elsewhere.officer.cookie, applicationId, 'premises', { reason: '核查不实' })).statusCode).toBe(404);
  });

  it("reads an enterprise's standing by its credit code, audits the read against the enterprise, and links the credit workbench", async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6210', establishedOn: '2021-05-01' });
    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: enterprise.representative.cookie, 'idempotency-key': 'good-enterprise-1' },
      payload: { itemId: shop.item.itemId, enterpriseId: enterprise.id, form: FORM, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } },
    });
    expect(applied.statusCode).toBe(201);
    const credit = await creditOf(shop.officer.cookie, applied.json().id);
    expect(credit.json()).toMatchObject({ standing: { status: 'good' }, recordPage: `/workbench/credit?uscc=${enterprise.uscc}` });
    const accesses = await t.platform.audit.accessesOf({ enterpriseId: enterprise.id }, { limit: 20 });
    expect(accesses.entries.filter((e) => e.purpose?.startsWith('credit standing'))).toEqual([expect.objectContaining({ action: 'personalData.read', applicationId: applied.json().id })]);
  });

  it('refuses a commitment from an applicant whose standing is under caution, in Chinese and English', async () => {
    await penalise(li);
    const chinese = await apply(li.cookie, { materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } });
    expect(chinese.statusCode).toBe(400);
    expect(chinese.json().errors).toEqual([expect.objectContaining({ field: '/materials/premises', code: 'applications.commitment.notInGoodStanding', message: expect.stringContaining('关注') })]);
    const english = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications?lang=en',
      headers: { cookie: li.cookie, 'idempotency-key': 'li-english-1', 'accept-language': 'en' },
      payload: { itemId: shop.item.itemId, form: FORM, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } },
    });
    expect(english.json().errors[0].message).toContain('under caution');
    // Providing the material itself is the way through.
    const file = await services.files.store(li.accountId, { filename: 'lease.png', bytes: TINY_PNG, allowedTypes: ['png'] });
    const withUpload = await apply(li.cookie, { materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [file.id] } } });
    expect(withUpload.statusCode).toBe(201);
  });

  it('refuses a commitment from an enterprise on the untrustworthy list', async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115', industry: '6210', establishedOn: '2020-01-01' });
    const listed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/credit/records',
      headers: { authorization: `Bearer ${creditToken}` },
      payload: penaltyReport(enterprise.uscc, { category: 'listing', title: '严重违法失信主体', subject: { kind: 'enterprise', uscc: enterprise.uscc, name: enterprise.name }, decidedOn: '2026-03-01' }),
    });
    expect(listed.statusCode).toBe(201);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/applications',
      headers: { cookie: enterprise.representative.cookie, 'idempotency-key': 'listed-enterprise-1' },
      payload: { itemId: shop.item.itemId, enterpriseId: enterprise.id, form: FORM, materials: { premises: { commitment: true } } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/materials/premises', code: 'applications.commitment.listed' })]));
  });

  it('checks the standing again when a draft with a commitment is submitted', async () => {
    const zhao = await verifiedPerson(t, '赵强');
    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: as(zhao.cookie), payload: { itemId: shop.item.itemId } });
    const id = draft.json().id;
    const saved = await t.app.inject({ method: 'PATCH', url: `/api/v1/applications/${id}`, headers: as(zhao.cookie), payload: { form: FORM, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().materials.premises.kind).toBe('commitment');
    await penalise(zhao);
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/submission`, headers: as(zhao.cookie), payload: {} });
    expect(submitted.statusCode).toBe(400);
    expect(submitted.json().errors).toEqual([expect.objectContaining({ field: '/materials/premises', code: 'applications.commitment.notInGoodStanding' })]);
  });

  it('turns a commitment found false into a credit record, changes the standing, and requires the material', async () => {
    expect((await breach(shop.officer.cookie, applicationId, 'premises', { reason: '  ' })).json().errors).toEqual([expect.objectContaining({ field: '/reason' })]);
    expect((await breach(shop.officer.cookie, applicationId, 'identity', { reason: '核查不实' })).statusCode).toBe(404);

    const response = await breach(shop.officer.cookie, applicationId, 'premises', { reason: '现场核查，承诺的经营场所不存在。', requireMaterial: true });
    expect(response.statusCode).toBe(200);
    const view = response.json();
    expect(view.status).toBe('supplementRequested');
    expect(view.supplementRequest).toMatchObject({ materials: ['premises'], fields: [], note: '现场核查，承诺的经营场所不存在。' });
    expect(view.materials.premises.broken).toMatchObject({ decidedOn: '2026-03-02', reason: '现场核查，承诺的经营场所不存在。', recordId: expect.any(String) });
    expect(view.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'commitmentBroken', 'requestSupplement']);

    // The credit capability holds the record, and the applicant is no longer in good standing.
    const standing = await services.credit.standing({ kind: 'person', personId: wang.personId });
    expect(standing).toMatchObject({ status: 'caution', mayCommit: false, counts: { commitmentsBroken: 1 } });
    const records = await services.credit.store.recordsOf({ personId: wang.personId });
    expect(records).toEqual([expect.objectContaining({ id: view.materials.premises.broken.recordId, category: 'commitmentBroken', applicationId, departmentId: shop.department.id })]);
    expect((await creditOf(shop.officer.cookie, applicationId)).json().standing).toMatchObject({ status: 'caution', counts: { commitmentsBroken: 1 } });

    // Once is enough: the same commitment cannot be found false twice.
    expect((await breach(shop.officer.cookie, applicationId, 'premises', { reason: '再次认定' })).statusCode).toBe(409);
    const inbox = await t.app.inject({ url: '/api/v1/inbox', headers: as(wang.cookie) });
    expect(JSON.stringify(inbox.json())).toContain('信用承诺被认定不实');
  });

  it('asks for the material itself in the supplement: a commitment does not answer it', async () => {
    const committed = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/supplement`, headers: as(wang.cookie), payload: { materials: { premises: { commitment: true } } } });
    expect(committed.statusCode).toBe(400);
    expect(committed.json().errors).toEqual([expect.objectContaining({ field: '/materials/premises', code: 'applications.commitment.notInSupplement' })]);
    const file = await services.files.store(wang.accountId, { filename: 'lease.png', bytes: TINY_PNG, allowedTypes: ['png'] });
    const supplemented = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/supplement`, headers: as(wang.cookie), payload: { materials: { premises: { fileIds: [file.id] } } } });
    expect(supplemented.statusCode).toBe(200);
    expect(supplemented.json()).toMatchObject({ status: 'submitted', materials: { premises: { kind: 'upload' } } });
  });

  it("leaves the department's own one-time supplement request open after a breach demanded the material", async () => {
    const events = (await t.app.inject({ url: `/api/v1/applications/${applicationId}`, headers: as(shop.officer.cookie) })).json().events as { action: string; detail: { cause?: string } | null }[];
    expect(events.find((e) => e.action === 'requestSupplement')?.detail?.cause).toBe('commitmentBroken');
    const act = (payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${applicationId}/actions/requestSupplement`, headers: as(shop.officer.cookie), payload });
    const requested = await act({ opinion: '字号名称不规范，请补正。', missing: { fields: ['businessName'] } });
    expect(requested.statusCode).toBe(200);
    expect(requested.json().supplementRequest).toMatchObject({ fields: ['businessName'] });
    // That was the one notice: once answered, a second is refused as always.
    const answered = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${applicationId}/supplement`, headers: as(wang.cookie), payload: { form: { businessName: '王记面馆（浦东店）' } } });
    expect(answered.statusCode).toBe(200);
    const again = await act({ opinion: '再次补正', missing: { fields: ['employees'] } });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('supplementAlreadyRequested');
  });

  it('refuses to record a breach on a withdrawn application', async () => {
    const zhou = await verifiedPerson(t, '周洁');
    const id = (await apply(zhou.cookie, { materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } })).json().id;
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/withdrawal`, headers: as(zhou.cookie), payload: {} })).statusCode).toBe(200);
    const response = await breach(shop.officer.cookie, id, 'premises', { reason: '核查不实' });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('commitmentApplicationWithdrawn');
    expect((await services.credit.standing({ kind: 'person', personId: zhou.personId })).status).toBe('good');
  });

  it('shows the collecting office the standing without the counts, and lets only the handling department record a breach', async () => {
    const office = await departmentWithItem(t, { regionCode: '310104' });
    const qian = await verifiedPerson(t, '钱程');
    const created = await apply(qian.cookie, { collectingDepartmentId: office.department.id, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const collecting = await creditOf(office.officer.cookie, id);
    expect(collecting.statusCode).toBe(200);
    expect(collecting.json().standing).toMatchObject({ status: 'good', mayCommit: true });
    expect(collecting.json().standing.counts).toBeUndefined();
    expect(collecting.json().commitments).toEqual([expect.objectContaining({ materialKey: 'premises', standing: { status: 'good', mayCommit: true } })]);
    const page = await t.app.inject({ url: `/workbench/applications/${id}`, headers: { cookie: office.officer.cookie, accept: 'text/html' } });
    expect(page.body).toContain('信用记录数量只向承办部门显示');
    expect(page.body).not.toContain('认定承诺不实');
    // The handling department sees the counts.
    expect((await creditOf(shop.officer.cookie, id)).json().standing.counts).toMatchObject({ penalties: 0 });
    const refused = await breach(office.officer.cookie, id, 'premises', { reason: '代收时核查不实' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('notHandlingDepartment');
    expect((await services.credit.standing({ kind: 'person', personId: qian.personId })).status).toBe('good');
  });

  it('checks the standing again where the submission is written, so a penalty recorded meanwhile stops the commitment', async () => {
    const wu = await verifiedPerson(t, '吴刚');
    await penalise(wu);
    // The read before the transaction still sees good standing (the penalty arrives in between); the read inside does not.
    const real = CreditService.prototype.standing;
    const spy = vi.spyOn(CreditService.prototype, 'standing').mockImplementation(async function (this: CreditService, subject, tx) {
      const standing = await real.call(this, subject, tx);
      return tx ? standing : { ...standing, status: 'good', mayCommit: true };
    });
    try {
      const response = await apply(wu.cookie, { materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: '/materials/premises', code: 'applications.commitment.notInGoodStanding' })]);
    } finally {
      spy.mockRestore();
    }
    const mine = await t.app.inject({ url: '/api/v1/applications', headers: as(wu.cookie) });
    expect(JSON.stringify(mine.json())).not.toContain('王记面馆');
  });

  it('drops a draft\'s commitment for a material the new version removes or no longer needs, and submits', async () => {
    const item = committableItem();
    item.materials = item.materials.map((m) => (m.key === 'familyList' ? { ...m, commitmentAllowed: true } : m));
    const own = await departmentWithItem(t, { item });
    const feng = await verifiedPerson(t, '冯雪');
    const id = (await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: as(feng.cookie), payload: { itemId: own.item.itemId } })).json().id;
    const saved = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/applications/${id}`,
      headers: as(feng.cookie),
      payload: { form: { ...FORM, organisation: 'family' }, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true }, familyList: { commitment: true } } },
    });
    expect(saved.statusCode).toBe(200);
    // The department stops asking for the premises proof; the applicant then runs the business alone.
    const revised = await t.app.inject({ method: 'PUT', url: `/api/v1/catalog/items/${own.item.itemId}`, headers: as(own.editor.cookie), payload: { ...item, materials: item.materials.filter((m) => m.key !== 'premises') } });
    expect(revised.statusCode).toBe(200);
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/applications/${id}/submission`, headers: as(feng.cookie), payload: { form: { organisation: 'personal' } } });
    expect(submitted.statusCode).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', item: { version: 2 } });
    expect(Object.keys(submitted.json().materials)).toEqual(['identity']);
  });

  it('in a bundle, shows each department\'s own commitment words and records them on its application', async () => {
    const hygieneWords = { 'zh-CN': '本人承诺经营场所符合卫生要求。', en: 'I commit that the premises meet the hygiene rules.' };
    const hygiene = committableItem();
    hygiene.name = { 'zh-CN': '公共场所卫生许可', en: 'Public place hygiene licence' };
    hygiene.materials = hygiene.materials.map((m) => (m.key === 'premises' ? { ...m, commitmentText: hygieneWords } : m));
    const health = await departmentWithItem(t, { item: hygiene });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/bundles',
      headers: as(shop.editor.cookie),
      payload: { code: 'open-shop-commit', name: { 'zh-CN': '我要开店', en: 'Open a shop' }, description: { 'zh-CN': '登记和卫生许可一次办', en: 'Registration and hygiene licence at once' }, themes: ['startingBusiness'], itemIds: [shop.item.itemId, health.item.itemId] },
    });
    expect(created.statusCode).toBe(201);
    const premises = (await t.app.inject({ url: '/api/v1/catalog/bundles/open-shop-commit' })).json().materials.find((m: { key: string }) => m.key === 'premises');
    expect(premises.commitmentText).toBeUndefined();
    expect(premises.commitmentTexts.map((e: { itemIds: string[] }) => e.itemIds)).toEqual([[shop.item.itemId], [health.item.itemId]]);

    const zheng = await verifiedPerson(t, '郑和');
    const page = await t.app.inject({ url: '/applications/new?bundle=open-shop-commit', headers: { cookie: zheng.cookie, accept: 'text/html' } });
    expect(page.body).toContain('各部门记录各自事项的承诺内容');
    expect(page.body).toContain(`公共场所卫生许可： ${hygieneWords['zh-CN']}`);
    expect(page.body).toContain('经营场所使用证明');

    const applied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/bundle-applications',
      headers: { cookie: zheng.cookie, 'idempotency-key': 'bundle-commit-1' },
      payload: { bundleCode: 'open-shop-commit', form: FORM, materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } },
    });
    expect(applied.statusCode).toBe(201);
    const texts = await Promise.all(
      applied.json().applications.map(async (a: { id: string; departmentId: string }) => [a.departmentId, (await t.app.inject({ url: `/api/v1/applications/${a.id}`, headers: as(zheng.cookie) })).json().materials.premises.text]),
    );
    expect(Object.fromEntries(texts)).toEqual({ [health.department.id]: hygieneWords, [shop.department.id]: expect.objectContaining({ 'zh-CN': expect.stringContaining('经营场所使用证明') }) });
  });

  it('records a breach on a concluded application too, without requiring the material', async () => {
    const sun = await verifiedPerson(t, '孙丽');
    const created = await apply(sun.cookie, { materials: { identity: { governmentData: true, consent: true }, premises: { commitment: true } } });
    const id = created.json().id;
    const act = (cookie: string, action: string, payload: object = {}) => t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/${action}`, headers: as(cookie), payload });
    expect((await act(shop.officer.cookie, 'accept')).statusCode).toBe(200);
    expect((await act(shop.officer.cookie, 'startReview')).statusCode).toBe(200);
    expect((await act(shop.approver.cookie, 'approve', { opinion: '准予登记' })).statusCode).toBe(200);
    expect((await act(shop.officer.cookie, 'conclude')).statusCode).toBe(200);
    const required = await breach(shop.approver.cookie, id, 'premises', { reason: '事后核查不实', requireMaterial: true });
    expect(required.statusCode).toBe(409);
    const recorded = await breach(shop.approver.cookie, id, 'premises', { reason: '事后核查，经营场所系虚构。' });
    expect(recorded.statusCode).toBe(200);
    expect(recorded.json()).toMatchObject({ status: 'concluded', materials: { premises: { broken: { by: expect.stringContaining('审批员') } } } });
    expect((await services.credit.standing({ kind: 'person', personId: sun.personId })).status).toBe('caution');
  });
});
