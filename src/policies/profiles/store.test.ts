import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.js';
import { createTestPlatform, type TestPlatform } from '../../core/testing.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../../reference/testing.js';
import { checkProfile } from './profile.js';
import { ProfileStore, type ProfileInput } from './store.js';

let test: TestPlatform;
let store: ProfileStore;

beforeAll(async () => {
  test = await createTestPlatform();
  store = new ProfileStore(test.platform.database.db);
});
afterAll(async () => test?.close());

const usccOf = (n: number) => makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(n) });
const NOW = '2024-03-01T00:00:00.000Z';

const pujiang: ProfileInput = {
  uscc: usccOf(1),
  name: '上海浦江云数科技有限公司',
  facts: {
    region: '310115',
    industry: '6513',
    entityType: 'enterprise',
    establishedOn: '2019-06-18',
    employees: 46,
    operatingRevenue: 18_600_000.5,
    taxCreditRating: 'A',
    qualifications: ['高新技术企业', '专精特新中小企业', '高新技术企业'],
    untrustworthy: false,
  },
  declared: { exportShare: 12.5, hasOverseasBranch: false, certifications: [], zoneType: 'free' },
};

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error.fields.map((f) => `${f.field} ${f.message}`);
    throw error;
  }
  return [];
}

describe('enterprise profiles', () => {
  it('come back as the interpreter\'s facts: derived section and size class, age as of the date asked, lists once each', async () => {
    await store.upsert(pujiang, NOW);
    expect(await store.facts(pujiang.uscc, '2024-06-17')).toEqual({
      region: '310115',
      industry: '6513',
      industrySection: 'I',
      entityType: 'enterprise',
      // 软件和信息技术服务业: 46 staff and 1,860 万元 revenue make a small enterprise.
      sizeClass: 'small',
      establishedOn: '2019-06-18',
      ageMonths: 59,
      employees: 46,
      operatingRevenue: 18_600_000.5,
      taxCreditRating: 'A',
      qualifications: ['高新技术企业', '专精特新中小企业'],
      untrustworthy: false,
      exportShare: 12.5,
      hasOverseasBranch: false,
      certifications: [],
      zoneType: 'free',
    });
    expect((await store.facts(pujiang.uscc, '2019-06-17'))!.ageMonths).toBeUndefined();
    expect(await store.facts(usccOf(999), '2024-06-17')).toBeUndefined();
  });

  it('missing facts stay missing, never zero; a given size class is kept', async () => {
    const bare: ProfileInput = { uscc: usccOf(2), facts: { region: '429004', sizeClass: 'micro' } };
    await store.upsert(bare, NOW);
    expect(await store.facts(bare.uscc, '2024-06-17')).toEqual({ region: '429004', sizeClass: 'micro' });
  });

  it('an upsert replaces the whole profile, lists and declared facts included', async () => {
    await store.upsert({ ...pujiang, facts: { region: '310115', qualifications: ['ISO9001'] }, declared: { zoneType: 'bonded' } }, NOW);
    expect(await store.facts(pujiang.uscc, '2024-06-17')).toEqual({ region: '310115', qualifications: ['ISO9001'], zoneType: 'bonded' });
    await store.remove(pujiang.uscc);
    expect(await store.facts(pujiang.uscc, '2024-06-17')).toBeUndefined();
  });

  it('load in bulk across several statements, in one transaction', async () => {
    const many: ProfileInput[] = Array.from({ length: 3_500 }, (_, i): ProfileInput => ({
      uscc: usccOf(10_000 + i),
      facts: { region: i % 2 ? '310115' : '440305', employees: i, qualifications: i % 3 ? ['ISO9001'] : [] },
      declared: i % 5 ? {} : { certifications: ['A', 'B'] },
    }));
    expect(await store.insertMany(many, NOW)).toBe(3_500);
    const facts = await store.factsOfMany([many[0]!.uscc, many[3_499]!.uscc], '2024-06-17');
    expect(facts.get(many[0]!.uscc)).toEqual({ region: '440305', employees: 0, qualifications: [], certifications: ['A', 'B'] });
    expect(facts.get(many[3_499]!.uscc)).toEqual({ region: '310115', employees: 3_499, qualifications: ['ISO9001'] });

    // One bad profile writes nothing, and the problem names which one.
    const batch = [{ uscc: usccOf(20_000), facts: { region: '310115' } }, { uscc: usccOf(20_001), facts: { region: '999999' } }];
    expect(problemsOf(() => checkProfile(batch[1]!, '/1'))).toEqual(['/1/facts/region reference.region.notFound']);
    await expect(store.insertMany(batch, NOW)).rejects.toBeInstanceOf(AppError);
    expect(await store.facts(usccOf(20_000), '2024-06-17')).toBeUndefined();
  });

  it('every problem of a bad profile is reported at once', () => {
    const problems = problemsOf(() =>
      checkProfile({
        uscc: '91310115000000000X',
        name: 'a\u0000b',
        facts: {
          region: '',
          industry: '62',
          industrySection: 'Z',
          sizeClass: 'tiny' as 'micro',
          establishedOn: '2023-02-29',
          employees: Number.NaN,
          untrustworthy: 0 as unknown as boolean,
          qualifications: ['', 'x\u0000'],
          ageMonths: 3,
        } as ProfileInput['facts'],
        declared: { region: 'x', Bad: 1, constructor: 2, exportShare: Number.POSITIVE_INFINITY, certifications: ['a', 2] as unknown as string[] },
      }),
    );
    expect(problems).toEqual([
      '/uscc reference.uscc.checkCharacter',
      '/name field.invalid',
      '/facts/ageMonths field.unexpected',
      '/facts/region reference.region.notFound',
      '/facts/industry reference.industry.notAClass',
      '/facts/industrySection field.invalid',
      '/facts/sizeClass field.enum',
      '/facts/establishedOn field.format',
      '/facts/employees field.invalid',
      '/facts/untrustworthy field.invalid',
      '/facts/qualifications/0 field.invalid',
      '/facts/qualifications/1 field.nulCharacter',
      '/declared/region policies.profile.declaredName',
      '/declared/Bad policies.profile.declaredName',
      '/declared/constructor policies.profile.declaredName',
      '/declared/exportShare policies.profile.declaredValue',
      '/declared/certifications policies.profile.declaredValue',
    ]);
  });

  it('a section that contradicts the industry class is refused', () => {
    expect(problemsOf(() => checkProfile({ uscc: usccOf(3), facts: { region: '310115', industry: '6513', industrySection: 'H' } }))).toEqual([
      '/facts/industrySection policies.profile.sectionMismatch',
    ]);
  });
});
