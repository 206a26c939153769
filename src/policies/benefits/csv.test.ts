import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from './csv.js';
import { yuanText } from './money.js';

describe('CSV for spreadsheets', () => {
  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 12.5])).toBe('a,"b,c","say ""hi""","two\nlines",,12.5\r\n');
  });

  it('keeps a name from starting a formula', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+86 公司')).toBe("'+86 公司");
    expect(csvField('-12')).toBe("'-12");
    // Numbers are written as numbers: a negative amount stays a number.
    expect(csvField(-12)).toBe('-12');
  });
});

describe('amounts in fen as yuan text', () => {
  it('gives exactly two decimals without float artefacts', () => {
    expect(yuanText(0)).toBe('0.00');
    expect(yuanText(5)).toBe('0.05');
    expect(yuanText(123450)).toBe('1234.50');
    expect(yuanText(-5)).toBe('-0.05');
    expect(yuanText(1_000_000_000_01)).toBe('1000000000.01');
  });
});
