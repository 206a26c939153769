import { describe, expect, it } from 'vitest';
import { translator } from '../../core/i18n.js';
import type { Leaf } from '../rules/evaluate.js';
import { NONE_OF_THESE, parseAnswer, parseAnswers, questionsToAsk, regionFromChoice } from './answers.js';
import { actualText, conditionLabel, conditionSentence, factNoun, formatValue, periodText, vocabulary } from './describe.js';

const zh = vocabulary('zh-CN', translator('zh-CN'), [
  { name: 'monthlyRent', type: 'number', label: { 'zh-CN': '承租国有房屋的月租金（元）', en: 'Monthly rent for state-owned premises (yuan)' } },
  { name: 'graduatesHired', type: 'number', label: { 'zh-CN': '本年度招用的高校毕业生人数', en: 'Graduates hired this year' } },
  { name: 'sector', type: { oneOf: ['catering', 'retail'] }, label: { 'zh-CN': '所在行业', en: 'Sector' } },
]);
const en = vocabulary('en', translator('en'), zh.declared.values());
const sentence = (leaf: Omit<Leaf, 'label'>) => [conditionSentence(zh, leaf), conditionSentence(en, leaf)];

describe('conditions and values in words', () => {
  it('says every operator as a sentence, with units, names and labels instead of codes', () => {
    expect(sentence({ fact: 'taxableIncome', op: 'lte', value: 3_000_000 })).toEqual(['应纳税所得额不超过3,000,000元', 'Taxable income at most 3,000,000 yuan']);
    expect(sentence({ fact: 'employees', op: 'between', value: [1, 300] })).toEqual(['从业人员数在1人至300人之间', 'Employees between 1 and 300']);
    expect(sentence({ fact: 'layoffRate', op: 'lt', value: 5.5 })).toEqual(['裁员率低于5.5%', 'Layoff rate below 5.5%']);
    expect(sentence({ fact: 'ageMonths', op: 'gte', value: 12 })).toEqual(['成立月数不低于12个月', 'Months since establishment at least 12 months']);
    expect(sentence({ fact: 'establishedOn', op: 'gte', value: '2020-01-01' })).toEqual(['成立日期不早于2020-01-01', 'Date established on or after 2020-01-01']);
    expect(sentence({ fact: 'establishedOn', op: 'lt', value: '2020-01-01' })[1]).toBe('Date established before 2020-01-01');
    expect(sentence({ fact: 'region', op: 'within', value: ['310000', '330106'] })).toEqual(['所在地区位于上海市或浙江省 杭州市 西湖区', 'Region in 上海市 or 浙江省 杭州市 西湖区']);
    expect(sentence({ fact: 'region', op: 'within', value: '100000' })[0]).toBe('所在地区位于全国');
    expect(sentence({ fact: 'industry', op: 'prefix', value: ['62', 'H'] })).toEqual(['所属行业属于餐饮业（62）或住宿和餐饮业（H）', 'Industry within 餐饮业 (62) or 住宿和餐饮业 (H)']);
    expect(sentence({ fact: 'entityType', op: 'in', value: ['enterprise', 'individualBusiness'] })).toEqual(['主体类型为企业或个体工商户', 'Type of entity is Enterprise or Individual business']);
    expect(sentence({ fact: 'entityType', op: 'notIn', value: ['publicInstitution'] })[0]).toBe('主体类型不是事业单位');
    expect(sentence({ fact: 'taxpayerType', op: 'eq', value: 'smallScale' })).toEqual(['纳税人类型为小规模纳税人', 'Taxpayer type is Small-scale taxpayer']);
    expect(sentence({ fact: 'taxCreditRating', op: 'in', value: ['A', 'B'] })).toEqual(['纳税信用等级为A 级或B 级', 'Tax credit rating is grade A or grade B']);
    expect(sentence({ fact: 'untrustworthy', op: 'eq', value: false })).toEqual(['列入失信名单：否', 'On the untrustworthy list: no']);
    expect(sentence({ fact: 'untrustworthy', op: 'ne', value: false })[0]).toBe('列入失信名单：是');
    expect(sentence({ fact: 'qualifications', op: 'has', value: ['高新技术企业', '科技型中小企业'] })).toEqual(['资质认定包括高新技术企业、科技型中小企业', 'Qualifications include 高新技术企业, 科技型中小企业']);
    expect(sentence({ fact: 'taxableIncome', op: 'exists', value: true })).toEqual(['已提供应纳税所得额', 'Taxable income known']);
    expect(sentence({ fact: 'taxableIncome', op: 'exists', value: false })[1]).toBe('Taxable income not known');
  });

  it('reads declared facts through their declarations: label, unit and values', () => {
    expect(factNoun(zh, 'monthlyRent')).toBe('承租国有房屋的月租金');
    expect(factNoun(en, 'monthlyRent')).toBe('Monthly rent for state-owned premises');
    expect(conditionSentence(zh, { fact: 'monthlyRent', op: 'gt', value: 10_000.5 })).toBe('承租国有房屋的月租金超过10,000.5元');
    expect(conditionSentence(en, { fact: 'graduatesHired', op: 'gte', value: 1 })).toBe('Graduates hired this year at least 1');
    expect(conditionSentence(zh, { fact: 'sector', op: 'eq', value: 'retail' })).toBe('所在行业为retail');
    // A fact nobody declared is shown by its name rather than hidden.
    expect(conditionSentence(en, { fact: 'mystery', op: 'eq', value: 3 })).toBe('mystery is 3');
  });

  it('prefers the policy’s own label, and says when a value was not given', () => {
    const label = { 'zh-CN': '小型微利企业', en: 'A small low-profit enterprise' };
    expect(conditionLabel(en, { fact: 'taxableIncome', op: 'lte', value: 3_000_000, label })).toBe('A small low-profit enterprise');
    expect(conditionLabel(en, { fact: 'taxableIncome', op: 'lte', value: 3_000_000, label: null })).toBe('Taxable income at most 3,000,000 yuan');
    expect(actualText(zh, 'employees', null)).toBe('未提供');
    expect(actualText(en, 'qualifications', [])).toBe('none');
    expect(formatValue(zh, 'industry', '6513')).toBe('应用软件开发（6513）');
    expect(formatValue(en, 'region', '310115')).toBe('上海市 浦东新区');
    expect(periodText(translator('en'), { from: '2023-01-01', to: null })).toBe('from 2023-01-01, open-ended');
  });
});

