import { describe, expect, it } from 'vitest';
import { indexTerms, queryTerms } from './terms.js';

describe('search terms', () => {
  it('index Chinese by characters and character pairs, so a domain word is found whole or in part', () => {
    const indexed = new Set(indexTerms('个体工商户设立登记'));
    for (const query of ['个体工商户', '个体', '工商户', '设立登记', '户']) {
      expect(queryTerms(query).every((term) => indexed.has(term)), query).toBe(true);
    }
    expect(queryTerms('营业执照')).toEqual(['营业', '业执', '执照']);
    // Characters that are there but not next to each other do not make a pair.
    expect(queryTerms('个户').every((term) => indexed.has(term))).toBe(false);
  });

  it('split mixed text into Chinese runs and Latin words, folding width and case and dropping stop words', () => {
    expect(queryTerms('Food Business Licence 食品 经营')).toEqual(['food', 'business', 'licence', '食品', '经营']);
    expect(queryTerms('ＳＨ－ＰＤ　营业执照')).toEqual(['sh', 'pd', '营业', '业执', '执照']);
    expect(queryTerms('registration of a birth')).toEqual(['registration', 'birth']);
    expect(queryTerms('，。！')).toEqual([]);
  });
});
