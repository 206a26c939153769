import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, EXE, field, multipart, PNG, type Part } from '../applications/pages/testing.js';
import { enterpriseWithFacts } from '../policies/testing.js';
import { createCreditTestApp, csvRow, CSV_HEADER as HEADER, testUscc } from './testing.js';

type CreditTestApp = Awaited<ReturnType<typeof createCreditTestApp>>;

let t: CreditTestApp['t'];
let market: CreditTestApp['market'];
let token: string;

/** Fetches the page holding the form, then posts it with the page's own CSRF token, as a browser without JavaScript does. */
async function submit(cookie: string, page: string, action: string, fields: Record<string, string | string[]>) {
  const html = (await t.app.inject({ url: page, headers: { accept: 'text/html', cookie } })).body;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...fields, _csrf: csrf })) for (const v of ([] as string[]).concat(value)) body.append(name, v);
  return t.app.inject({ method: 'POST', url: action, headers: { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
}

/** Fetches the page holding an upload form, then posts it as multipart with the page's CSRF token first. */
async function submitMultipart(cookie: string, page: string, action: string, parts: Part[]) {
  const html = (await t.app.inject({ url: page, headers: { accept: 'text/html', cookie } })).body;
  const { payload, contentType } = multipart([field('_csrf', csrfOf(html)), ...parts]);
  return t.app.inject({ method: 'POST', url: action, headers: { accept: 'text/html', cookie, 'content-type': contentType }, payload });
}

async function upload(cookie: string, csv: string) {
  const html = (await t.app.inject({ url: '/workbench/credit/import', headers: { accept: 'text/html', cookie } })).body;
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const boundary = '----credit-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="records.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    Buffer.from(csv, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({ method: 'POST', url: '/workbench/credit/import', headers: { accept: 'text/html', cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

beforeAll(async () => {
  ({ t, market, token } = await createCreditTestApp());
});

afterAll(async () => {
  await t?.close();
});

describe('CSV import', () => {
  it('through the API: UTF-8 with a BOM; any bad row imports nothing and every problem names its row and column, in the reader’s language', async () => {
    const uscc = testUscc();
    const bad = `\uFEFF${HEADER}\r\n${csvRow(uscc, 'IMP-1')}\r\n${csvRow('91310115XXXXXXXXX0', 'IMP-2')}\r\n${csvRow(uscc, 'IMP-3', { decidedOn: '2026-13-01' })}\r\n${csvRow(uscc, 'IMP-1')}\r\n`;
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/credit/imports?lang=en', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: bad });
    expect(refused.statusCode).toBe(422);
    const errors = refused.json().errors as { row: number; field: string; message: string }[];
    expect(errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'uscc'],
      [4, 'decidedOn'],
      [5, 'documentNumber'],
    ]);
    expect(errors[1]!.message).toContain('year-month-day');
    expect(((await t.app.inject({ url: `/api/v1/credit/lookup?q=${uscc}` })).json()).subjects).toEqual([]);

    const good = `\uFEFF${HEADER}\n${csvRow(uscc, 'IMP-1')}\n${csvRow(uscc, 'IMP-2', { category: 'honour', severity: '' })}\n`;
    const imported = await t.app.inject({ method: 'POST', url: '/api/v1/credit/imports', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: good });
    expect(imported.json()).toEqual({ imported: 2, unchanged: 0, errors: [] });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/credit/imports', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: good });
    expect(again.json()).toEqual({ imported: 0, unchanged: 2, errors: [] });
    const records = ((await t.app.inject({ url: `/api/v1/credit/lookup?q=${uscc}` })).json()).subjects[0].records as { content?: string; title?: string }[];
    expect(records).toHaveLength(2);
    expect(records.every((r) => r.content === undefined && r.title !== undefined)).toBe(true);
  });

  it('refuses a header it does not know and a file without data', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/credit/imports', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, payload: 'category,colour\n' });
    expect(response.statusCode).toBe(422);
    expect((response.json().errors as { code: string }[]).map((e) => e.code)).toEqual(expect.arrayContaining(['unknownColumn', 'missingColumn', 'csvEmpty']));
  });

  it('through the page: the officer uploads a file and sees the row errors, then a corrected file is imported', async () => {
    const uscc = testUscc();
    const bad = await upload(market.officer.cookie, `${HEADER}\n${csvRow(uscc, 'PAGE-1', { subjectName: '' })}\n`);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('<caption');
    expect(bad.body).toMatch(/<td[^>]*>2<\/td>/);
    expect(bad.body).toContain('请填写主体名称或姓名');
    const good = await upload(market.officer.cookie, `${HEADER}\n${csvRow(uscc, 'PAGE-1')}\n`);
    expect(good.statusCode).toBe(200);
    expect(good.body).toContain('导入 1 条');
  });
});

