import { describe, expect, it } from 'vitest';
import * as reference from './index.js';

describe('the public API of the reference data', () => {
  it('exposes the lookups, validators, calendar and makers together', () => {
    const validId = reference.makeResidentId({ region: '110105', birthDate: '1949-12-31', sequence: 2 });
    expect(reference.validateResidentId(validId, { today: '2025-01-01' }).valid).toBe(true);
    const uscc = reference.makeUscc({ region: '310115', organizationCodeBody: 'MA1FL8K2' });
    expect(reference.entityTypeFromUscc(uscc)).toBe('enterprise');
    expect(reference.regionPath('310115')).toEqual(['上海市', '浦东新区']);
    expect(reference.industrySection('6511')).toBe('I');
    expect(reference.classifyEnterpriseSize({ industry: '6511', employees: 12, operatingRevenue: 800_000 })).toMatchObject({ sizeClass: 'small' });
    expect(reference.defaultWorkingCalendar().isWorkingDay('2024-02-18')).toBe(true);
    expect(reference.shanghaiDate(new Date('2024-02-09T16:00:00Z'))).toBe('2024-02-10');
  });
});
