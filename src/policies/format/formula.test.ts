import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Facts } from '../rules/evaluate.js';
import { compileFormula, FORMULA_PROBLEM_CODES, MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH, parseFormula, referencedFacts, roundToFen, type FormulaNames } from './formula.js';

const FACTS = ['taxableIncome', 'insuredEmployees', 'unemploymentInsurancePaid', 'ageMonths'];
const names: FormulaNames = { facts: FACTS, parameters: { refundRatio: { default: 0.6, byRegion: { '330000': 0.9 } }, cap: { default: 300000 } } };
const PARAMETER_VALUES = { refundRatio: 0.6, cap: 300000 };

function amountOf(text: string, facts: Facts = {}, parameters = PARAMETER_VALUES) {
  const compiled = compileFormula(text, names);
  if (!compiled.ok) throw new Error(`does not compile: ${JSON.stringify(compiled.problems)}`);
  return compiled.evaluate(facts, parameters);
}

const problemsOf = (text: string, with_: FormulaNames = names) => {
  const parsed = parseFormula(text, with_);
  return parsed.ok ? [] : parsed.problems.map((p) => `${p.code}@${p.position}`);
};

describe('benefit formulas, as a policy officer writes them', () => {
  it('computes the job-retention refund from the insurance paid and the region ratio', () => {
    expect(amountOf('unemploymentInsurancePaid * refundRatio', { unemploymentInsurancePaid: 86_400 })).toEqual({ amount: 51_840 });
    expect(amountOf('unemploymentInsurancePaid * refundRatio', { unemploymentInsurancePaid: 86_400 }, { ...PARAMETER_VALUES, refundRatio: 0.9 })).toEqual({ amount: 77_760 });
  });

  it('computes the small low-profit enterprise relief in two bands', () => {
    const formula = 'min(taxableIncome, 1000000) * 0.225 + max(taxableIncome - 1000000, 0) * 0.2';
    expect(amountOf(formula, { taxableIncome: 800_000 })).toEqual({ amount: 180_000 });
    expect(amountOf(formula, { taxableIncome: 2_500_000 })).toEqual({ amount: 525_000 });
  });

  it.each([
    ['2 + 3 * 4', 14],
    ['(2 + 3) * 4', 20],
    ['10 - 4 - 3', 3],
    ['10 - (4 - 3)', 9],
    ['8 / 4 / 2', 1],
    ['8 / (4 / 2)', 4],
    ['-2 * 3 + 10', 4],
    ['-(2 + 3)', -5],
    ['2 * -3', -6],
    ['--4', 4],
    ['10 - -4', 14],
    ['min(7, 3, 5)', 3],
    ['max(7, 3, 5) - min(1, 2)', 6],
    ['max(1)', 1],
    ['min(max(1, 2), 3) * 2', 4],
    ['1.5 * 2', 3],
  ])('%s = %d (precedence, associativity, min and max)', (text, expected) => {
    expect(amountOf(text)).toEqual({ amount: expected });
  });

  it('rounds to fen, half away from zero, without binary artefacts', () => {
    expect(amountOf('1.005')).toEqual({ amount: 1.01 });
    expect(amountOf('2.675')).toEqual({ amount: 2.68 });
    expect(amountOf('-1.005')).toEqual({ amount: -1.01 });
    expect(amountOf('0.1 + 0.2')).toEqual({ amount: 0.3 });
    expect(amountOf('10 / 3')).toEqual({ amount: 3.33 });
    expect(amountOf('-0.001')).toEqual({ amount: 0 });
    expect(roundToFen(123456789.125)).toBe(123456789.13);
  });

  it('a missing fact is never read as zero: every missing fact is named, in order of appearance', () => {
    const formula = 'max(taxableIncome - 1000, 0) + insuredEmployees * 0 + ageMonths';
    expect(amountOf(formula, { ageMonths: 12 })).toEqual({ missingFacts: ['taxableIncome', 'insuredEmployees'] });
    expect(amountOf(formula, { taxableIncome: 'lots' as unknown as number, insuredEmployees: 3, ageMonths: 1 })).toEqual({ missingFacts: ['taxableIncome'] });
    expect(amountOf(formula, { taxableIncome: 500, insuredEmployees: 3, ageMonths: 1 })).toEqual({ amount: 1 });
  });

  it('dividing by a fact that is zero is an error at evaluation, not Infinity', () => {
    expect(amountOf('unemploymentInsurancePaid / insuredEmployees', { unemploymentInsurancePaid: 100, insuredEmployees: 0 })).toEqual({ error: 'divisionByZero' });
    expect(amountOf('unemploymentInsurancePaid / insuredEmployees', { unemploymentInsurancePaid: 100, insuredEmployees: 3 })).toEqual({ amount: 33.33 });
  });

  it('a result too large to be a number is an error', () => {
    expect(amountOf('taxableIncome * 10', { taxableIncome: 1e308 })).toEqual({ error: 'nonFinite' });
  });

  it('names the facts a formula reads, once each', () => {
    const parsed = parseFormula('taxableIncome * refundRatio + min(ageMonths, taxableIncome) + 2 * 3', names);
    expect(parsed.ok && referencedFacts(parsed.ast)).toEqual(['taxableIncome', 'ageMonths']);
  });
});

