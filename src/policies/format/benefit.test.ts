import { describe, expect, it } from 'vitest';
import { computeBenefit } from './benefit.js';

const retention = {
  benefit: { description: { 'zh-CN': '返还', en: 'Refund' }, formula: 'min(unemploymentInsurancePaid * refundRatio, insuredEmployees * cap)' },
  parameters: { refundRatio: { default: 0.6, byRegion: { '330000': 0.9 } }, cap: { default: 1500 } },
};

describe('the benefit an enterprise would receive', () => {
  it('uses the parameters of the enterprise region', () => {
    const facts = { unemploymentInsurancePaid: 86_400, insuredEmployees: 120 };
    expect(computeBenefit(retention, facts, '330106')).toEqual({ amount: 77_760 });
    expect(computeBenefit(retention, facts, '440305')).toEqual({ amount: 51_840 });
    expect(computeBenefit(retention, { ...facts, insuredEmployees: 10 }, '330106')).toEqual({ amount: 15_000 });
  });

  it('names missing facts instead of reading them as zero', () => {
    expect(computeBenefit(retention, { unemploymentInsurancePaid: 86_400 }, '330106')).toEqual({ missingFacts: ['insuredEmployees'] });
  });

  it('is null for a policy without a formula, and reads declared facts by name', () => {
    expect(computeBenefit({ benefit: { description: { 'zh-CN': '免租', en: 'Rent waived' } } }, {}, '310115')).toBeNull();
    expect(computeBenefit({ benefit: { description: { 'zh-CN': '免租', en: 'Rent waived' }, formula: 'monthlyRent * 6' } }, { monthlyRent: 25_000 }, '310115')).toEqual({ amount: 150_000 });
  });

  it('follows a formula changed on the same policy object', () => {
    const policy = { benefit: { description: { 'zh-CN': '补贴', en: 'Subsidy' }, formula: 'insuredEmployees * 100' } };
    expect(computeBenefit(policy, { insuredEmployees: 3 }, null)).toEqual({ amount: 300 });
    policy.benefit.formula = 'insuredEmployees * 200';
    expect(computeBenefit(policy, { insuredEmployees: 3 }, null)).toEqual({ amount: 600 });
  });
});
