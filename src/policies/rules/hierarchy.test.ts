import { describe, expect, it } from 'vitest';
import { allIndustries, isIndustryWithin } from '../../reference/industries.js';
import { children, getRegion, isWithin, NATIONWIDE_REGION_CODE, provinces, type Region } from '../../reference/regions.js';
import { divisionsOfSection, regionChain, regionPath } from './hierarchy.js';

function allRegions(): Region[] {
  const found = new Map<string, Region>();
  const queue = [...provinces()];
  while (queue.length > 0) {
    const region = queue.pop()!;
    if (found.has(region.code)) continue;
    found.set(region.code, region);
    queue.push(...children(region.code));
  }
  // Groupings are nobody's child; they are found by code.
  for (const province of provinces()) {
    for (const suffix of ['0100', '0200', '9000']) {
      const grouping = getRegion(province.code.slice(0, 2) + suffix);
      if (grouping && !grouping.administrative) found.set(grouping.code, grouping);
    }
  }
  return [...found.values()];
}

describe('region chains', () => {
  it('say exactly what isWithin says, for every pair of regions in the same province (groupings included)', () => {
    const regions = allRegions();
    const byProvince = new Map<string, Region[]>();
    for (const region of regions) byProvince.set(region.code.slice(0, 2), [...(byProvince.get(region.code.slice(0, 2)) ?? []), region]);
    let pairs = 0;
    for (const members of byProvince.values()) {
      for (const region of members) {
        for (const container of members) {
          if (container.level === 'county' && container.code !== region.code) continue;
          const byPath = regionPath(region.code).startsWith(regionPath(container.code));
          expect({ region: region.code, container: container.code, within: byPath }).toEqual({ region: region.code, container: container.code, within: isWithin(region.code, container.code) });
          pairs++;
        }
      }
    }
    expect(pairs).toBeGreaterThan(5000);
  });

  it('end with the region itself and run from the province down', () => {
    expect(regionChain('310115')).toEqual(['310000', '310100', '310115']);
    expect(regionChain('429004')).toEqual(['420000', '429000', '429004']);
    expect(regionChain('440305')).toEqual(['440000', '440300', '440305']);
    expect(regionPath('310000')).toBe('/310000/');
  });

  it('of an unknown code or the nation hold the code alone', () => {
    expect(regionChain(NATIONWIDE_REGION_CODE)).toEqual([NATIONWIDE_REGION_CODE]);
    expect(regionChain('999999')).toEqual(['999999']);
  });
});

describe('sections', () => {
  it('hold exactly the divisions isIndustryWithin puts under them', () => {
    for (const section of allIndustries('section')) {
      const expected = allIndustries('division').filter((d) => isIndustryWithin(d.code, section.code)).map((d) => d.code);
      expect(divisionsOfSection(section.code)).toEqual(expected);
    }
    expect(divisionsOfSection('H')).toEqual(['61', '62']);
    expect(divisionsOfSection('62')).toEqual([]);
  });
});
