import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { departmentToken } from '../../credit/testing.js';
import { departmentWithItem, individualBusinessItem, penalisePerson, verifiedPerson } from '../testing.js';
import { field, pageClient, png, tag } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('the pages of a credit commitment: offered on the form, shown to the officer, found false', () => {
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof departmentWithItem>>;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;
  let li: Awaited<ReturnType<typeof verifiedPerson>>;
  const { get, postForm, postMultipart } = pageClient(() => t);
  const answers = (p: { name: string; idNumber: string; phone: string }) => [
    field('form-operatorName', p.name),
    field('form-operatorIdNumber', p.idNumber),
    field('form-phone', p.phone),
    field('form-businessName', '王记面馆'), field('form-organisation', 'personal'), field('form-premisesRegion', '310115'), field('form-employees', '2'), field('material-identity-government', 'yes'),
  ];
  const draftFor = async (cookie: string) => {
    const draft = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie }, payload: { itemId: shop.item.itemId } });
    return draft.json().id as string;
  };

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    const item = individualBusinessItem();
    item.materials = item.materials.map((m) => (m.key === 'premises' ? { ...m, commitmentAllowed: true, commitmentText: { 'zh-CN': '本人承诺经营场所真实、合法，可供经营使用。', en: 'I commit that the premises are real, lawful and fit for the business.' } } : m));
    shop = await departmentWithItem(t, { item });
    wang = await verifiedPerson(t, '王芳');
    li = await verifiedPerson(t, '李明');
    await penalisePerson(t, await departmentToken(t, shop.department.id), li);
  }, 180_000);
  // When the setup fails (or times out on a loaded machine), report that failure, not a missing app.
  afterAll(async () => t?.close());

  it('offers the commitment with its text to an applicant in good standing, and submits without the upload', async () => {
    const id = await draftFor(wang.cookie);
    const edit = `/applications/${id}/edit`;
    const page = await get(edit, wang.cookie);
    // The commitment is the material's first control, so the error summary lands on it.
    expect(tag(page.body, 'material-premises')).toContain('name="material-premises-commitment"');
    expect(tag(page.body, 'material-premises')).toContain('type="checkbox"');
    expect(page.body).toContain('我作出信用承诺，代替提交这项材料');
    expect(page.body).toContain('本人承诺经营场所真实、合法，可供经营使用。');

    // Both a commitment and a file for one material: the applicant is asked to choose.
    const both = await postMultipart(edit, edit, wang.cookie, [...answers(wang), field('material-premises-commitment', 'yes'), png('material-premises'), field('intent', 'submit')]);
    expect(both.statusCode).toBe(400);
    expect(both.body).toContain('不能同时选择');

    const submitted = await postMultipart(edit, edit, wang.cookie, [...answers(wang), field('material-premises-commitment-offered', 'yes'), field('material-premises-commitment', 'yes'), field('intent', 'submit')]);
    expect(submitted.statusCode, (submitted.body.match(/error-summary[\s\S]*?<\/ul>/) ?? [''])[0]).toBe(303);
    expect(submitted.headers.location).toBe(`/applications/${id}?submitted=1`);
    const status = await get(`/applications/${id}`, wang.cookie);
    expect(status.body).toContain('以信用承诺代替');
  });

  it('tells an applicant under caution to provide the material, and refuses a commitment posted anyway', async () => {
    const id = await draftFor(li.cookie);
    const edit = `/applications/${id}/edit`;
    const page = await get(edit, li.cookie);
    expect(page.body).not.toContain('name="material-premises-commitment"');
    expect(page.body).toContain('申请人目前的信用状况不适用，请提供材料');
    const posted = await postMultipart(edit, edit, li.cookie, [...answers(li), field('material-premises-commitment', 'yes'), field('intent', 'submit')]);
    expect(posted.statusCode).toBe(400);
    expect(posted.body).toContain('href="#material-premises"');
    expect(posted.body).toContain('不能以信用承诺代替材料');
    const english = await get(`${edit}?lang=en`, li.cookie);
    expect(english.body).toContain('standing does not allow it now');
  });

  it('lets an applicant withdraw a commitment the draft holds once their standing no longer allows one', async () => {
    const zhou = await verifiedPerson(t, '周洁');
    const id = await draftFor(zhou.cookie);
    const saved = await t.app.inject({ method: 'PATCH', url: `/api/v1/applications/${id}`, headers: { cookie: zhou.cookie }, payload: { materials: { premises: { commitment: true } } } });
    expect(saved.json().materials.premises.kind).toBe('commitment');
    await penalisePerson(t, await departmentToken(t, shop.department.id), zhou);

    const edit = `/applications/${id}/edit`;
    const page = await get(edit, zhou.cookie);
    // The commitment stays on the page, ticked, with why it cannot be kept in its description.
    const box = tag(page.body, 'material-premises');
    expect(box).toContain('name="material-premises-commitment"');
    expect(box).toContain('checked');
    expect(box).toContain('aria-describedby="material-premises-commitment-text material-premises-commitment-not-for-you"');
    expect(page.body).toContain('id="material-premises-commitment-not-for-you"');
    expect(page.body).toContain('请取消勾选以撤回承诺');
    expect(page.body).toContain('name="material-premises-commitment-offered"');

    // Unticked (the marker still posted), the commitment leaves the draft.
    const withdrawn = await postMultipart(edit, edit, zhou.cookie, [...answers(zhou), field('material-premises-commitment-offered', 'yes'), field('intent', 'save')]);
    expect(withdrawn.statusCode).toBe(303);
    const draft = await t.app.inject({ url: `/api/v1/applications/${id}`, headers: { cookie: zhou.cookie } });
    expect(draft.json().materials.premises).toBeUndefined();
    const after = await get(edit, zhou.cookie);
    expect(after.body).not.toContain('name="material-premises-commitment"');
    expect(after.body).toContain('申请人目前的信用状况不适用，请提供材料');
  });

  it('shows the officer the credit panel, and records a commitment found false from the workbench', async () => {
    const [row] = (await t.app.inject({ url: '/api/v1/workbench/applications', headers: { cookie: shop.officer.cookie } })).json().items;
    const detail = `/workbench/applications/${row.id}`;
    const page = await get(detail, shop.officer.cookie);
    expect(page.body).toContain('<h2 id="credit">申请人信用状况</h2>');
    expect(page.body).toContain('<caption');
    expect(page.body).toContain('信用承诺不实');
    expect(page.body).toContain('以信用承诺代替。');
    expect(page.body).toContain('认定承诺不实：经营场所使用证明');

    const action = `${detail}/commitments/premises/breach`;
    const empty = await postForm(detail, action, shop.officer.cookie, { 'breach-premises-reason': '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#breach-premises-reason"');

    const recorded = await postForm(detail, action, shop.officer.cookie, { 'breach-premises-reason': '现场核查，经营场所不存在。', 'breach-premises-require': 'yes' });
    expect(recorded.statusCode).toBe(303);
    expect(recorded.headers.location).toBe(`${detail}?done=commitmentBroken`);
    const after = await get(`${detail}?done=commitmentBroken`, shop.officer.cookie);
    expect(after.body).toContain('承诺不实');
    expect(after.body).toContain('现场核查，经营场所不存在。');
    expect(after.body).toContain('关注');
    expect(after.body).not.toContain('认定承诺不实：经营场所使用证明');
    const applicant = await get(`/applications/${row.id}`, wang.cookie);
    expect(applicant.body).toContain('承诺不实');
  });
});
