import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usccArbitrary, usccPartsArbitrary } from './arbitraries.js';
import { makeOrganizationCode, makeUscc, organizationCodeBodyFromNumber } from './testing.js';
import {
  REGISTRATION_AUTHORITIES,
  USCC_CHARACTERS,
  entityTypeFromUscc,
  organizationCodeCheckCharacter,
  usccCheckCharacter,
  validateUscc,
} from './uscc.js';

describe('unified social credit codes (GB 32100-2015)', () => {
  it('the standard example 91350100M000100Y43 is an enterprise registered in 福州市', () => {
    expect(validateUscc('91350100M000100Y43')).toEqual({
      valid: true,
      normalized: '91350100M000100Y43',
      info: {
        registrationAuthority: { code: '9', name: '工商' },
        category: { code: '1', name: '企业' },
        region: '350100',
        regionName: '福州市',
        organizationCode: 'M000100Y4',
      },
    });
    expect(entityTypeFromUscc('91350100M000100Y43')).toBe('enterprise');
  });

  it('the example checks out by hand: organisation code M000100Y + 4, then check character 3', () => {
    // M=22, Y=34 in GB 11714: 22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4.
    expect(organizationCodeCheckCharacter('M000100Y')).toBe('4');
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
  });

  it('lower case and surrounding space are tidied', () => {
    expect(validateUscc(' 91350100m000100y43 ')).toMatchObject({ valid: true, normalized: '91350100M000100Y43' });
  });

  it('letters outside the set (I, O, Z, S, V) and full-width characters are invalid characters', () => {
    for (const bad of ['91350100M000100Y4O', '9135010OM000100Y43', '91350100M000100Y4S', '９1350100M000100Y43', '91350100-000100Y43']) {
      expect(validateUscc(bad)).toEqual({ valid: false, reason: 'invalidCharacters' });
    }
  });

  it('wrong lengths are reported as such', () => {
    for (const bad of ['', '91350100M000100Y4', '91350100M000100Y433']) expect(validateUscc(bad)).toEqual({ valid: false, reason: 'length' });
  });

  it('reports an unknown authority, an unknown category and an unknown region', () => {
    expect(validateUscc(`B${'91350100M000100Y43'.slice(1)}`)).toEqual({ valid: false, reason: 'unknownAuthority' });
    expect(validateUscc(makeUscc({ region: '350100', organizationCodeBody: 'M000100Y' }).replace(/^91/, '94'))).toEqual({
      valid: false,
      reason: 'unknownCategory',
    });
    expect(validateUscc('91990100M000100Y43')).toEqual({ valid: false, reason: 'unknownRegion' });
    expect(validateUscc('9135A100M000100Y43')).toEqual({ valid: false, reason: 'unknownRegion' });
  });

  it('reports a broken organisation code before the final check', () => {
    expect(validateUscc('91350100M000100Y53')).toEqual({ valid: false, reason: 'organizationCodeCheck' });
    expect(validateUscc('91350100M000100Y44')).toEqual({ valid: false, reason: 'checkCharacter' });
  });

  it('organisation code checks of 10 and 11 are written X and 0', () => {
    const bodies = Array.from({ length: 200 }, (_, n) => organizationCodeBodyFromNumber(n));
    const checks = new Set(bodies.map(organizationCodeCheckCharacter));
    expect(checks).toContain('X');
    expect(checks).toContain('0');
    for (const ch of checks) expect('0123456789X').toContain(ch);
  });

  it('a body registered nationally (100000) or in an abolished county of a known province is accepted', () => {
    expect(validateUscc(makeUscc({ authority: '5', category: '3', region: '100000', organizationCodeBody: '50000000' }))).toMatchObject({
      valid: true,
      info: { region: '100000', regionName: '全国', category: { name: '基金会' } },
    });
    expect(validateUscc(makeUscc({ region: '440524', organizationCodeBody: '12345678' }))).toMatchObject({
      valid: true,
      info: { region: '440524' },
    });
  });

  it('maps authority and category to the platform entity types', () => {
    const typeOf = (authority: string, category: string) =>
      entityTypeFromUscc(makeUscc({ authority, category, region: '310115', organizationCodeBody: 'MA1FL8K2' }));
    expect(typeOf('9', '1')).toBe('enterprise');
    expect(typeOf('9', '2')).toBe('individualBusiness');
    expect(typeOf('9', '3')).toBe('farmerCooperative');
    expect(typeOf('1', '2')).toBe('publicInstitution');
    expect(typeOf('5', '1')).toBe('socialOrganization');
    expect(typeOf('5', '2')).toBe('socialOrganization');
    expect(typeOf('5', '3')).toBe('socialOrganization');
    expect(typeOf('1', '1')).toBeUndefined();
    expect(typeOf('7', '1')).toBeUndefined();
    expect(entityTypeFromUscc('91350100M000100Y44')).toBeUndefined();
  });

  it('the helper refuses parts that cannot make a code', () => {
    expect(() => makeUscc({ authority: 'Z', organizationCodeBody: '12345678' })).toThrow();
    expect(() => makeUscc({ authority: '9', category: '9', organizationCodeBody: '12345678' })).toThrow();
    expect(() => makeUscc({ organizationCodeBody: '1234567' })).toThrow();
    expect(() => makeOrganizationCode('1234567I')).toThrow();
    expect(organizationCodeBodyFromNumber(31)).toBe('00000010');
  });

  it('every authority and category code is a single character of the set', () => {
    for (const [code, authority] of Object.entries(REGISTRATION_AUTHORITIES)) {
      expect(USCC_CHARACTERS).toContain(code);
      for (const category of Object.keys(authority.categories)) expect(USCC_CHARACTERS).toContain(category);
    }
  });
});

