import { describe, expect, it } from 'vitest';
import {
  NATIONWIDE_REGION_CODE,
  ancestors,
  children,
  getRegion,
  isKnownRegion,
  isWithin,
  provinceOf,
  provinces,
  regionCodePrefix,
  regionPath,
} from './regions.js';

describe('administrative divisions (GB/T 2260)', () => {
  it('knows the 34 province-level divisions, including Taiwan, Hong Kong and Macao', () => {
    const all = provinces();
    expect(all).toHaveLength(34);
    expect(all.map((p) => p.code)).toContain('810000');
    expect(getRegion('440000')).toEqual({ code: '440000', name: '广东省', level: 'province', parentCode: null, administrative: true });
  });

  it('places 太仓市 in 苏州市 in 江苏省', () => {
    expect(getRegion('320585')).toMatchObject({ name: '太仓市', level: 'county', parentCode: '320500' });
    expect(ancestors('320585').map((r) => r.code)).toEqual(['320000', '320500']);
    expect(regionPath('320585')).toEqual(['江苏省', '苏州市', '太仓市']);
    expect(isWithin('320585', '320500')).toBe(true);
    expect(isWithin('320585', '320000')).toBe(true);
    expect(isWithin('320585', '330000')).toBe(false);
    expect(isWithin('320000', '320585')).toBe(false);
  });

  it('puts a Shanghai district directly under the municipality, and 310100 (市辖区) still contains it', () => {
    expect(getRegion('310115')).toMatchObject({ name: '浦东新区', level: 'county', parentCode: '310000' });
    expect(regionPath('310115')).toEqual(['上海市', '浦东新区']);
    expect(isWithin('310115', '310000')).toBe(true);
    expect(getRegion('310100')).toEqual({ code: '310100', name: '市辖区', level: 'city', parentCode: '310000', administrative: false });
    expect(isWithin('310115', '310100')).toBe(true);
    expect(children('310000').map((r) => r.name)).toContain('浦东新区');
    expect(children('310100')).toHaveLength(children('310000').length);
  });

  it('handles Chongqing, whose counties (500200 县) and districts (500100 市辖区) are both under the municipality', () => {
    expect(getRegion('500235')).toMatchObject({ name: '云阳县', parentCode: '500000' });
    expect(isWithin('500235', '500200')).toBe(true);
    expect(isWithin('500235', '500100')).toBe(false);
    expect(isWithin('500101', '500100')).toBe(true);
    expect(getRegion('500200')?.name).toBe('县');
  });

  it('treats 仙桃市 as governed by 湖北省 directly, while 429000 still groups it', () => {
    expect(getRegion('429004')).toMatchObject({ name: '仙桃市', level: 'county', parentCode: '420000' });
    expect(regionPath('429004')).toEqual(['湖北省', '仙桃市']);
    expect(getRegion('429000')).toMatchObject({ name: '省直辖县级行政区划', administrative: false });
    expect(getRegion('659000')?.name).toBe('自治区直辖县级行政区划');
    expect(isWithin('429004', '429000')).toBe(true);
    expect(isWithin('429004', '420000')).toBe(true);
    expect(children('420000').map((r) => r.name)).toEqual(expect.arrayContaining(['武汉市', '仙桃市', '神农架林区']));
    expect(children('420000').map((r) => r.code)).not.toContain('429000');
    expect(children('429000').map((r) => r.name)).toEqual(['仙桃市', '潜江市', '天门市', '神农架林区']);
  });

  it('keeps a city without districts (东莞市) as a city', () => {
    expect(getRegion('441900')).toMatchObject({ name: '东莞市', level: 'city', parentCode: '440000' });
    expect(children('441900')).toEqual([]);
  });

  it('lets 100000 stand for the whole country', () => {
    expect(isWithin('310115', NATIONWIDE_REGION_CODE)).toBe(true);
    expect(isWithin('650000', NATIONWIDE_REGION_CODE)).toBe(true);
    // A national body's own region: within the nation, and within no province.
    expect(isWithin(NATIONWIDE_REGION_CODE, NATIONWIDE_REGION_CODE)).toBe(true);
    expect(isWithin(NATIONWIDE_REGION_CODE, '310000')).toBe(false);
    expect(children(NATIONWIDE_REGION_CODE)).toHaveLength(34);
    expect(getRegion(NATIONWIDE_REGION_CODE)).toBeUndefined();
  });

  it('a region’s code prefix selects exactly the known codes within it, so SQL can filter by LIKE prefix', () => {
    const codes: string[] = [];
    const walk = (code: string) => children(code).forEach((region) => (codes.push(region.code), walk(region.code)));
    walk(NATIONWIDE_REGION_CODE);
    const groupings = new Set(codes.map((code) => `${code.slice(0, 4)}00`).filter((code) => !codes.includes(code) && isKnownRegion(code)));
    codes.push(...groupings);
    expect(groupings.has('310100') && groupings.has('429000')).toBe(true);
    const mismatches: string[] = [];
    for (const region of [...codes, NATIONWIDE_REGION_CODE]) {
      const prefix = regionCodePrefix(region);
      // Across provinces isWithin is false and the prefixes differ; within one province, every pair is checked.
      for (const code of codes.filter((c) => region === NATIONWIDE_REGION_CODE || c.slice(0, 2) === region.slice(0, 2))) {
        if (code.startsWith(prefix) !== isWithin(code, region)) mismatches.push(`${code} in ${region}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('a region is within itself', () => {
    expect(isWithin('310115', '310115')).toBe(true);
    expect(isWithin('310000', '310000')).toBe(true);
  });

  it('unknown codes are within nothing and have no path', () => {
    expect(isKnownRegion('440524')).toBe(false); // 潮阳县, abolished
    expect(isWithin('440524', '440000')).toBe(false);
    expect(isWithin('440524', NATIONWIDE_REGION_CODE)).toBe(false);
    expect(isWithin('310115', '999999')).toBe(false);
    expect(regionPath('999999')).toEqual([]);
    expect(ancestors('999999')).toEqual([]);
    expect(children('999999')).toEqual([]);
    expect(isKnownRegion('')).toBe(false);
  });

  it('finds the province of any code, even a historic one', () => {
    expect(provinceOf('440524')?.name).toBe('广东省');
    expect(provinceOf('990000')).toBeUndefined();
    expect(provinceOf('x')).toBeUndefined();
  });

  it('every parent exists, is administrative and is one level up; every region is within its ancestors', () => {
    const levelRank = { province: 0, city: 1, county: 2 } as const;
    const queue = [...children(NATIONWIDE_REGION_CODE)];
    let seen = 0;
    while (queue.length > 0) {
      const region = queue.pop()!;
      seen++;
      for (const a of ancestors(region.code)) {
        expect(a.administrative).toBe(true);
        expect(levelRank[a.level]).toBeLessThan(levelRank[region.level]);
        expect(isWithin(region.code, a.code)).toBe(true);
      }
      if (region.parentCode) expect(getRegion(region.parentCode)).toBeDefined();
      queue.push(...children(region.code));
    }
    expect(seen).toBeGreaterThan(3000);
  });
});
