import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { sessionCookieOf, staffSession } from '../identity/testing.js';
import { createServices } from '../services.js';
import { CalendarService } from './calendar-service.js';
import { makeResidentId, makeUscc } from './testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The 2027 arrangement as an administrator would type it in (dates of an assumed plan, for the test only). */
const year2027 = {
  year: 2027,
  holidays: [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-02-06', name: '春节' },
    { date: '2027-02-07', name: '春节' },
    { date: '2027-02-08', name: '春节' },
    { date: '2027-02-09', name: '春节' },
    { date: '2027-02-10', name: '春节' },
    { date: '2027-02-11', name: '春节' },
    { date: '2027-02-12', name: '春节' },
  ],
  workdays: ['2027-02-13', '2027-02-14'],
};

describe('a department checks numbers before it submits data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const validate = (query: string, lang: 'zh' | 'en' = 'zh') =>
    t.app.inject({ url: `/api/v1/reference/validate?${query}`, headers: { 'accept-language': lang } });

  it("reads the standard's own example identity number: region, birth date and sex", async () => {
    const response = await validate('type=resident-id&value=11010519491231002x');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      valid: true,
      normalized: '11010519491231002X',
      info: { region: '110105', regionName: '朝阳区', birthDate: '1949-12-31', sex: 'female' },
    });
    expect(response.json().message).toContain('有效');
  });

  it('says why a number is not valid, with a stable reason and a message in the reader’s language', async () => {
    const impossibleDate = makeResidentId({ region: '110105', birthDate: '1999-02-28', sequence: 1 }).replace('19990228', '19990230');
    const zh = (await validate(`type=resident-id&value=${impossibleDate}`, 'zh')).json();
    const en = (await validate(`type=resident-id&value=${impossibleDate}`, 'en')).json();
    expect(zh).toMatchObject({ valid: false, reason: 'invalidBirthDate' });
    expect(en).toMatchObject({ valid: false, reason: 'invalidBirthDate' });
    expect(zh.message).toContain('出生日期');
    expect(en.message).toContain('birth date');
    expect(zh).not.toHaveProperty('info');

    const fullWidth = encodeURIComponent('１１０１０５１９４９１２３１００２Ｘ');
    expect((await validate(`type=resident-id&value=${fullWidth}`)).json()).toMatchObject({ valid: false, reason: 'invalidCharacters' });
    expect((await validate('type=resident-id&value=990105194912310021')).json()).toMatchObject({ valid: false, reason: 'unknownRegion' });
    expect((await validate('type=resident-id&value=11010519491231002Y')).json()).toMatchObject({ valid: false, reason: 'invalidCharacters' });
    expect((await validate('type=resident-id&value=110105194912310021')).json()).toMatchObject({ valid: false, reason: 'checkCharacter' });
  });

  it('refuses a birth date after today by the platform clock', async () => {
    const today = t.clock.now().toISOString().slice(0, 10);
    const nextYear = `${Number(today.slice(0, 4)) + 1}-01-01`;
    const unborn = makeResidentId({ region: '310115', birthDate: nextYear, sequence: 5 });
    expect((await validate(`type=resident-id&value=${unborn}`)).json()).toMatchObject({ valid: false, reason: 'futureBirthDate' });
  });

  it('reads a credit code: registration authority, category, region and entity type', async () => {
    const response = await validate('type=uscc&value=91350100M000100Y43');
    expect(response.json()).toMatchObject({
      valid: true,
      info: {
        registrationAuthority: { code: '9', name: '工商' },
        category: { code: '1', name: '企业' },
        region: '350100',
        regionName: '福州市',
        organizationCode: 'M000100Y4',
        entityType: 'enterprise',
      },
    });
    const cooperative = makeUscc({ category: '3', region: '310115', organizationCodeBody: 'MA1FL8XQ' });
    expect((await validate(`type=uscc&value=${cooperative}`)).json().info.entityType).toBe('farmerCooperative');
    const wrong = (await validate('type=uscc&value=91350100M000100Y44', 'en')).json();
    expect(wrong).toMatchObject({ valid: false, reason: 'checkCharacter' });
    expect(wrong.message).toMatch(/check character/);
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const validateQuery = document.paths['/api/v1/reference/validate'].get.parameters;
    expect(validateQuery).toContainEqual(expect.objectContaining({ name: 'type', in: 'query', required: true, schema: expect.objectContaining({ enum: ['resident-id', 'uscc'] }) }));
    for (const path of ['/api/v1/reference/regions/{code}/contains/{other}', '/api/v1/reference/working-days/add', '/api/v1/admin/calendar/{year}']) {
      expect(document.paths[path], path).toBeDefined();
    }
  });

  it('answers a bad question with a problem naming the query field', async () => {
    const badType = await validate('type=passport&value=E12345678');
    expect(badType.statusCode).toBe(400);
    expect(badType.headers['content-type']).toContain('application/problem+json');
    expect(badType.json()).toMatchObject({ code: 'validation', errors: [{ field: '/querystring/type', code: 'field.enum' }] });
    const missing = await validate('type=uscc');
    expect(missing.json().errors).toEqual([expect.objectContaining({ field: '/querystring/value', code: 'field.required' })]);
    const tooLong = await validate(`type=uscc&value=${'9'.repeat(65)}`);
    expect(tooLong.json().errors).toEqual([expect.objectContaining({ field: '/querystring/value', code: 'field.tooLong' })]);
  });
});

