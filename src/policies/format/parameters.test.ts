import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countyCodeArbitrary } from '../../reference/arbitraries.js';
import { isWithin } from '../../reference/regions.js';
import { parameterScenarios, resolveParameters, type ParameterDefinitions } from './parameters.js';

// The example of docs/policy-format.md: Zhejiang raises the refund, Hangzhou raises it further.
const refund: ParameterDefinitions = { refundRatio: { default: 0.6, byRegion: { '330000': 0.9, '330100': 1.0 } }, cap: { default: 300_000 } };

describe('parameters by region', () => {
  it.each([
    ['Xihu district, Hangzhou: the city beats the province', '330106', 1.0],
    ['Hangzhou itself', '330100', 1.0],
    ['Ningbo: the province', '330203', 0.9],
    ['Zhejiang itself', '330000', 0.9],
    ['Nanshan district, Shenzhen: the default', '440305', 0.6],
    ['an unknown region: the default', '999999', 0.6],
    ['no region given: the default', undefined, 0.6],
  ])('%s', (_name, region, expected) => {
    expect(resolveParameters(refund, region)).toEqual({ refundRatio: expected, cap: 300_000 });
  });

  it('a county beats its city, whatever order the overrides are listed in', () => {
    const layered: ParameterDefinitions = { months: { default: 3, byRegion: { '310115': 12, '100000': 4, '310000': 6 } } };
    expect(resolveParameters(layered, '310115')).toEqual({ months: 12 });
    expect(resolveParameters(layered, '310104')).toEqual({ months: 6 });
    expect(resolveParameters(layered, '440305')).toEqual({ months: 4 });
    expect(resolveParameters(layered, undefined)).toEqual({ months: 4 });
  });

  it('the value used is always that of the most specific override containing the region (property)', () => {
    const overrideRegions = ['100000', '330000', '330100', '330106', '310000', '310115', '440000', '440300'];
    const definitions = fc.dictionary(
      fc.constantFrom('a', 'b', 'c'),
      fc.record({ default: fc.integer({ min: -5, max: 5 }), byRegion: fc.dictionary(fc.constantFrom(...overrideRegions), fc.integer({ min: 100, max: 200 })) }),
    );
    const region = fc.oneof(countyCodeArbitrary(), fc.constantFrom('330106', '330102', '310115', '440305', '330000'));
    const depth = (code: string) => (code === '100000' ? 0 : code.endsWith('0000') ? 1 : code.endsWith('00') ? 2 : 3);
    fc.assert(
      fc.property(definitions, region, (parameters, code) => {
        const values = resolveParameters(parameters, code);
        for (const [name, definition] of Object.entries(parameters)) {
          const containing = Object.keys(definition.byRegion).filter((candidate) => candidate === '100000' || candidate === code || isWithin(code, candidate));
          const best = containing.sort((x, y) => depth(y) - depth(x))[0];
          expect(values[name]).toBe(best === undefined ? definition.default : definition.byRegion[best]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists every combination an enterprise can get: the defaults and each overriding region', () => {
    expect(parameterScenarios(refund)).toEqual([
      { region: null, values: { refundRatio: 0.6, cap: 300_000 } },
      { region: '330000', values: { refundRatio: 0.9, cap: 300_000 } },
      { region: '330100', values: { refundRatio: 1.0, cap: 300_000 } },
    ]);
  });
});
