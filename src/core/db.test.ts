import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from './testing.js';
import { preparedQuery } from './db.js';

describe('a prepared query compiled once and run with new values', () => {
  let t: TestPlatform;
  beforeAll(async () => {
    t = await createTestPlatform();
    await t.platform.db
      .insertInto('departments')
      .values([
        { id: 'd1', code: 'A-1', nameZh: '甲', nameEn: 'A', level: 'county', regionCode: '310115', createdAt: '2026-01-01T00:00:00Z' },
        { id: 'd2', code: 'B-2', nameZh: '乙', nameEn: 'B', level: 'city', regionCode: '330100', createdAt: '2026-01-01T00:00:00Z' },
      ])
      .execute();
  });
  afterAll(async () => t.close());

  const byCodeAndLevel = preparedQuery((db, code: string, level: 'county' | 'city') =>
    db.selectFrom('departments').select(['id', 'nameEn', 'regionCode']).where('code', '=', code).where('level', '=', level).where('createdAt', '>', '2000-01-01'),
  );

  it('answers like the query it was built from, with camelCase columns, for every value', async () => {
    expect(await byCodeAndLevel.execute(t.platform.db, 'A-1', 'county')).toEqual([{ id: 'd1', nameEn: 'A', regionCode: '310115' }]);
    expect(await byCodeAndLevel.execute(t.platform.db, 'B-2', 'city')).toEqual([{ id: 'd2', nameEn: 'B', regionCode: '330100' }]);
    expect(await byCodeAndLevel.execute(t.platform.db, 'B-2', 'county')).toEqual([]);
  });

  it('refuses a query whose shape would depend on the values', () => {
    const unused = preparedQuery((db, _code: string) => db.selectFrom('departments').select('id').where('code', '=', 'fixed'));
    return expect(unused.execute(t.platform.db, 'x')).rejects.toThrow(/exactly once/);
  });
});