describe('regions, industries and size classes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('places 浦东新区 in Shanghai and answers "is 310115 within 310000?"', async () => {
    const pudong = (await t.app.inject({ url: '/api/v1/reference/regions/310115' })).json();
    expect(pudong).toEqual({
      code: '310115',
      name: '浦东新区',
      level: 'county',
      parentCode: '310000',
      administrative: true,
      path: [
        { code: '310000', name: '上海市' },
        { code: '310115', name: '浦东新区' },
      ],
    });
    expect((await t.app.inject({ url: '/api/v1/reference/regions/310000/contains/310115' })).json()).toEqual({ within: true });
    expect((await t.app.inject({ url: '/api/v1/reference/regions/110000/contains/310115' })).json()).toEqual({ within: false });
    expect((await t.app.inject({ url: '/api/v1/reference/regions/100000/contains/310115' })).json()).toEqual({ within: true });
  });

  it('lists the provinces under the country and the districts of a city', async () => {
    const provinces = (await t.app.inject({ url: '/api/v1/reference/regions/100000/children' })).json();
    expect(provinces.map((p: { code: string }) => p.code)).toContain('440000');
    expect(provinces.every((p: { level: string }) => p.level === 'province')).toBe(true);
    const guangzhou = (await t.app.inject({ url: '/api/v1/reference/regions/440100/children' })).json();
    expect(guangzhou.find((d: { code: string }) => d.code === '440106')).toMatchObject({ name: '天河区', parentCode: '440100' });
  });

  it('answers an unknown or malformed region code with a problem', async () => {
    const unknown = await t.app.inject({ url: '/api/v1/reference/regions/990000', headers: { 'accept-language': 'en' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'regionNotFound', detail: expect.stringContaining('990000') });
    expect((await t.app.inject({ url: '/api/v1/reference/regions/310000/contains/999999' })).statusCode).toBe(404);
    const malformed = await t.app.inject({ url: '/api/v1/reference/regions/31011' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].field).toBe('/params/code');
  });

  it('walks the industry hierarchy from 正餐服务 up to its section and down again', async () => {
    const restaurant = (await t.app.inject({ url: '/api/v1/reference/industries/6210' })).json();
    expect(restaurant).toMatchObject({ code: '6210', level: 'class', name: '正餐服务', section: 'H', parentCode: '621' });
    expect(restaurant.path.map((p: { code: string }) => p.code)).toEqual(['H', '62', '621', '6210']);
    const catering = (await t.app.inject({ url: '/api/v1/reference/industries/62/children' })).json();
    expect(catering.map((g: { code: string }) => g.code)).toEqual(['621', '622', '623', '624', '629']);
    const sections = (await t.app.inject({ url: '/api/v1/reference/industries' })).json();
    expect(sections).toHaveLength(20);
    expect((await t.app.inject({ url: '/api/v1/reference/industries/9999' })).statusCode).toBe(404);
  });

  it('classifies a restaurant with 25 staff and 3 million yuan revenue as small', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/reference/size-class',
      payload: { industry: '6210', employees: 25, operatingRevenue: 300_000_000 },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'classified', sizeClass: 'small', industryGroup: '餐饮业', indicatorsUsed: ['employees', 'operatingRevenue'] });
  });

  it('never guesses: a missing indicator, an industry outside the standard, an unknown class', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/v1/reference/size-class', payload: { industry: '6210', employees: 25 } });
    expect(missing.json()).toMatchObject({ status: 'insufficientData', missingIndicators: ['operatingRevenue'] });
    const bank = await t.app.inject({ method: 'POST', url: '/api/v1/reference/size-class', payload: { industry: '6621', employees: 5000 } });
    expect(bank.json()).toEqual({ status: 'notCovered' });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/reference/size-class', payload: { industry: '0000', employees: 5 } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ field: '/industry' })]);
    const negative = await t.app.inject({ method: 'POST', url: '/api/v1/reference/size-class', payload: { industry: '6210', employees: -1, operatingRevenue: 1.5 } });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['/employees', '/operatingRevenue']);
  });
});

