import { describe, expect, it } from 'vitest';
import { allIndustries } from './industries.js';
import {
  SIZE_CLASS_TABLE,
  classifyEnterpriseSize,
  indicatorsOf,
  sizeClassRowFor,
  type EnterpriseSizeInput,
  type SizeClass,
  type SizeClassRow,
  type SizeIndicator,
} from './size-class.js';

const WAN = 10_000;
const CLASSES: readonly SizeClass[] = ['large', 'medium', 'small', 'micro'];

function sizeOf(input: EnterpriseSizeInput): SizeClass | string {
  const result = classifyEnterpriseSize(input);
  return result.status === 'classified' ? result.sizeClass : result.status;
}

function firstClassOf(row: SizeClassRow): string {
  const code = allIndustries('class').find((i) => sizeClassRowFor(i.code) === row)?.code;
  if (!code) throw new Error(`No class covered by ${row.industryGroup}`);
  return code;
}

/** An input sitting exactly on the lower bounds of the class at `rank` (0 = large). */
function atLowerBounds(row: SizeClassRow, industry: string, rank: number): EnterpriseSizeInput {
  const input: EnterpriseSizeInput = { industry };
  for (const indicator of indicatorsOf(row)) input[indicator] = row.thresholds[indicator]![rank];
  return input;
}

describe('the table as data', () => {
  it('lists the sixteen industry groups of the standard', () => {
    expect(SIZE_CLASS_TABLE.map((r) => r.industryGroup)).toEqual([
      '农、林、牧、渔业', '工业', '建筑业', '批发业', '零售业', '交通运输业', '仓储业', '邮政业',
      '住宿业', '餐饮业', '信息传输业', '软件和信息技术服务业', '房地产开发经营', '物业管理',
      '租赁和商务服务业', '其他未列明行业',
    ]);
  });

  it('every row has strictly decreasing lower bounds and at least one indicator', () => {
    for (const row of SIZE_CLASS_TABLE) {
      expect(indicatorsOf(row).length).toBeGreaterThan(0);
      for (const indicator of indicatorsOf(row)) {
        const [large, medium, small] = row.thresholds[indicator]!;
        expect(large).toBeGreaterThan(medium);
        expect(medium).toBeGreaterThan(small);
        expect(small).toBeGreaterThan(0);
      }
    }
  });

  it('no class is covered by two rows, and exactly the uncovered industries are left out', () => {
    const uncovered = new Set<string>();
    for (const industry of allIndustries('class')) {
      const rows = SIZE_CLASS_TABLE.filter((row) =>
        row.covers.some((c) => (/^[A-Z]$/.test(c) ? c === industry.section : industry.code.startsWith(c))),
      );
      expect(rows.length, industry.code).toBeLessThanOrEqual(1);
      if (rows.length === 0) uncovered.add(industry.division === '70' ? industry.group! : industry.division!);
    }
    // Railway transport, finance (own standard), 房地产租赁经营, education, health, public administration, international organisations.
    expect([...uncovered].sort()).toEqual([
      '53', '66', '67', '68', '69', '704', '83', '84', '91', '92', '93', '94', '95', '96', '97',
    ]);
  });
});

describe('every threshold of the table: just below, at and just above', () => {
  for (const row of SIZE_CLASS_TABLE) {
    const industry = firstClassOf(row);
    describe(`${row.industryGroup} (e.g. class ${industry})`, () => {
      for (let rank = 0; rank < 3; rank++) {
        const sizeClass = CLASSES[rank]!;
        const nextDown = CLASSES[rank + 1]!;
        it(`all indicators at the ${sizeClass} lower bound or one above make it ${sizeClass}`, () => {
          const at = atLowerBounds(row, industry, rank);
          expect(sizeOf(at)).toBe(sizeClass);
          const above: EnterpriseSizeInput = { ...at };
          for (const indicator of indicatorsOf(row)) above[indicator] = (at[indicator] as number) + 1;
          expect(sizeOf(above)).toBe(sizeClass);
        });
        for (const indicator of indicatorsOf(row)) {
          it(`${indicator} one below the ${sizeClass} bound drops it to ${nextDown}`, () => {
            const below = atLowerBounds(row, industry, rank);
            below[indicator] = (below[indicator] as number) - 1;
            expect(sizeOf(below)).toBe(nextDown);
            const onlyThisBelow = atLowerBounds(row, industry, 0);
            onlyThisBelow[indicator] = row.thresholds[indicator]![rank]! - 1;
            expect(sizeOf(onlyThisBelow)).toBe(nextDown);
          });
        }
      }
      it('zero on every indicator is micro', () => {
        const zero: EnterpriseSizeInput = { industry };
        for (const indicator of indicatorsOf(row)) zero[indicator] = 0;
        expect(sizeOf(zero)).toBe('micro');
      });
    });
  }
});