describe('pages', () => {
  it('the public lookup page finds by name and by code, without logging in', async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115' }, { name: '上海页面查询样例有限公司' });
    await submit(market.officer.cookie, '/workbench/credit/records/new', '/workbench/credit/records/new', {
      category: 'licence',
      subjectKind: 'enterprise',
      subjectName: enterprise.name,
      uscc: enterprise.uscc,
      title: '食品经营许可证',
      content: '许可经营预包装食品销售',
      legalBasis: '《食品经营许可管理办法》',
      documentNumber: 'JY13101150000001',
      decidedOn: '2026-03-01',
      publicFields: ['title', 'documentNumber'],
    });
    const page = await t.app.inject({ url: `/credit?q=${encodeURIComponent('页面查询样例')}`, headers: { accept: 'text/html' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('食品经营许可证');
    expect(page.body).toContain('JY13101150000001');
    expect(page.body).not.toContain('许可经营预包装食品销售');
    expect((await t.app.inject({ url: `/credit?q=${enterprise.uscc}`, headers: { accept: 'text/html' } })).body).toContain(enterprise.name);
  });

  it('the entry form names every wrong field and keeps what was typed; a saved record redirects (PRG)', async () => {
    const wrong = await submit(market.officer.cookie, '/workbench/credit/records/new', '/workbench/credit/records/new', { subjectKind: 'enterprise', uscc: '123', subjectName: '上海表单样例有限公司', decidedOn: 'yesterday' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#uscc"');
    expect(wrong.body).toContain('href="#category"');
    expect(wrong.body).toContain('value="上海表单样例有限公司"');
    const saved = await submit(market.officer.cookie, '/workbench/credit/records/new', '/workbench/credit/records/new', {
      category: 'penalty',
      severity: 'general',
      subjectKind: 'enterprise',
      subjectName: '上海表单样例有限公司',
      uscc: testUscc(),
      title: '标题',
      content: '内容',
      legalBasis: '依据',
      documentNumber: 'FORM-1',
      decidedOn: '2026-03-01',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/workbench/credit/records/new?done=1');
  });

  it('the staff lookup needs a purpose and shows the full records; the subject applies for repair and the department decides on pages', async () => {
    const enterprise = await enterpriseWithFacts(t, { region: '310115' }, { name: '上海页面修复样例有限公司' });
    await submit(market.officer.cookie, '/workbench/credit/records/new', '/workbench/credit/records/new', {
      category: 'penalty',
      severity: 'general',
      subjectKind: 'enterprise',
      subjectName: enterprise.name,
      uscc: enterprise.uscc,
      title: '占道经营',
      content: '不公开的事由',
      legalBasis: '依据',
      documentNumber: 'FORM-REPAIR-1',
      decidedOn: '2025-11-01',
    });
    const noPurpose = await submit(market.officer.cookie, '/workbench/credit', '/workbench/credit', { uscc: enterprise.uscc, purpose: '' });
    expect(noPurpose.statusCode).toBe(400);
    const found = await submit(market.officer.cookie, '/workbench/credit', '/workbench/credit', { uscc: enterprise.uscc, purpose: '日常监管' });
    expect(found.body).toContain('不公开的事由');

    const mine = await t.app.inject({ url: `/enterprises/${enterprise.id}/credit`, headers: { accept: 'text/html', cookie: enterprise.representative.cookie } });
    const link = /href="(\/credit\/records\/[^"]+\/repair)"/.exec(mine.body)?.[1];
    expect(link).toBeDefined();
    const form = (await t.app.inject({ url: link!, headers: { accept: 'text/html', cookie: enterprise.representative.cookie } })).body;
    expect(form).toMatch(/enctype="multipart\/form-data"/i);
    expect(form).toMatch(/<input[^>]*id="evidenceFiles"[^>]*multiple/);

    // A program renamed to .png is refused by its content; what was typed is kept and nothing is applied for.
    const text = [field('reason', '已整改'), field('evidence', '整改报告')];
    const refused = await submitMultipart(enterprise.representative.cookie, link!, link!, [...text, { name: 'evidenceFiles', filename: 'receipt.png', type: 'image/png', bytes: EXE }]);
    expect(refused.statusCode).toBe(415);
    expect(refused.body).toContain('href="#evidenceFiles"');
    expect(refused.body).toContain('整改报告');
    expect((await t.app.inject({ url: '/api/v1/credit/repairs', headers: { cookie: market.officer.cookie } })).json()).toEqual([]);
    // A refused post keeps no scan: they are checked, and the application too, before any is stored.
    const noReason = await submitMultipart(enterprise.representative.cookie, link!, link!, [field('reason', ''), field('evidence', '整改报告'), { name: 'evidenceFiles', filename: 'receipt.png', type: 'image/png', bytes: PNG }]);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    const uploads = await t.platform.db.selectFrom('fileUploads').select('id').where('ownerAccountId', '=', enterprise.representative.accountId).execute();
    expect(uploads).toEqual([]);

    const applied = await submitMultipart(enterprise.representative.cookie, link!, link!, [
      ...text,
      { name: 'evidenceFiles', filename: 'receipt.png', type: 'image/png', bytes: PNG },
      { name: 'evidenceFiles', filename: '整改报告.png', type: 'image/png', bytes: Buffer.concat([PNG, Buffer.from('report')]) },
    ]);
    expect(applied.statusCode).toBe(303);
    const sent = await t.app.inject({ url: applied.headers.location as string, headers: { accept: 'text/html', cookie: enterprise.representative.cookie } });
    expect(sent.body).toContain('<td>receipt.png、整改报告.png</td>');
    const list = await t.app.inject({ url: '/workbench/credit/repairs', headers: { accept: 'text/html', cookie: market.officer.cookie } });
    const repairLink = /href="(\/workbench\/credit\/repairs\/[^"]+)"/.exec(list.body)?.[1];
    expect(repairLink).toBeDefined();

    // The issuing department sees the scans and downloads them; each read is in the enterprise's access log.
    const review = await t.app.inject({ url: repairLink!, headers: { accept: 'text/html', cookie: market.officer.cookie } });
    const fileLinks = [...review.body.matchAll(/href="(\/workbench\/credit\/repairs\/[^"/]+\/files\/[^"]+)">([^<]+)</g)].map((m) => [m[1]!, m[2]!] as const);
    expect(fileLinks.map(([, name]) => name)).toEqual(['receipt.png', '整改报告.png']);
    const download = await t.app.inject({ url: fileLinks[0]![0], headers: { cookie: market.officer.cookie } });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('image/png');
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    expect(download.rawPayload.equals(PNG)).toBe(true);
    const reads = await t.platform.db.selectFrom('auditEvents').select(['outcome', 'subjectEnterpriseId', 'purpose']).where('action', '=', 'files.read').where('subjectEnterpriseId', '=', enterprise.id).execute();
    expect(reads).toEqual([{ outcome: 'success', subjectEnterpriseId: enterprise.id, purpose: expect.stringContaining('receipt.png') }]);
    const decided = await submit(market.officer.cookie, repairLink!, repairLink!, { decision: 'approved', reason: '同意修复' });
    expect(decided.statusCode).toBe(303);
    const after = await t.app.inject({ url: `/credit?q=${enterprise.uscc}`, headers: { accept: 'text/html' } });
    expect(after.body).not.toContain('占道经营');
  });
});