describe('the working-day calendar, and an administrator loading 2027', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await createTestApp();
    admin = (await staffSession(t, { roles: ['admin'], regionCode: '100000', name: '钱管理' })).cookie;
  });
  afterAll(() => t.close());

  it('counts working days across the 2024 Spring Festival from the packaged calendar', async () => {
    const add = await t.app.inject({ url: '/api/v1/reference/working-days/add?from=2024-02-09&days=2' });
    expect(add.json()).toEqual({ from: '2024-02-09', days: 2, date: '2024-02-19' });
    const between = await t.app.inject({ url: '/api/v1/reference/working-days/between?from=2024-02-09&to=2024-02-19' });
    expect(between.json()).toEqual({ from: '2024-02-09', to: '2024-02-19', workingDays: 2 });
    const year = (await t.app.inject({ url: '/api/v1/reference/calendar/2024' })).json();
    expect(year).toMatchObject({ year: 2024, source: 'chinese-days' });
    expect(year.holidays).toContainEqual({ date: '2024-02-12', name: '春节' });
    expect(year.workdays).toContain('2024-02-18');
  });

  it('refuses to count into a year that is not loaded', async () => {
    const response = await t.app.inject({ url: '/api/v1/reference/working-days/add?from=2026-12-28&days=10', headers: { 'accept-language': 'en' } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'calendarYearNotLoaded', detail: expect.stringContaining('2027') });
    expect((await t.app.inject({ url: '/api/v1/reference/calendar/2027' })).json().code).toBe('calendarYearNotLoaded');
    const impossible = await t.app.inject({ url: '/api/v1/reference/working-days/between?from=2023-02-29&to=2023-03-10' });
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().errors[0].field).toBe('/querystring/from');
  });

  it('lets only a signed-in administrator with TOTP load a year', async () => {
    const anonymous = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2027', payload: year2027 });
    expect(anonymous.statusCode).toBe(401);
    const services = createServices(t.platform);
    await services.identity.createStaff(
      { name: '孙科员', username: 'sun.officer', password: 'officer-pass-2026', departmentId: null, regionCode: '310115', roles: ['officer'] },
      { type: 'system' },
    );
    const officer = sessionCookieOf(await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: 'sun.officer', password: 'officer-pass-2026' } }));
    const asOfficer = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2027', headers: { cookie: officer }, payload: year2027 });
    expect(asOfficer.statusCode).toBe(403);
    expect(asOfficer.json().code).toBe('roleRequired');
  });

  it('lists every mistake in an upload with its JSON path, and stores nothing', async () => {
    const upload = {
      year: 2027,
      holidays: [{ date: '2027-02-30', name: '春节' }, { date: '2028-01-01', name: '元旦' }, { date: '2027-10-01', name: '' }, 'x'],
      workdays: ['2027-02-15', '2027-02-13', '2027-02-13'],
    };
    const response = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2027', headers: { cookie: admin, 'accept-language': 'en' }, payload: upload });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalidCalendarData');
    expect(response.json().errors).toEqual([
      { field: '/holidays/0/date', code: 'reference.calendar.invalidDate', message: 'Must be a real date written YYYY-MM-DD.' },
      { field: '/holidays/1/date', code: 'reference.calendar.dateOutsideYear', message: expect.any(String) },
      { field: '/holidays/2/name', code: 'reference.calendar.invalidName', message: expect.any(String) },
      { field: '/holidays/3', code: 'reference.calendar.notAnObject', message: expect.any(String) },
      { field: '/workdays/0', code: 'reference.calendar.workdayNotWeekend', message: expect.any(String) },
      { field: '/workdays/2', code: 'reference.calendar.duplicateDate', message: expect.any(String) },
    ]);
    const wrongYear = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2028', headers: { cookie: admin }, payload: year2027 });
    expect(wrongYear.json().errors).toEqual([expect.objectContaining({ field: '/year', code: 'reference.calendar.yearMismatch' })]);
    const notJson = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2027', headers: { cookie: admin, 'content-type': 'application/json' }, payload: '[]' });
    expect(notJson.json().errors).toEqual([expect.objectContaining({ field: '/', code: 'reference.calendar.notAnObject' })]);
    expect(await t.platform.db.selectFrom('calendarYears').selectAll().execute()).toEqual([]);
  });

  it('loads 2027, after which every server copy counts across the new year, and the load is audited', async () => {
    // A second copy of the server: its own services over the same database.
    const otherCopy = new CalendarService(t.platform.db, t.platform.audit, t.platform.clock);
    await expect(otherCopy.addWorkingDays('2026-12-31', 1)).rejects.toMatchObject({ code: 'calendarYearNotLoaded' });

    const loaded = await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2027', headers: { cookie: admin }, payload: year2027 });
    expect(loaded.statusCode).toBe(200);
    expect(loaded.json()).toMatchObject({ year: 2027, source: 'administrator', workdays: ['2027-02-13', '2027-02-14'] });

    // 2027-01-01 is a holiday and a Friday; the first working day after New Year's Eve is Monday the 4th.
    expect(await otherCopy.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    const add = await t.app.inject({ url: '/api/v1/reference/working-days/add?from=2027-02-05&days=1' });
    expect(add.json().date).toBe('2027-02-13');
    const year = (await t.app.inject({ url: '/api/v1/reference/calendar/2027' })).json();
    expect(year).toMatchObject({ year: 2027, source: 'administrator', loadedAt: t.clock.now().toISOString() });

    const audit = await t.platform.db.selectFrom('auditEvents').selectAll().where('action', '=', 'admin.calendarLoaded').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: 'admin', outcome: 'success' });
    expect(JSON.parse(audit[0]!.detail)).toEqual({ year: 2027, holidays: 8, workdays: 2, replaced: false });
  });

  it('lets an administrator correct a loaded year, and overrides a packaged year', async () => {
    const corrected = { ...year2027, workdays: ['2027-02-14'] };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2027', headers: { cookie: admin }, payload: corrected })).statusCode).toBe(200);
    const otherCopy = new CalendarService(t.platform.db, t.platform.audit, t.platform.clock);
    expect(await otherCopy.addWorkingDays('2027-02-05', 1)).toBe('2027-02-14');
    expect((await t.app.inject({ url: '/api/v1/reference/working-days/add?from=2027-02-05&days=1' })).json().date).toBe('2027-02-14');

    const before = (await t.app.inject({ url: '/api/v1/reference/working-days/between?from=2024-02-09&to=2024-02-19' })).json().workingDays;
    expect(before).toBe(2);
    const packaged2024 = (await t.app.inject({ url: '/api/v1/reference/calendar/2024' })).json();
    const without18th = { year: 2024, holidays: packaged2024.holidays, workdays: packaged2024.workdays.filter((d: string) => d !== '2024-02-18') };
    expect((await t.app.inject({ method: 'PUT', url: '/api/v1/admin/calendar/2024', headers: { cookie: admin }, payload: without18th })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/reference/working-days/between?from=2024-02-09&to=2024-02-19' })).json().workingDays).toBe(1);
    expect((await t.app.inject({ url: '/api/v1/reference/calendar/2024' })).json().source).toBe('administrator');

    const replaced = await t.platform.db.selectFrom('auditEvents').select('detail').where('action', '=', 'admin.calendarLoaded').orderBy('seq').execute();
    expect(replaced.map((r) => JSON.parse(r.detail).replaced)).toEqual([false, true, false]);
  });
});