describe('hand-checked cases from the published table', () => {
  it('a boiler factory (3411) with 1000 staff and 4亿 revenue is large; with 999 staff it is medium', () => {
    expect(sizeOf({ industry: '3411', employees: 1000, operatingRevenue: 400_000_000 })).toBe('large');
    expect(sizeOf({ industry: '3411', employees: 999, operatingRevenue: 900_000_000 })).toBe('medium');
  });

  it('a factory with 300 staff but revenue just under 2000万 is small, and with 19 staff it is micro however rich', () => {
    expect(sizeOf({ industry: '3411', employees: 300, operatingRevenue: 19_999_999 })).toBe('small');
    expect(sizeOf({ industry: '3411', employees: 19, operatingRevenue: 5_000_000_000 })).toBe('micro');
  });

  it('a rice farm (0111) is classed on revenue alone: 49.9万 is micro, 50万 small, 2亿 large', () => {
    expect(classifyEnterpriseSize({ industry: '0111', operatingRevenue: 499_000 })).toEqual({
      status: 'classified',
      sizeClass: 'micro',
      industryGroup: '农、林、牧、渔业',
      indicatorsUsed: ['operatingRevenue'],
    });
    expect(sizeOf({ industry: '0111', operatingRevenue: 500_000 })).toBe('small');
    expect(sizeOf({ industry: '0111', operatingRevenue: 200_000_000, employees: 3 })).toBe('large');
  });

  it('a house builder (4710) needs both revenue and assets: 8亿 and 8亿 is large, 8亿 and 7.9亿 medium', () => {
    expect(sizeOf({ industry: '4710', operatingRevenue: 800_000_000, totalAssets: 800_000_000 })).toBe('large');
    expect(sizeOf({ industry: '4710', operatingRevenue: 800_000_000, totalAssets: 790_000_000 })).toBe('medium');
    expect(sizeOf({ industry: '4710', operatingRevenue: 3_000_000, totalAssets: 3_000_000 })).toBe('small');
  });

  it('a restaurant (6210) with 150 staff and 3000万 revenue is medium; with 9 staff it is micro', () => {
    expect(sizeOf({ industry: '6210', employees: 150, operatingRevenue: 30_000_000 })).toBe('medium');
    expect(sizeOf({ industry: '6210', employees: 9, operatingRevenue: 30_000_000 })).toBe('micro');
  });

  it('a software house (6511) with 50 staff and 60万 revenue is small', () => {
    expect(sizeOf({ industry: '6511', employees: 50, operatingRevenue: 600_000 })).toBe('small');
  });

  it('a wholesaler (5111) with 5 staff and 1000万 revenue is small, with 4 staff micro', () => {
    expect(sizeOf({ industry: '5111', employees: 5, operatingRevenue: 10_000_000 })).toBe('small');
    expect(sizeOf({ industry: '5111', employees: 4, operatingRevenue: 10_000_000 })).toBe('micro');
  });

  it('a developer (7010) with 20亿 revenue and 1亿 assets is large, with 9999万 assets medium', () => {
    expect(sizeOf({ industry: '7010', operatingRevenue: 2_000_000_000, totalAssets: 100_000_000 })).toBe('large');
    expect(sizeOf({ industry: '7010', operatingRevenue: 2_000_000_000, totalAssets: 99_990_000 })).toBe('medium');
  });

  it('a car rental firm (7111) is classed on staff and assets, a research lab (7310) on staff alone', () => {
    expect(sizeOf({ industry: '7111', employees: 300, totalAssets: 1_200_000_000 })).toBe('large');
    expect(sizeOf({ industry: '7310', employees: 100 })).toBe('medium');
    expect(sizeOf({ industry: '7030', employees: 10 })).toBe('small');
  });

  it('loading and unloading (5910) counts as transport, general storage (5920) as storage', () => {
    expect(sizeClassRowFor('5910')?.industryGroup).toBe('交通运输业');
    expect(sizeClassRowFor('5920')?.industryGroup).toBe('仓储业');
    expect(sizeOf({ industry: '5910', employees: 300, operatingRevenue: 30_000_000 })).toBe('medium');
    expect(sizeOf({ industry: '5920', employees: 300, operatingRevenue: 30_000_000 })).toBe('medium');
    expect(sizeOf({ industry: '5920', employees: 300, operatingRevenue: 9_999_999 })).toBe('small');
  });
});

describe('missing, invalid and uncovered input', () => {
  it('a missing indicator is reported, never read as zero', () => {
    expect(classifyEnterpriseSize({ industry: '3411', employees: 5 })).toEqual({
      status: 'insufficientData',
      industryGroup: '工业',
      missingIndicators: ['operatingRevenue'],
    });
    expect(classifyEnterpriseSize({ industry: '4710' })).toMatchObject({
      status: 'insufficientData',
      missingIndicators: ['operatingRevenue', 'totalAssets'] satisfies SizeIndicator[],
    });
  });

  it('an indicator the industry does not use may be missing', () => {
    expect(sizeOf({ industry: '7310', employees: 5 })).toBe('micro');
  });

  it('negative and non-finite values are invalid input', () => {
    expect(classifyEnterpriseSize({ industry: '3411', employees: -1, operatingRevenue: 1 })).toEqual({
      status: 'invalidInput',
      indicator: 'employees',
      reason: 'negative',
    });
    expect(classifyEnterpriseSize({ industry: '3411', employees: 1, operatingRevenue: Number.NaN })).toMatchObject({
      status: 'invalidInput',
      indicator: 'operatingRevenue',
      reason: 'notFinite',
    });
  });

  it('railway transport, banking, schools, hospitals and rented property are outside the standard', () => {
    for (const industry of ['5311', '6621', '8310', '8411', '7040', '9221', '9700']) {
      expect(classifyEnterpriseSize({ industry, employees: 10, operatingRevenue: WAN, totalAssets: WAN })).toEqual({
        status: 'notCovered',
        reason: 'industryOutsideStandard',
      });
    }
  });

  it('a code that is not a known class is refused', () => {
    for (const industry of ['62', '621', 'H', '9999', '']) {
      expect(classifyEnterpriseSize({ industry, employees: 10 })).toEqual({ status: 'notCovered', reason: 'unknownIndustryClass' });
    }
  });
});
