import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ARBITRARY_TODAY, residentIdArbitrary, residentIdPartsArbitrary } from './arbitraries.js';
import { residentIdCheckCharacter, upgradeResidentId15, validateResidentId } from './resident-id.js';
import { makeResidentId, sequenceForSex } from './testing.js';

const today = '2025-06-30';
const check = (input: string, options = { today }) => validateResidentId(input, options);

describe('citizen identity numbers (GB 11643-1999)', () => {
  it('a Beijing woman born 1949-12-31 in 朝阳区: 11010519491231002X (the standard example)', () => {
    expect(check('11010519491231002X')).toEqual({
      valid: true,
      normalized: '11010519491231002X',
      info: { region: '110105', regionName: '朝阳区', birthDate: '1949-12-31', sex: 'female' },
    });
  });

  it('a man born 1880-01-01 in the former 潮阳县 (440524, since abolished) is still valid, without a region name', () => {
    expect(check('440524188001010014')).toEqual({
      valid: true,
      normalized: '440524188001010014',
      info: { region: '440524', birthDate: '1880-01-01', sex: 'male' },
    });
  });

  it('she may type a lower-case x and stray spaces; both are tidied', () => {
    expect(check('  11010519491231002x\t')).toMatchObject({ valid: true, normalized: '11010519491231002X' });
  });

  it('her old 15-digit card 110105491231002 is upgraded to the 18-character number', () => {
    expect(check('110105491231002')).toEqual({
      valid: true,
      normalized: '11010519491231002X',
      info: { region: '110105', regionName: '朝阳区', birthDate: '1949-12-31', sex: 'female', upgradedFrom15: true },
    });
    // Check sum 196, 196 mod 11 = 9, which maps to '3' (worked by hand).
    expect(upgradeResidentId15('440524800101001')).toBe('440524198001010013');
  });

  it('full-width digits are not silently converted', () => {
    expect(check('１１０１０５１９４９１２３１００２Ｘ')).toEqual({ valid: false, reason: 'invalidCharacters' });
    expect(check('1101051949123１002X')).toEqual({ valid: false, reason: 'invalidCharacters' });
    expect(check('110105 19491231 002X')).toEqual({ valid: false, reason: 'invalidCharacters' });
  });

  it('X only stands at the end of an 18-character number', () => {
    expect(check('1101051949123100X2')).toEqual({ valid: false, reason: 'invalidCharacters' });
    expect(check('11010549123100X')).toEqual({ valid: false, reason: 'invalidCharacters' });
  });

  it('wrong lengths are reported as such', () => {
    for (const input of ['', '11010519491231002', '11010519491231002X1', '1101054912310']) {
      expect(check(input)).toEqual({ valid: false, reason: 'length' });
    }
  });

  it('an unknown province is an unknown region; an unknown county of a known province is accepted', () => {
    expect(check(makeResidentId({ region: '990101', birthDate: '1990-01-01', sequence: 1 }))).toEqual({
      valid: false,
      reason: 'unknownRegion',
    });
    expect(check(makeResidentId({ region: '110199', birthDate: '1990-01-01', sequence: 1 }))).toMatchObject({ valid: true });
  });

  it('residence permits for Hong Kong, Macao and Taiwan residents are recognised', () => {
    expect(check(makeResidentId({ region: '830000', birthDate: '1990-01-01', sequence: 2 }))).toMatchObject({
      valid: true,
      info: { region: '830000', residencePermitFor: 'taiwan' },
    });
    expect(check(makeResidentId({ region: '810000', birthDate: '1990-01-01', sequence: 2 }))).toMatchObject({
      valid: true,
      info: { regionName: '香港特别行政区', residencePermitFor: 'hongKong' },
    });
  });

  it('the birth date must exist on the calendar, not precede 1800 and not lie in the future', () => {
    const withDate = (yyyymmdd: string) => {
      const body = `110105${yyyymmdd}002`;
      return body + residentIdCheckCharacter(body);
    };
    expect(check(withDate('20230229'))).toEqual({ valid: false, reason: 'invalidBirthDate' });
    expect(check(withDate('20000229'))).toMatchObject({ valid: true });
    expect(check(withDate('19001301'))).toEqual({ valid: false, reason: 'invalidBirthDate' });
    expect(check(withDate('19000100'))).toEqual({ valid: false, reason: 'invalidBirthDate' });
    expect(check(withDate('17991231'))).toEqual({ valid: false, reason: 'invalidBirthDate' });
    expect(check(withDate('18000101'))).toMatchObject({ valid: true });
    expect(check(withDate('20250630'))).toMatchObject({ valid: true });
    expect(check(withDate('20250701'))).toEqual({ valid: false, reason: 'futureBirthDate' });
    expect(validateResidentId(withDate('20250701'), { today: '2025-07-01' })).toMatchObject({ valid: true });
  });

  it('a wrong check character is reported', () => {
    expect(check('110105194912310020')).toEqual({ valid: false, reason: 'checkCharacter' });
    expect(check('440524188001010013')).toEqual({ valid: false, reason: 'checkCharacter' });
  });

  it('odd sequence numbers are men, even are women', () => {
    const man = makeResidentId({ region: '310115', birthDate: '1985-05-20', sequence: sequenceForSex('male', 12) });
    const woman = makeResidentId({ region: '310115', birthDate: '1985-05-20', sequence: sequenceForSex('female', 12) });
    expect(check(man)).toMatchObject({ valid: true, info: { sex: 'male', regionName: '浦东新区' } });
    expect(check(woman)).toMatchObject({ valid: true, info: { sex: 'female' } });
  });

  it('the helper refuses parts that cannot make a number', () => {
    expect(() => makeResidentId({ region: '11010', birthDate: '1990-01-01', sequence: 1 })).toThrow();
    expect(() => makeResidentId({ region: '110105', birthDate: '1990-02-30', sequence: 1 })).toThrow();
    expect(() => makeResidentId({ region: '110105', birthDate: '1990-01-01', sequence: 1000 })).toThrow();
  });
});

