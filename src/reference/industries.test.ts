import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  allIndustries,
  getIndustry,
  industrySection,
  isIndustryWithin,
  isKnownIndustryClass,
  parseCsv,
  parseIndustryTable,
} from './industries.js';

describe('CSV parsing', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi""","two\nlines"\r\nx,,z\n')).toEqual([
      ['a', 'b, c', 'say "hi"', 'two\nlines'],
      ['x', '', 'z'],
    ]);
  });

  it('keeps a trailing empty field and a last line without newline', () => {
    expect(parseCsv('a,b,\nc,d,e')).toEqual([
      ['a', 'b', ''],
      ['c', 'd', 'e'],
    ]);
  });

  it('refuses an unterminated quote', () => {
    expect(() => parseCsv('a,"b')).toThrow(/quoted/);
  });

  it('refuses a table whose rows point at missing parents', () => {
    const header = 'code,level,section,division,group,name,note\n';
    expect(() => parseIndustryTable(`${header}0111,class,A,01,011,稻谷种植,\n`)).toThrow(/no parent/);
  });
});

describe('GB/T 4754-2017 industries', () => {
  it('has the counts of the standard: 20 sections, 97 divisions, 473 groups and 1381 classes', () => {
    expect(allIndustries('section')).toHaveLength(20);
    expect(allIndustries('division')).toHaveLength(97);
    expect(allIndustries('group')).toHaveLength(473);
    // The standard's text counts 1380; the shipped table has one more (see the data README).
    expect(allIndustries('class')).toHaveLength(1381);
  });

  it('a restaurant serving full meals (6210 正餐服务) is in 餐饮业 (62) of section H', () => {
    expect(getIndustry('6210')).toMatchObject({
      code: '6210',
      level: 'class',
      name: '正餐服务',
      section: 'H',
      division: '62',
      group: '621',
      parentCode: '621',
    });
    expect(industrySection('6210')).toBe('H');
    expect(isIndustryWithin('6210', '621')).toBe(true);
    expect(isIndustryWithin('6210', '62')).toBe(true);
    expect(isIndustryWithin('6210', 'H')).toBe(true);
    expect(isIndustryWithin('6210', 'I')).toBe(false);
    expect(isIndustryWithin('6210', '61')).toBe(false);
  });

  it('software development (6511) is in section I with its parents', () => {
    expect(getIndustry('6511')?.name).toBe('基础软件开发');
    expect(industrySection('6511')).toBe('I');
    expect(getIndustry('65')).toMatchObject({ level: 'division', parentCode: 'I', section: 'I' });
    expect(getIndustry('I')).toMatchObject({ level: 'section', parentCode: null, name: '信息传输、软件和信息技术服务业' });
  });

  it('reads the notes that contain commas in full', () => {
    expect(getIndustry('51')?.note).toContain('也包括不拥有货物的所有权，收取佣金的商品代理');
    expect(getIndustry('7212')?.note).toMatch(/投资活动,不包括资本活动的投资$/);
    expect(getIndustry('0111')?.note).toBeUndefined();
  });

  it('hierarchy is reflexive and a parent is not within its child', () => {
    expect(isIndustryWithin('H', 'H')).toBe(true);
    expect(isIndustryWithin('62', '62')).toBe(true);
    expect(isIndustryWithin('62', '6210')).toBe(false);
    expect(isIndustryWithin('H', '62')).toBe(false);
  });

  it('only four-digit classes count as classes; unknown codes are nothing', () => {
    expect(isKnownIndustryClass('6210')).toBe(true);
    expect(isKnownIndustryClass('621')).toBe(false);
    expect(isKnownIndustryClass('H')).toBe(false);
    expect(isKnownIndustryClass('6200')).toBe(false);
    expect(getIndustry('9999')).toBeUndefined();
    expect(industrySection('9999')).toBeUndefined();
    expect(isIndustryWithin('9999', 'A')).toBe(false);
  });

  it('every code is within each of its ancestors, and its section agrees with its division', () => {
    for (const industry of allIndustries()) {
      let parent = industry.parentCode;
      while (parent !== null) {
        expect(isIndustryWithin(industry.code, parent)).toBe(true);
        parent = getIndustry(parent)!.parentCode;
      }
      if (industry.division) expect(getIndustry(industry.division)!.section).toBe(industry.section);
    }
  });

  it('the repository copy of the table parses to all 1971 rows', () => {
    const local = readFileSync(new URL('./tables/gbt4754-2017-industries.csv', import.meta.url), 'utf8');
    expect(parseIndustryTable(local).size).toBe(1971);
  });
});