describe('formula problems, each with its character position', () => {
  it.each([
    ['1 +', 'unexpectedEnd@3'],
    ['', 'unexpectedEnd@0'],
    ['(1 + 2', 'unexpectedEnd@6'],
    ['1 + 2)', 'unexpectedToken@5'],
    ['1 $ 2', 'unexpectedToken@2'],
    ['1 2', 'unexpectedToken@2'],
    ['taxableIncome * * 2', 'unexpectedToken@16'],
    ['1.', 'unexpectedEnd@2'],
    ['1.x', 'unexpectedToken@2'],
    ['min()', 'unexpectedToken@4'],
    ['min(1,)', 'unexpectedToken@6'],
    ['+1', 'unexpectedToken@0'],
    ['1 ＋ 2', 'unexpectedToken@2'],
    ['sqrt(taxableIncome)', 'unknownFunction@0'],
    ['taxableIncome * rebateRate', 'unknownIdentifier@16'],
    ['region * 2', 'unknownIdentifier@0'],
    ['taxableIncome / 0', 'divisionByZero@16'],
    ['taxableIncome / (3 - 3)', 'divisionByZero@17'],
    ['taxableIncome / (0 * 7)', 'divisionByZero@17'],
    ['1 / 0 + taxableIncome', 'divisionByZero@4'],
    [`1${'0'.repeat(400)}`, 'numberOutOfRange@0'],
  ])('%j → %s', (text, expected) => {
    expect(problemsOf(text)).toEqual([expected]);
  });

  it('reports every unknown name and function at once', () => {
    expect(problemsOf('foo + bar(taxableIncome) * baz')).toEqual(['unknownIdentifier@0', 'unknownFunction@6', 'unknownIdentifier@27']);
  });

  it('refuses a parameter divisor that is zero by default or in any region, naming where', () => {
    const zeroInZhejiang: FormulaNames = { facts: FACTS, parameters: { ratio: { default: 0.5, byRegion: { '330000': 0 } } } };
    expect(parseFormula('taxableIncome / ratio', zeroInZhejiang)).toEqual({ ok: false, problems: [{ code: 'divisionByZero', position: 16, detail: { region: '330000' } }] });
    const zeroByDefault: FormulaNames = { facts: FACTS, parameters: { ratio: { default: 0, byRegion: { '330000': 2 } } } };
    expect(parseFormula('taxableIncome / ratio', zeroByDefault)).toEqual({ ok: false, problems: [{ code: 'divisionByZero', position: 16, detail: { region: 'default' } }] });
    // Zero only where two regions' values combine: in Hangzhou a comes from 330100, b from 330000.
    const combined: FormulaNames = { facts: FACTS, parameters: { a: { default: 1, byRegion: { '330100': 3 } }, b: { default: 2, byRegion: { '330000': 3 } } } };
    expect(parseFormula('taxableIncome / (a - b)', combined)).toEqual({ ok: false, problems: [{ code: 'divisionByZero', position: 17, detail: { region: '330100' } }] });
    expect(problemsOf('taxableIncome / (a - 2 * b)', combined)).toEqual([]);
    // A divisor that reads a fact can only be judged for a given enterprise.
    expect(problemsOf('taxableIncome / (insuredEmployees * cap)')).toEqual([]);
  });

  it('limits length and nesting', () => {
    expect(problemsOf('1+'.repeat(MAX_FORMULA_LENGTH / 2) + '1')).toEqual([`tooLong@${MAX_FORMULA_LENGTH}`]);
    expect(problemsOf(`${'('.repeat(MAX_FORMULA_DEPTH)}1${')'.repeat(MAX_FORMULA_DEPTH)}`)).toEqual([]);
    expect(problemsOf(`${'('.repeat(MAX_FORMULA_DEPTH + 1)}1${')'.repeat(MAX_FORMULA_DEPTH + 1)}`)).toEqual([`tooDeep@${MAX_FORMULA_DEPTH}`]);
    expect(problemsOf(`${'-'.repeat(MAX_FORMULA_DEPTH + 1)}1`)).toEqual([`tooDeep@${MAX_FORMULA_DEPTH}`]);
    expect(problemsOf(`${'min('.repeat(MAX_FORMULA_DEPTH + 1)}1${')'.repeat(MAX_FORMULA_DEPTH + 1)}`)).toEqual([`tooDeep@${MAX_FORMULA_DEPTH * 4}`]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: generated trees against an evaluation written independently of the compiler

type Tree =
  | { kind: 'number'; value: number }
  | { kind: 'fact'; name: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'negate'; operand: Tree }
  | { kind: 'binary'; operator: '+' | '-' | '*' | '/'; left: Tree; right: Tree }
  | { kind: 'call'; name: 'min' | 'max'; args: Tree[] };

const TREE_FACTS = ['taxableIncome', 'insuredEmployees', 'ageMonths'];
const TREE_PARAMETERS = { refundRatio: 0.6, zeroed: 0, cap: 3 };
const treeNames: FormulaNames = {
  facts: TREE_FACTS,
  parameters: Object.fromEntries(Object.entries(TREE_PARAMETERS).map(([name, value]) => [name, { default: value }])),
};

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }).map((n): Tree => ({ kind: 'number', value: n / 100 })),
      fc.constantFrom(0, 1, 2, 10).map((value): Tree => ({ kind: 'number', value })),
    ),
    fc.constantFrom(...TREE_FACTS).map((name): Tree => ({ kind: 'fact', name })),
    fc.constantFrom(...Object.keys(TREE_PARAMETERS)).map((name): Tree => ({ kind: 'parameter', name })),
    tie('tree').map((operand): Tree => ({ kind: 'negate', operand })),
    fc.record({ kind: fc.constant('binary' as const), operator: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const), left: tie('tree'), right: tie('tree') }),
    fc.record({ kind: fc.constant('call' as const), name: fc.constantFrom('min' as const, 'max' as const), args: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
  ),
}));