describe('MOD 11-2 error detection', () => {
  // The check sum is linear in each digit, so if changing one position (or swapping two) changes the
  // check character of an all-zero body, it changes it for every body. These loops are therefore a
  // complete proof over all bodies, run against the implementation itself.
  const zeros = '0'.repeat(17);
  const put = (body: string, i: number, ch: string) => body.slice(0, i) + ch + body.slice(i + 1);

  it('detects every single-digit substitution in the 17 body positions', () => {
    for (let i = 0; i < 17; i++) {
      for (let a = 0; a <= 9; a++) {
        for (let b = a + 1; b <= 9; b++) {
          expect(residentIdCheckCharacter(put(zeros, i, String(a)))).not.toBe(residentIdCheckCharacter(put(zeros, i, String(b))));
        }
      }
    }
  });

  it('detects every adjacent transposition of distinct digits in the body', () => {
    for (let i = 0; i < 16; i++) {
      for (let a = 0; a <= 9; a++) {
        for (let b = 0; b <= 9; b++) {
          if (a === b) continue;
          const ab = put(put(zeros, i, String(a)), i + 1, String(b));
          const ba = put(put(zeros, i, String(b)), i + 1, String(a));
          expect(residentIdCheckCharacter(ab)).not.toBe(residentIdCheckCharacter(ba));
        }
      }
    }
  });
});

describe('properties over generated numbers', () => {
  const wrongCharacters = ['A', 'O', 'I', 'Z', '-', ' ', '０', '９', 'Ｘ', '٣'];
  const alphabet = [...'0123456789X', 'x', ...wrongCharacters];

  it('every generated number is valid and reads back its parts', () => {
    fc.assert(
      fc.property(residentIdPartsArbitrary(), (parts) => {
        const result = validateResidentId(makeResidentId(parts), { today: ARBITRARY_TODAY });
        expect(result).toMatchObject({
          valid: true,
          info: { region: parts.region, birthDate: parts.birthDate, sex: parts.sequence % 2 === 1 ? 'male' : 'female' },
        });
      }),
      { numRuns: 300 },
    );
  });

  it('every single-character substitution, anywhere and with any character, is rejected', () => {
    fc.assert(
      fc.property(residentIdArbitrary(), (id) => {
        for (let i = 0; i < id.length; i++) {
          for (const ch of alphabet) {
            if (ch.toUpperCase() === id[i]) continue;
            const mutated = id.slice(0, i) + ch + id.slice(i + 1);
            expect(validateResidentId(mutated, { today: ARBITRARY_TODAY }).valid, mutated).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the check character alone catches every digit substitution (not just the date or region checks)', () => {
    fc.assert(
      fc.property(residentIdArbitrary(), (id) => {
        for (let i = 0; i < 18; i++) {
          for (const ch of '0123456789X') {
            if (ch === id[i] || (ch === 'X' && i < 17)) continue;
            const mutated = id.slice(0, i) + ch + id.slice(i + 1);
            expect(residentIdCheckCharacter(mutated.slice(0, 17))).not.toBe(mutated[17]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every adjacent transposition of distinct characters is rejected, including with the check character', () => {
    fc.assert(
      fc.property(residentIdArbitrary(), (id) => {
        for (let i = 0; i < 17; i++) {
          if (id[i] === id[i + 1]) continue;
          const swapped = id.slice(0, i) + id[i + 1] + id[i] + id.slice(i + 2);
          expect(validateResidentId(swapped, { today: ARBITRARY_TODAY }).valid, swapped).toBe(false);
          if (!swapped.slice(0, 17).includes('X')) {
            expect(residentIdCheckCharacter(swapped.slice(0, 17))).not.toBe(swapped[17]);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
