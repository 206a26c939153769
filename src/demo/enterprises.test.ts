import { describe, expect, it } from 'vitest';
import { DEMO_PROFILE_COUNTIES, DEMO_PROFILES_AS_OF, demoEnterpriseProfiles, type DemoEnterpriseFacts } from './enterprises.js';
import { deriveFacts, fitsFactType } from '../policies/matching/facts.js';
import { BUILTIN_FACTS } from '../policies/rules/validate.js';
import { isKnownIndustryClass } from '../reference/industries.js';
import { getRegion, isKnownRegion } from '../reference/regions.js';
import { entityTypeFromUscc, validateUscc } from '../reference/uscc.js';

const profiles = demoEnterpriseProfiles();
const OPTIONAL_FACTS = [
  'establishedOn',
  'employees',
  'insuredEmployees',
  'operatingRevenue',
  'totalAssets',
  'taxableIncome',
  'taxpayerType',
  'taxCreditRating',
  'layoffRate',
  'unemploymentInsurancePaid',
  'untrustworthy',
] as const satisfies readonly (keyof DemoEnterpriseFacts)[];
const share = (predicate: (facts: DemoEnterpriseFacts) => boolean) => profiles.filter((p) => predicate(p.facts)).length / profiles.length;

describe('the demo enterprise profiles', () => {
  it('are 2,000 by default and the same on every call, and another seed gives others', () => {
    expect(profiles).toHaveLength(2000);
    expect(demoEnterpriseProfiles()).toEqual(profiles);
    expect(demoEnterpriseProfiles(50)).toEqual(profiles.slice(0, 50));
    expect(demoEnterpriseProfiles(50, 7).map((p) => p.name)).not.toEqual(profiles.slice(0, 50).map((p) => p.name));
  });

  it('have unique, valid credit codes that say the entity type and the region', () => {
    expect(new Set(profiles.map((p) => p.uscc)).size).toBe(profiles.length);
    for (const { uscc, facts } of profiles) {
      expect(validateUscc(uscc).valid, uscc).toBe(true);
      expect(entityTypeFromUscc(uscc), uscc).toBe(facts.entityType);
      expect(uscc.slice(2, 8)).toBe(facts.region);
    }
  });

  it('give every fact a value of its type, in real regions and industry classes', () => {
    for (const { code, name } of DEMO_PROFILE_COUNTIES) {
      expect(isKnownRegion(code), code).toBe(true);
      if (name) expect(getRegion(code)?.name, code).toBe(name);
    }
    for (const { uscc, facts } of profiles) {
      expect(isKnownIndustryClass(facts.industry), `${uscc} ${facts.industry}`).toBe(true);
      for (const [fact, value] of Object.entries(facts)) expect(fitsFactType(value, BUILTIN_FACTS[fact]!), `${uscc} ${fact}`).toBe(true);
      for (const amount of [facts.operatingRevenue, facts.totalAssets, facts.taxableIncome, facts.unemploymentInsurancePaid]) {
        if (amount !== undefined) expect(Math.round(amount * 100) / 100, uscc).toBe(amount);
      }
      if (facts.employees !== undefined && facts.insuredEmployees !== undefined) expect(facts.insuredEmployees, uscc).toBeLessThanOrEqual(facts.employees);
      if (facts.establishedOn) expect(facts.establishedOn >= '1990-01-01' && facts.establishedOn <= DEMO_PROFILES_AS_OF, uscc).toBe(true);
      if (facts.taxpayerType === 'smallScale' && facts.operatingRevenue !== undefined) expect(facts.operatingRevenue, uscc).toBeLessThanOrEqual(5_000_000);
    }
  });

  it('leave each optional fact out for 5 to 20 percent of enterprises, so that matching has questions to ask', () => {
    for (const fact of OPTIONAL_FACTS) {
      const missing = share((facts) => facts[fact] === undefined);
      expect(missing, fact).toBeGreaterThanOrEqual(0.05);
      expect(missing, fact).toBeLessThanOrEqual(0.2);
    }
  });

  it('vary across provinces, industries, entity types, sizes, ages, profits and credit', () => {
    expect(new Set(profiles.map((p) => p.facts.region.slice(0, 2))).size).toBeGreaterThanOrEqual(15);
    expect(share((f) => f.region.startsWith('31'))).toBeGreaterThan(0.15);
    expect(share((f) => f.region.startsWith('33'))).toBeGreaterThan(0.1);
    expect(new Set(profiles.map((p) => p.facts.industry)).size).toBeGreaterThanOrEqual(100);
    expect(new Set(profiles.map((p) => p.facts.industry.slice(0, 2))).size).toBeGreaterThanOrEqual(40);
    expect(new Set(profiles.map((p) => p.facts.entityType))).toEqual(new Set(['enterprise', 'individualBusiness', 'publicInstitution', 'socialOrganization', 'farmerCooperative']));
    const sizes = profiles.map((p) => deriveFacts(p.facts as never, '2026-11-26').sizeClass);
    expect(new Set(sizes)).toEqual(new Set(['large', 'medium', 'small', 'micro', undefined]));
    const years = profiles.map((p) => p.facts.establishedOn?.slice(0, 4)).filter((year) => year !== undefined);
    expect(years.some((y) => y < '2000') && years.some((y) => y === '2026')).toBe(true);
    expect(share((f) => (f.taxableIncome ?? 0) < 0)).toBeGreaterThan(0.05);
    expect(new Set(profiles.map((p) => p.facts.taxCreditRating))).toEqual(new Set(['A', 'B', 'M', 'C', 'D', undefined]));
    const untrustworthy = share((f) => f.untrustworthy === true);
    expect(untrustworthy).toBeGreaterThan(0);
    expect(untrustworthy).toBeLessThan(0.06);
    const qualifications = new Set(profiles.flatMap((p) => p.facts.qualifications));
    for (const q of ['高新技术企业', '专精特新中小企业', '科技型中小企业', '专精特新"小巨人"企业']) expect(qualifications).toContain(q);
  });

  it('have names like real registered names', () => {
    for (const { name, facts } of profiles) {
      if (facts.entityType === 'enterprise') expect(name, name).toMatch(/^\p{Script=Han}{4,}有限公司$/u);
      if (facts.entityType === 'individualBusiness') expect(name, name).toMatch(/^\p{Script=Han}+市\p{Script=Han}*[店馆坊部铺厂室园场院房吧宿市]$/u);
      if (facts.entityType === 'farmerCooperative') expect(name, name).toMatch(/专业合作社$/);
    }
    expect(new Set(profiles.map((p) => p.name)).size).toBeGreaterThan(profiles.length * 0.95);
  });

  it('are made in well under 200 ms', () => {
    const times = [0, 1, 2].map(() => {
      const start = performance.now();
      demoEnterpriseProfiles();
      return performance.now() - start;
    });
    // The least of three runs: the machine is shared, and a neighbour's burst is not our cost.
    expect(Math.min(...times)).toBeLessThan(200);
  });
});