const PRECEDENCE = { '+': 1, '-': 1, '*': 2, '/': 2 } as const;
const precedenceOf = (node: Tree) => (node.kind === 'binary' ? PRECEDENCE[node.operator] : 3);

/** Prints with as few parentheses as keep the tree, so parsing must get precedence right. */
function print(node: Tree, space: () => string): string {
  switch (node.kind) {
    case 'number':
      return String(node.value);
    case 'fact':
    case 'parameter':
      return node.name;
    case 'negate': {
      const operand = print(node.operand, space);
      return node.operand.kind === 'binary' ? `-(${operand})` : `-${operand}`;
    }
    case 'binary': {
      const own = PRECEDENCE[node.operator];
      const left = print(node.left, space);
      const right = print(node.right, space);
      // The right side also needs them at equal precedence: a - (b - c), and a + (b + c) is not
      // (a + b) + c in floating point.
      return `${precedenceOf(node.left) < own ? `(${left})` : left}${space()}${node.operator}${space()}${precedenceOf(node.right) <= own ? `(${right})` : right}`;
    }
    case 'call':
      return `${node.name}(${node.args.map((arg) => print(arg, space)).join(`,${space()}`)})`;
  }
}

class DividedByZero extends Error {}

function evaluateTree(node: Tree, facts: Record<string, number>): number {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'fact':
      return facts[node.name]!;
    case 'parameter':
      return TREE_PARAMETERS[node.name as keyof typeof TREE_PARAMETERS];
    case 'negate':
      return -evaluateTree(node.operand, facts);
    case 'binary': {
      const left = evaluateTree(node.left, facts);
      const right = evaluateTree(node.right, facts);
      if (node.operator === '/' && right === 0) throw new DividedByZero();
      return node.operator === '+' ? left + right : node.operator === '-' ? left - right : node.operator === '*' ? left * right : left / right;
    }
    case 'call': {
      const values = node.args.map((arg) => evaluateTree(arg, facts));
      return node.name === 'min' ? Math.min(...values) : Math.max(...values);
    }
  }
}