describe('answers typed into the forms', () => {
  it('reads each type, refusing what does not fit and leaving blanks missing', () => {
    expect(parseAnswer('1,200,000', 'number')).toEqual({ value: 1_200_000 });
    expect(parseAnswer(' 3.5 ', 'number')).toEqual({ value: 3.5 });
    expect(parseAnswer('', 'number')).toEqual({});
    expect(parseAnswer('many', 'number')).toEqual({ problem: 'policies.pages.input.number' });
    expect(parseAnswer('2021-02-30', 'date')).toEqual({ problem: 'policies.pages.input.date' });
    expect(parseAnswer('false', 'boolean')).toEqual({ value: false });
    expect(parseAnswer('9999', 'industry')).toEqual({ problem: 'policies.pages.input.industry' });
    expect(parseAnswer('6513', 'industry')).toEqual({ value: '6513' });
    expect(parseAnswer('999999', 'region')).toEqual({ problem: 'policies.pages.input.region' });
    expect(parseAnswer('smallScale', { oneOf: ['general', 'smallScale'] })).toEqual({ value: 'smallScale' });
    expect(parseAnswer('tiny', { oneOf: ['general', 'smallScale'] })).toEqual({ problem: 'policies.pages.input.choice' });
    expect(parseAnswer(['高新技术企业', ''], 'list')).toEqual({ value: ['高新技术企业'] });
    // "None of these" is an answer (an empty list); an untouched box is not.
    expect(parseAnswer([NONE_OF_THESE], 'list')).toEqual({ value: [] });
    expect(parseAnswer(undefined, 'list')).toEqual({});
  });

  it('collects every problem at once, named by the input', () => {
    const { answers, problems } = parseAnswers({ 'q-employees': 'x', 'q-taxableIncome': '10', 'q-industry': '' }, { employees: 'number', taxableIncome: 'number', industry: 'industry' }, (fact) => `q-${fact}`);
    expect(answers).toEqual({ taxableIncome: 10 });
    expect(problems).toEqual([{ field: 'q-employees', message: 'policies.pages.input.number' }]);
  });

  it('asks for what a derived fact comes from, once, keeping the order of usefulness', () => {
    const rent = { 'zh-CN': '月租金（元）', en: 'Monthly rent (yuan)' };
    const asked = questionsToAsk([
      { fact: 'ageMonths', label: null },
      { fact: 'monthlyRent', label: rent },
      { fact: 'establishedOn', label: null },
      { fact: 'industrySection', label: null },
    ]);
    expect(asked).toEqual([
      { fact: 'establishedOn', label: null },
      { fact: 'monthlyRent', label: rent },
      { fact: 'industry', label: null },
    ]);
  });

  it('takes the county within the chosen province, else the province', () => {
    expect(regionFromChoice('310000', '310115')).toBe('310115');
    expect(regionFromChoice('330000', '310115')).toBe('330000');
    expect(regionFromChoice('310000', '')).toBe('310000');
    expect(regionFromChoice('', '310115')).toBe('310115');
    expect(regionFromChoice('999999', '888888')).toBeUndefined();
  });
});
