import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../core/testing.js';
import { staffSession } from './testing.js';

describe('administrators manage departments and staff; nobody else can', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('an administrator creates a county department and an officer bound to its region', async () => {
    const admin = await staffSession(t, { roles: ['admin'], regionCode: '100000' });
    const department = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/departments',
      headers: { cookie: admin.cookie },
      payload: { code: 'ZJ-HZ-XH-HRSS', nameZh: '杭州市西湖区人力资源和社会保障局', nameEn: 'Xihu District HR and Social Security Bureau', level: 'county', regionCode: '330106' },
    });
    expect(department.statusCode).toBe(201);
    const staff = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/staff',
      headers: { cookie: admin.cookie },
      payload: { name: '钱多多', username: 'qian.xihu', password: 'xihu-officer-2026', departmentId: department.json().id, roles: ['officer'] },
    });
    expect(staff.statusCode).toBe(201);
    const row = await t.platform.db.selectFrom('staff').selectAll().where('id', '=', staff.json().staffId).executeTakeFirstOrThrow();
    expect(row.regionCode).toBe('330106');
  });

  it('rejects an unknown region with a field error', async () => {
    const admin = await staffSession(t, { roles: ['admin'], regionCode: '100000' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/departments',
      headers: { cookie: admin.cookie, 'accept-language': 'en' },
      payload: { code: 'NOWHERE', nameZh: '无处', nameEn: 'Nowhere', level: 'county', regionCode: '999999' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field: '/regionCode', message: 'This is not a valid region code.', code: 'identity.region.unknown' }]);
  });

  it('an officer is refused', async () => {
    const officer = await staffSession(t, { roles: ['officer'] });
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/admin/departments', headers: { cookie: officer.cookie } });
    expect(response.statusCode).toBe(403);
  });
});