const readsFacts = (node: Tree): boolean =>
  node.kind === 'fact' || (node.kind === 'negate' && readsFacts(node.operand)) || (node.kind === 'binary' && (readsFacts(node.left) || readsFacts(node.right))) || (node.kind === 'call' && node.args.some(readsFacts));

/** Whether some divisor reads no fact and is zero: such a formula must be refused when parsed. */
function hasConstantZeroDivisor(node: Tree): boolean {
  switch (node.kind) {
    case 'negate':
      return hasConstantZeroDivisor(node.operand);
    case 'call':
      return node.args.some(hasConstantZeroDivisor);
    case 'binary': {
      if (hasConstantZeroDivisor(node.left) || hasConstantZeroDivisor(node.right)) return true;
      if (node.operator !== '/' || readsFacts(node.right)) return false;
      try {
        return evaluateTree(node.right, {}) === 0;
      } catch {
        return true;
      }
    }
    default:
      return false;
  }
}

function factsInOrder(node: Tree, into: string[] = []): string[] {
  if (node.kind === 'fact' && !into.includes(node.name)) into.push(node.name);
  if (node.kind === 'negate') factsInOrder(node.operand, into);
  if (node.kind === 'binary') {
    factsInOrder(node.left, into);
    factsInOrder(node.right, into);
  }
  if (node.kind === 'call') node.args.forEach((arg) => factsInOrder(arg, into));
  return into;
}

const factValues = fc.record(
  { taxableIncome: fc.oneof(fc.constant(0), fc.integer({ min: -1_000_000, max: 100_000_000 })), insuredEmployees: fc.integer({ min: 0, max: 5000 }), ageMonths: fc.integer({ min: 0, max: 600 }) },
  { requiredKeys: [] },
);

describe('formula properties', () => {
  it('a generated tree, printed and compiled, evaluates as the tree itself does', () => {
    fc.assert(
      fc.property(tree, factValues, fc.array(fc.constantFrom('', ' ', '  ', '\n'), { minLength: 1 }), (generated, facts, spaces) => {
        let turn = 0;
        const text = print(generated, () => spaces[turn++ % spaces.length]!);
        const compiled = compileFormula(text, treeNames);
        if (hasConstantZeroDivisor(generated)) {
          expect(compiled.ok ? [] : compiled.problems.map((p) => p.code)).toContain('divisionByZero');
          return;
        }
        if (!compiled.ok) throw new Error(`${text}: ${JSON.stringify(compiled.problems)}`);
        const outcome = compiled.evaluate(facts, TREE_PARAMETERS);
        const missing = factsInOrder(generated).filter((name) => !(name in facts));
        if (missing.length) return void expect(outcome).toEqual({ missingFacts: missing });
        let value: number;
        try {
          value = evaluateTree(generated, facts as Record<string, number>);
        } catch (error) {
          if (!(error instanceof DividedByZero)) throw error;
          return void expect(outcome).toEqual({ error: 'divisionByZero' });
        }
        expect(outcome).toEqual(Number.isFinite(value) ? { amount: roundToFen(value) } : { error: 'nonFinite' });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on any text: it parses, or it returns problems with positions inside the text', () => {
    const formulaish = fc.string({ unit: fc.constantFrom('1', '0', '.', 'a', 'taxableIncome', 'min', 'max', 'cap', '(', ')', ',', '+', '-', '*', '/', ' ', '$'), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), formulaish), (text) => {
        const parsed = parseFormula(text, treeNames);
        if (parsed.ok) return;
        expect(parsed.problems.length).toBeGreaterThan(0);
        for (const problem of parsed.problems) {
          expect(FORMULA_PROBLEM_CODES).toContain(problem.code);
          expect(problem.position).toBeGreaterThanOrEqual(0);
          expect(problem.position).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