describe('MOD 31 error detection', () => {
  // As with MOD 11-2 the sum is linear per position, so differences shown on an all-zero body hold
  // for every body: these loops are exhaustive over positions and character pairs.
  const zeros = '0'.repeat(17);
  const put = (body: string, i: number, ch: string) => body.slice(0, i) + ch + body.slice(i + 1);

  it('detects every single substitution in the 17 body positions', () => {
    for (let i = 0; i < 17; i++) {
      const seen = new Set<string>();
      for (const ch of USCC_CHARACTERS) seen.add(usccCheckCharacter(put(zeros, i, ch)));
      expect(seen.size).toBe(31);
    }
  });

  it('detects every adjacent transposition of distinct characters in the body', () => {
    for (let i = 0; i < 16; i++) {
      for (const a of USCC_CHARACTERS) {
        for (const b of USCC_CHARACTERS) {
          if (a >= b) continue;
          const ab = put(put(zeros, i, a), i + 1, b);
          const ba = put(put(zeros, i, b), i + 1, a);
          expect(usccCheckCharacter(ab)).not.toBe(usccCheckCharacter(ba));
        }
      }
    }
  });
});

describe('properties over generated codes', () => {
  const wrongCharacters = ['I', 'O', 'Z', 'S', 'V', 'i', 'o', 's', '-', ' ', '０', 'Ａ'];
  const alphabet = [...USCC_CHARACTERS, ...USCC_CHARACTERS.toLowerCase().replace(/[0-9]/g, ''), ...wrongCharacters];

  it('every generated code is valid and reads back its parts', () => {
    fc.assert(
      fc.property(usccPartsArbitrary(), (parts) => {
        const result = validateUscc(makeUscc(parts));
        expect(result).toMatchObject({
          valid: true,
          info: {
            registrationAuthority: { code: parts.authority },
            category: { code: parts.category },
            region: parts.region,
            organizationCode: makeOrganizationCode(parts.organizationCodeBody),
          },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('every single-character substitution, anywhere and with any character, is rejected', () => {
    fc.assert(
      fc.property(usccArbitrary(), (code) => {
        for (let i = 0; i < code.length; i++) {
          for (const ch of alphabet) {
            if (ch.toUpperCase() === code[i]) continue;
            const mutated = code.slice(0, i) + ch + code.slice(i + 1);
            expect(validateUscc(mutated).valid, mutated).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('the final check character alone catches every substitution within the set', () => {
    fc.assert(
      fc.property(usccArbitrary(), (code) => {
        for (let i = 0; i < 18; i++) {
          for (const ch of USCC_CHARACTERS) {
            if (ch === code[i]) continue;
            const mutated = code.slice(0, i) + ch + code.slice(i + 1);
            expect(usccCheckCharacter(mutated.slice(0, 17))).not.toBe(mutated[17]);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('every adjacent transposition of distinct characters is rejected, by the final check alone', () => {
    fc.assert(
      fc.property(usccArbitrary(), (code) => {
        for (let i = 0; i < 17; i++) {
          if (code[i] === code[i + 1]) continue;
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(validateUscc(swapped).valid, swapped).toBe(false);
          expect(usccCheckCharacter(swapped.slice(0, 17))).not.toBe(swapped[17]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
