import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createTestApp } from '../../core/testing.js';
import { createServices } from '../../services.js';
import { departmentWithItem, individualBusinessItem, verifiedPerson } from '../testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

import { EXE, PNG, csrfOf, field, noFile, pageClient, png, tag, type Part } from './testing.js';

describe('the application pages: apply, follow, supplement; the officer workbench', () => {
  let t: TestApp;
  let shop: Awaited<ReturnType<typeof departmentWithItem>>;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;
  let li: Awaited<ReturnType<typeof verifiedPerson>>;
  let applicationId = '';
  let trackingNumber = '';

  const { get, postForm, postMultipart } = pageClient(() => t);
  const editUrl = () => `/applications/${applicationId}/edit`;
  const statusUrl = () => `/applications/${applicationId}`;
  const workbenchUrl = () => `/workbench/applications/${applicationId}`;

  beforeAll(async () => {
    // Monday 2 March 2026, 10:00 in Shanghai.
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    const base = individualBusinessItem();
    shop = await departmentWithItem(t, {
      item: {
        form: {
          fields: [
            ...base.form.fields,
            {
              key: 'familyMembers',
              label: { 'zh-CN': '参与经营的家庭成员人数', en: 'Family members taking part' },
              type: 'integer',
              required: true,
              minimum: 1,
              visibleWhen: { field: 'organisation', equals: 'family' },
            },
          ],
        },
      },
    });
    wang = await verifiedPerson(t, '王芳');
    li = await verifiedPerson(t, '李明');
  });
  afterAll(async () => t.close());

  it('sends a visitor to sign in first, and staff to the staff sign-in', async () => {
    const applicant = await get(`/applications/new?item=${shop.item.itemId}`);
    expect(applicant.statusCode).toBe(303);
    expect(applicant.headers.location).toBe(`/login?next=${encodeURIComponent(`/applications/new?item=${shop.item.itemId}`)}`);
    const officer = await get('/workbench');
    expect(officer.statusCode).toBe(303);
    expect(officer.headers.location).toBe('/staff/login?next=%2Fworkbench');
    expect((await get('/workbench', wang.cookie)).statusCode).toBe(403);
  });

  it('starts an application for myself, which becomes a draft prefilled from my real-name profile', async () => {
    const start = await get(`/applications/new?item=${shop.item.itemId}`, wang.cookie);
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('个体工商户设立登记');
    expect(tag(start.body, 'applicant')).toContain('value="self"');
    expect(tag(start.body, 'applicant')).toContain('checked');
    const started = await postForm(`/applications/new?item=${shop.item.itemId}`, '/applications/new', wang.cookie, { itemId: shop.item.itemId, applicant: 'self' });
    expect(started.statusCode).toBe(303);
    const match = /^\/applications\/([\w-]+)\/edit$/.exec(String(started.headers.location));
    expect(match).not.toBeNull();
    applicationId = match![1]!;

    const edit = await get(editUrl(), wang.cookie);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toMatch(/enctype="multipart\/form-data"/i);
    expect(tag(edit.body, 'form-operatorName')).toContain('value="王芳"');
    expect(edit.body).toContain(wang.idNumber);
    // The conditional question is on the page, marked with its condition (no script hides it).
    expect(edit.body).toContain('仅当“组成形式”为“家庭经营”时填写');
    // Each material offers its ways: government data with consent, an upload of the accepted types.
    expect(edit.body).toContain('name="material-identity-government"');
    expect(tag(edit.body, 'material-premises')).toContain('type="file"');
    const buttons = edit.body.match(/<button[^>]*name="intent"[^>]*>/g) ?? [];
    expect(buttons.map((b) => /value="(\w+)"/.exec(b)?.[1])).toEqual(['submit', 'save']);
  });

  it('refuses malformed answers and a renamed executable, naming each field and keeping what was typed', async () => {
    const response = await postMultipart(editUrl(), `${editUrl()}`, wang.cookie, [
      field('form-operatorName', '王芳'),
      field('form-businessName', '王记面馆'),
      field('form-organisation', 'personal'),
      field('form-employees', 'many'),
      field('form-premisesRegion', '999999'),
      { name: 'material-premises', filename: 'lease.png', type: 'image/png', bytes: EXE },
      field('intent', 'save'),
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('class="error-summary"');
    expect(response.body).toContain('href="#material-premises"');
    // What was typed comes back, so nothing has to be typed twice.
    expect(response.body).toContain('value="王记面馆"');

    // Over the 5 MB this material allows (a PNG header, then padding): refused before anything is stored.
    const large = await postMultipart(editUrl(), editUrl(), wang.cookie, [
      field('form-businessName', '王记面馆'),
      { name: 'material-premises', filename: 'scan.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]) },
      field('intent', 'save'),
    ]);
    expect(large.statusCode).toBe(400);
    expect(large.body).toContain('href="#material-premises"');
    expect(large.body).toContain('所选文件不能超过 5 MB。');
    const stored = await t.platform.db.selectFrom('fileUploads').select((eb) => eb.fn.countAll<number>().as('n')).where('ownerAccountId', '=', wang.accountId).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);

    const answers = await postMultipart(editUrl(), editUrl(), wang.cookie, [
      field('form-businessName', '王记面馆'),
      field('form-employees', 'many'),
      field('form-premisesRegion', '999999'),
      field('intent', 'save'),
    ]);
    expect(answers.statusCode).toBe(400);
    expect(answers.body).toContain('href="#form-employees"');
    expect(answers.body).toContain('href="#form-premisesRegion"');
    expect(answers.body).toContain('请填写整数。');
    expect(tag(answers.body, 'form-employees')).toContain('value="many"');
    expect(answers.body).toContain('aria-invalid="true"');
  });

  it('saves a draft with an upload, and shows the file as provided when I come back', async () => {
    const saved = await postMultipart(editUrl(), editUrl(), wang.cookie, [
      field('form-operatorName', '王芳'),
      field('form-operatorIdNumber', wang.idNumber),
      field('form-phone', wang.phone),
      field('form-businessName', '王记面馆'),
      field('form-organisation', 'personal'),
      field('form-premisesRegion', '310115'),
      field('form-employees', '2'),
      field('form-familyMembers', ''),
      png('material-premises'),
      noFile('material-familyList'),
      field('intent', 'save'),
    ]);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${editUrl()}?saved=1`);
    const again = await get(`${editUrl()}?saved=1`, wang.cookie);
    expect(again.body).toContain('草稿已保存。');
    expect(again.body).toContain('lease.png');
    expect(tag(again.body, 'form-businessName')).toContain('value="王记面馆"');
    expect(again.body).toMatch(/<option selected="" value="personal">|<option value="personal" selected="">/);
  });

  it('lists what is still missing on submit, then submits and shows the tracking number', async () => {
    const incomplete = await postMultipart(editUrl(), editUrl(), wang.cookie, [field('form-businessName', '王记面馆'), field('form-organisation', 'personal'), field('form-premisesRegion', '310115'), field('form-employees', '2'), field('intent', 'submit')]);
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.body).toContain('href="#material-identity"');
    expect(incomplete.body).not.toContain('href="#material-premises"');

    const submitted = await postMultipart(editUrl(), editUrl(), wang.cookie, [
      field('form-operatorName', '王芳'),
      field('form-operatorIdNumber', wang.idNumber),
      field('form-phone', wang.phone),
      field('form-businessName', '王记面馆'),
      field('form-organisation', 'personal'),
      field('form-premisesRegion', '310115'),
      field('form-employees', '2'),
      field('material-identity-government', 'yes'),
      field('intent', 'submit'),
    ]);
    expect(submitted.statusCode).toBe(303);
    expect(submitted.headers.location).toBe(`${statusUrl()}?submitted=1`);
    const confirmation = await get(`${statusUrl()}?submitted=1`, wang.cookie);
    expect(confirmation.statusCode).toBe(200);
    trackingNumber = /310115-20260302-[0-9A-Z]{8}/.exec(confirmation.body)?.[0] ?? '';
    expect(trackingNumber).not.toBe('');
    expect(confirmation.body).toContain('class="panel"');
    expect(confirmation.body).toContain('申请已提交');

    // A second click on Submit changes nothing and shows the same application.
    const twice = await postMultipart(statusUrl(), editUrl(), wang.cookie, [field('intent', 'submit')]);
    expect(twice.statusCode).toBe(303);
    expect(twice.headers.location).toBe(statusUrl());
    const list = await get('/applications', wang.cookie);
    expect(list.body.match(new RegExp(trackingNumber, 'g'))).toHaveLength(1);
  });

  it('shows nobody else the application: another person gets 404', async () => {
    expect((await get(statusUrl(), li.cookie)).statusCode).toBe(404);
    expect((await get(editUrl(), li.cookie)).statusCode).toBe(404);
    const others = await get('/applications', li.cookie);
    expect(others.body).not.toContain(trackingNumber);
  });

  it("puts the application in the officer's queue and shows it in full, with the actions of its flow", async () => {
    const queue = await get('/workbench', shop.officer.cookie);
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(trackingNumber);
    expect(queue.body).toContain('未开始计时');
    const detail = await get(workbenchUrl(), shop.officer.cookie);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('王记面馆');
    expect(detail.body).toContain(`action="${workbenchUrl()}/actions/accept"`);
    expect(detail.body).toContain(`action="${workbenchUrl()}/actions/requestSupplement"`);
    expect(detail.body).not.toContain(`action="${workbenchUrl()}/actions/approve"`);
    // The officer downloads the uploaded material; the read is audited.
    const fileHref = new RegExp(`${workbenchUrl()}/files/([\\w-]+)`).exec(detail.body)?.[1];
    expect(fileHref).toBeDefined();
    const file = await get(`${workbenchUrl()}/files/${fileHref}`, shop.officer.cookie);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const reads = await t.platform.audit.forPerson(wang.personId, ['files.read']);
    expect(reads.some((event) => event.actorId === shop.officer.staffId)).toBe(true);
    // An officer of another department sees neither the application nor its file.
    const elsewhere = await departmentWithItem(t, { regionCode: '310104' });
    expect((await get(workbenchUrl(), elsewhere.officer.cookie)).statusCode).toBe(404);
    expect((await get(`${workbenchUrl()}/files/${fileHref}`, elsewhere.officer.cookie)).statusCode).toBe(404);
  });

  it('requests a supplement listing everything at once, and refuses it without a note', async () => {
    const withoutNote = await postForm(workbenchUrl(), `${workbenchUrl()}/actions/requestSupplement`, shop.officer.cookie, { 'requestSupplement-materials': ['premises'] });
    expect(withoutNote.statusCode).toBe(400);
    expect(withoutNote.body).toContain('href="#requestSupplement-opinion"');
    const requested = await postForm(workbenchUrl(), `${workbenchUrl()}/actions/requestSupplement`, shop.officer.cookie, {
      'requestSupplement-materials': ['premises'],
      'requestSupplement-fields': ['businessName'],
      'requestSupplement-opinion': '租赁合同缺少出租方签字；字号与名称预先核准不一致。',
    });
    expect(requested.statusCode).toBe(303);
    expect(requested.headers.location).toBe(`${workbenchUrl()}?done=requestSupplement`);
    const after = await get(String(requested.headers.location), shop.officer.cookie);
    expect(after.body).toContain('已完成“一次性告知补正”');
    expect(after.body).toContain('待补正');
  });

  it('lets the applicant answer the supplement in one go, after naming everything still missing', async () => {
    const status = await get(statusUrl(), wang.cookie);
    expect(status.body).toContain('一次性补正告知');
    expect(status.body).toContain('经营场所使用证明');
    expect(status.body).toContain('字号名称');
    expect(status.body).toContain('租赁合同缺少出租方签字');
    // Asked before acceptance: the clock has not started yet, so there is nothing to pause.
    expect(status.body).toContain('受理后开始计时');

    const nothing = await postMultipart(statusUrl(), `${statusUrl()}/supplement`, wang.cookie, [field('form-businessName', '王记面馆')]);
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('href="#material-premises"');

    const answered = await postMultipart(statusUrl(), `${statusUrl()}/supplement`, wang.cookie, [field('form-businessName', '浦东王记面馆'), png('material-premises', 'lease-signed.png')]);
    expect(answered.statusCode).toBe(303);
    expect(answered.headers.location).toBe(`${statusUrl()}?supplemented=1`);
    const after = await get(String(answered.headers.location), wang.cookie);
    expect(after.body).toContain('补正已提交');
    expect(after.body).toContain('浦东王记面馆');
    expect(after.body).toContain('lease-signed.png');
    expect(after.body).not.toContain('一次性补正告知');
  });

  it('lets the officer claim and accept by form; the applicant sees every step with who and when', async () => {
    const claimed = await postForm(workbenchUrl(), `${workbenchUrl()}/actions/claim`, shop.officer.cookie, {});
    expect(claimed.statusCode, claimed.body.slice(claimed.body.indexOf('<main'), claimed.body.indexOf('</main>'))).toBe(303);
    const accepted = await postForm(workbenchUrl(), `${workbenchUrl()}/actions/accept`, shop.officer.cookie, { 'accept-opinion': '材料齐全，予以受理' });
    expect(accepted.statusCode).toBe(303);
    const mine = await get('/workbench?mine=yes', shop.officer.cookie);
    expect(mine.body).toContain(trackingNumber);
    const illegal = await postForm(workbenchUrl(), `${workbenchUrl()}/actions/accept`, shop.officer.cookie, {});
    expect(illegal.statusCode).toBe(409);
    expect(illegal.body).toContain('class="error-summary"');

    const status = await get(statusUrl(), wang.cookie);
    expect(status.body).toContain('已受理');
    expect(status.body).toContain('材料齐全，予以受理');
    expect(status.body).toContain('受理员');
    expect(status.body).toMatch(/2026-03-\d\d/);
  });

  it('withdraws only after the box is ticked', async () => {
    const unconfirmed = await postForm(statusUrl(), `${statusUrl()}/withdraw`, wang.cookie, { reason: '改到别处开店' });
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('href="#confirm"');
    expect(unconfirmed.body).toContain('改到别处开店');
    const status = await get(statusUrl(), wang.cookie);
    expect(status.body).toContain('已受理');
  });

  it('speaks English with ?lang=en', async () => {
    const status = await get(`${statusUrl()}?lang=en`, wang.cookie);
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('<html lang="en"');
    expect(status.body).toContain('Application number');
    expect(status.body).toContain('Individual business registration');
    expect(status.body).toContain('Accepted');
    const queue = await get('/workbench?lang=en', shop.officer.cookie);
    expect(queue.body).toContain('Application workbench');
    expect(queue.body).toContain('Collected for other regions');
  });

  it('applies for a bundle once: one form, one submission, one bundle even when the form is sent twice', async () => {
    // The second department asks the same questions and only the identity data, so the upload goes to the first.
    const other = await departmentWithItem(t, { regionCode: '310104', item: { materials: [individualBusinessItem().materials[0]!] } });
    const editor = shop.editor;
    const published = await t.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/bundles',
      headers: { cookie: editor.cookie },
      payload: {
        code: 'open-shop',
        name: { 'zh-CN': '开小店一件事', en: 'Opening a small shop' },
        description: { 'zh-CN': '营业执照和场所登记一次办。', en: 'Licence and premises together.' },
        themes: ['startingBusiness'],
        itemIds: [shop.item.itemId, other.item.itemId],
      },
    });
    expect(published.statusCode).toBe(201);
    const page = await get('/applications/new?bundle=open-shop', wang.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('开小店一件事');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.body)?.[1];
    expect(key).toBeDefined();
    // Asked once although both items ask it, and prefilled from the profile.
    expect(page.body.match(/name="form-businessName"/g)).toHaveLength(1);
    expect(tag(page.body, 'form-operatorName')).toContain('value="王芳"');

    const parts = (file: Part): Part[] => [
      field('bundleCode', 'open-shop'),
      field('enterpriseId', ''),
      field('idempotencyKey', key!),
      field('form-operatorName', '王芳'),
      field('form-operatorIdNumber', wang.idNumber),
      field('form-phone', wang.phone),
      field('form-businessName', '王记小店'),
      field('form-organisation', 'personal'),
      field('form-premisesRegion', '310115'),
      field('form-employees', '1'),
      field('material-identity-government', 'yes'),
      file,
    ];
    const first = await postMultipart('/applications/new?bundle=open-shop', '/applications/bundles', wang.cookie, parts(png('material-premises')));
    expect(first.statusCode, first.body.slice(first.body.indexOf('<main'), first.body.indexOf('</main>'))).toBe(303);
    const location = String(first.headers.location);
    expect(location).toMatch(/^\/applications\/bundles\/[\w-]+\?submitted=1$/);
    const second = await postMultipart('/applications/new?bundle=open-shop', '/applications/bundles', wang.cookie, parts(png('material-premises')));
    expect(second.headers.location).toBe(location);

    const status = await get(location, wang.cookie);
    expect(status.statusCode).toBe(200);
    expect(status.body).toContain('已一次提交到各部门');
    expect(status.body.match(/href="\/applications\/[\w-]+"/g)?.length).toBeGreaterThanOrEqual(2);
    const list = await get('/applications', wang.cookie);
    expect(list.body).toContain('开小店一件事');
    expect((await get(location.split('?')[0]!, li.cookie)).statusCode).toBe(404);
  });

  it('reuses a certificate the applicant holds as a material, once consent is ticked (once-only)', async () => {
    const services = createServices(t.platform);
    const zhou = await verifiedPerson(t, '周敏');
    const lease = await t.platform.db.transaction().execute((tx) =>
      services.certificates.issue(tx, {
        certificateType: 'leaseRegistration',
        holder: { personId: zhou.personId },
        holderName: zhou.name,
        title: { 'zh-CN': '房屋租赁登记备案证明', en: 'Lease registration certificate' },
        fields: [{ key: 'address', label: { 'zh-CN': '房屋坐落', en: 'Address' }, value: '浦东新区东方路1号', public: false }],
        issuedByDepartmentId: shop.department.id,
        validityMonths: 24,
      }),
    );
    const started = await postForm(`/applications/new?item=${shop.item.itemId}`, '/applications/new', zhou.cookie, { itemId: shop.item.itemId, applicant: 'self' });
    const edit = String(started.headers.location);
    const page = await get(edit, zhou.cookie);
    expect(tag(page.body, 'material-premises')).toContain(`value="${lease.id}"`);
    expect(page.body).toContain(lease.number);
    const answers = [
      field('form-operatorName', zhou.name),
      field('form-operatorIdNumber', zhou.idNumber),
      field('form-phone', zhou.phone),
      field('form-businessName', '周记花店'),
      field('form-organisation', 'personal'),
      field('form-premisesRegion', '310115'),
      field('form-employees', '1'),
      field('material-identity-government', 'yes'),
      field('material-premises-certificate', lease.id),
    ];
    const withoutConsent = await postMultipart(edit, edit, zhou.cookie, [...answers, field('intent', 'submit')]);
    expect(withoutConsent.statusCode).toBe(400);
    expect(withoutConsent.body).toContain('href="#material-premises"');
    expect(withoutConsent.body).toContain('须先勾选同意授权调取');
    // The choice made is still chosen when the page comes back.
    expect(tag(withoutConsent.body, 'material-premises')).toContain('checked');

    const submitted = await postMultipart(edit, edit, zhou.cookie, [...answers, field('material-premises-consent', 'yes'), field('intent', 'submit')]);
    expect(submitted.statusCode, /error-summary__list">(.*?)<\/ul>/.exec(submitted.body)?.[1]).toBe(303);
    const status = await get(String(submitted.headers.location), zhou.cookie);
    expect(status.body).toContain(`使用电子证照（编号 ${lease.number}）`);
    const id = String(submitted.headers.location).split('/')[2]!.split('?')[0]!;
    const officerView = await get(`/workbench/applications/${id}`, shop.officer.cookie);
    expect(officerView.body).toContain(lease.number);
    expect(officerView.body).toContain('浦东新区东方路1号');
  });

  it('offers an office elsewhere to collect the application (异地代收) where the item allows it', async () => {
    const start = await get(`/applications/new?item=${shop.item.itemId}`, wang.cookie);
    expect(tag(start.body, 'collectingDepartmentId')).toContain('<select');
    const office = /<option value="([\w-]+)">310104市场监督管理局<\/option>/.exec(start.body)?.[1];
    expect(office).toBeDefined();
    // The handling department itself is no collecting office.
    expect(start.body).not.toContain(`<option value="${shop.department.id}">`);
    const started = await postForm(`/applications/new?item=${shop.item.itemId}`, '/applications/new', wang.cookie, { itemId: shop.item.itemId, applicant: 'self', collectingDepartmentId: office! });
    expect(started.statusCode).toBe(303);
    const draft = await get(String(started.headers.location).replace(/\/edit$/, ''), wang.cookie);
    expect(draft.body).toContain('代收部门');
    expect(draft.body).toContain('继续填写');
  });
});
