import type { Facts } from '../rules/evaluate.js';
import { parameterScenarios, type ParameterDefinitions, type ParameterValues } from './parameters.js';

/**
 * Benefit formulas: a small arithmetic language over numeric facts and policy parameters, e.g.
 * `min(unemploymentInsurancePaid * refundRatio, insuredEmployees * 1500)`.
 *
 *   expression := term (("+" | "-") term)*
 *   term       := unary (("*" | "/") unary)*
 *   unary      := "-" unary | primary
 *   primary    := number | name | ("min" | "max") "(" expression ("," expression)* ")" | "(" expression ")"
 *   number     := digits ["." digits]
 *   name       := letter (letter | digit | "_")*
 *
 * Text is tokenized and parsed by recursive descent into a tree, which is folded (constant
 * sub-expressions computed once) and compiled into closures. Nothing is ever handed to eval or
 * Function, so a formula from an imported file can compute and nothing else.
 */

export const MAX_FORMULA_LENGTH = 1000;
/** Nesting of parentheses, calls and unary minus; deeper text is not a formula anyone writes. */
export const MAX_FORMULA_DEPTH = 32;
export const FORMULA_FUNCTIONS = ['min', 'max'] as const;
export type FormulaFunction = (typeof FORMULA_FUNCTIONS)[number];
export type BinaryOperator = '+' | '-' | '*' | '/';

export type FormulaNode =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'fact'; name: string; position: number }
  | { kind: 'parameter'; name: string; position: number }
  | { kind: 'negate'; operand: FormulaNode; position: number }
  | { kind: 'binary'; operator: BinaryOperator; left: FormulaNode; right: FormulaNode; position: number }
  | { kind: 'call'; name: FormulaFunction; args: FormulaNode[]; position: number };

export const FORMULA_PROBLEM_CODES = [
  'unexpectedToken',
  'unexpectedEnd',
  'unknownFunction',
  'unknownIdentifier',
  'divisionByZero',
  'numberOutOfRange',
  'tooLong',
  'tooDeep',
] as const;
export type FormulaProblemCode = (typeof FORMULA_PROBLEM_CODES)[number];

export interface FormulaProblem {
  code: FormulaProblemCode;
  /** Offset of the offending character in the formula text, from 0. */
  position: number;
  detail?: Record<string, string | number>;
}

export interface FormulaNames {
  /** Numeric facts a formula may read: a list of names or a test of a name. */
  facts: Iterable<string> | ((name: string) => boolean);
  /** The policy's parameters; a name that is a parameter is read as one even if a fact has it too. */
  parameters?: ParameterDefinitions;
}

export type FormulaOutcome = { amount: number } | { missingFacts: string[] } | { error: 'divisionByZero' | 'nonFinite' };
export type FormulaEvaluator = (facts: Facts, parameters: ParameterValues) => FormulaOutcome;

export type ParsedFormula = { ok: true; ast: FormulaNode } | { ok: false; problems: FormulaProblem[] };
export type CompiledFormula =
  | { ok: true; ast: FormulaNode; referencedFacts: string[]; evaluate: FormulaEvaluator }
  | { ok: false; problems: FormulaProblem[] };

// ---------------------------------------------------------------------------------------------
// Tokens

type Token =
  | { type: 'number'; text: string; position: number }
  | { type: 'name'; text: string; position: number }
  | { type: 'symbol'; text: '+' | '-' | '*' | '/' | '(' | ')' | ','; position: number }
  | { type: 'end'; text: ''; position: number };

/** Stops the descent at the first syntax error; never escapes `parseFormula`. */
class SyntaxProblem {
  constructor(readonly problem: FormulaProblem) {}
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (isDigit(c)) {
      const start = i;
      while (i < text.length && isDigit(text[i]!)) i++;
      if (text[i] === '.') {
        i++;
        if (i >= text.length) throw new SyntaxProblem({ code: 'unexpectedEnd', position: i });
        if (!isDigit(text[i]!)) throw new SyntaxProblem({ code: 'unexpectedToken', position: i, detail: { token: text[i]! } });
        while (i < text.length && isDigit(text[i]!)) i++;
      }
      tokens.push({ type: 'number', text: text.slice(start, i), position: start });
    } else if (isLetter(c)) {
      const start = i;
      while (i < text.length && (isLetter(text[i]!) || isDigit(text[i]!) || text[i] === '_')) i++;
      tokens.push({ type: 'name', text: text.slice(start, i), position: start });
    } else if ('+-*/(),'.includes(c)) {
      tokens.push({ type: 'symbol', text: c as '+', position: i });
      i++;
    } else {
      // A whole code point, so that "＋" or an emoji is named as the reader sees it.
      const character = String.fromCodePoint(text.codePointAt(i)!);
      throw new SyntaxProblem({ code: 'unexpectedToken', position: i, detail: { token: character } });
    }
  }
  tokens.push({ type: 'end', text: '', position: text.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
  private index = 0;
  private depth = 0;
  /** Problems that do not stop parsing (unknown names), so that one pass names all of them. */
  readonly problems: FormulaProblem[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly isFact: (name: string) => boolean,
    private readonly parameters: ParameterDefinitions,
  ) {}

  parse(): FormulaNode {
    const node = this.expression();
    const next = this.peek();
    if (next.type !== 'end') throw this.unexpected(next);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.index]!;
  }

  private advance(): Token {
    return this.tokens[this.index++]!;
  }

  private isSymbol(text: string): boolean {
    const token = this.peek();
    return token.type === 'symbol' && token.text === text;
  }

  private unexpected(token: Token): SyntaxProblem {
    return new SyntaxProblem(token.type === 'end' ? { code: 'unexpectedEnd', position: token.position } : { code: 'unexpectedToken', position: token.position, detail: { token: token.text } });
  }

  private expect(text: string): void {
    if (!this.isSymbol(text)) throw this.unexpected(this.peek());
    this.advance();
  }

  private nested<T>(position: number, parse: () => T): T {
    if (++this.depth > MAX_FORMULA_DEPTH) throw new SyntaxProblem({ code: 'tooDeep', position, detail: { limit: MAX_FORMULA_DEPTH } });
    const result = parse();
    this.depth--;
    return result;
  }

  private expression(): FormulaNode {
    let left = this.term();
    while (this.isSymbol('+') || this.isSymbol('-')) {
      const operator = this.advance();
      left = { kind: 'binary', operator: operator.text as BinaryOperator, left, right: this.term(), position: operator.position };
    }
    return left;
  }

  private term(): FormulaNode {
    let left = this.unary();
    while (this.isSymbol('*') || this.isSymbol('/')) {
      const operator = this.advance();
      left = { kind: 'binary', operator: operator.text as BinaryOperator, left, right: this.unary(), position: operator.position };
    }
    return left;
  }

  private unary(): FormulaNode {
    if (this.isSymbol('-')) {
      const minus = this.advance();
      return this.nested(minus.position, () => ({ kind: 'negate', operand: this.unary(), position: minus.position }));
    }
    return this.primary();
  }

  private primary(): FormulaNode {
    const token = this.advance();
    if (token.type === 'number') {
      const value = Number(token.text);
      if (!Number.isFinite(value)) this.problems.push({ code: 'numberOutOfRange', position: token.position });
      return { kind: 'number', value, position: token.position };
    }
    if (token.type === 'name') {
      if (this.isSymbol('(')) return this.call(token);
      if (Object.hasOwn(this.parameters, token.text)) return { kind: 'parameter', name: token.text, position: token.position };
      if (!this.isFact(token.text)) this.problems.push({ code: 'unknownIdentifier', position: token.position, detail: { name: token.text } });
      return { kind: 'fact', name: token.text, position: token.position };
    }
    if (token.type === 'symbol' && token.text === '(') {
      const inner = this.nested(token.position, () => this.expression());
      this.expect(')');
      return inner;
    }
    this.index--;
    throw this.unexpected(token);
  }

  private call(name: Token): FormulaNode {
    const known = (FORMULA_FUNCTIONS as readonly string[]).includes(name.text);
    if (!known) this.problems.push({ code: 'unknownFunction', position: name.position, detail: { name: name.text } });
    this.advance(); // "("
    const args = this.nested(name.position, () => {
      const list = [this.expression()];
      while (this.isSymbol(',')) {
        this.advance();
        list.push(this.expression());
      }
      return list;
    });
    this.expect(')');
    return { kind: 'call', name: (known ? name.text : 'min') as FormulaFunction, args, position: name.position };
  }
}

function factTest(facts: FormulaNames['facts']): (name: string) => boolean {
  if (typeof facts === 'function') return facts;
  const names = new Set(facts);
  return (name) => names.has(name);
}

/**
 * Parses and checks a formula: syntax, names, and divisors that are zero whatever the enterprise
 * (a constant zero, or parameters that are zero in some region). Never throws; every problem
 * carries the character position it was found at.
 */
export function parseFormula(text: string, names: FormulaNames): ParsedFormula {
  if (text.length > MAX_FORMULA_LENGTH) return { ok: false, problems: [{ code: 'tooLong', position: MAX_FORMULA_LENGTH, detail: { limit: MAX_FORMULA_LENGTH } }] };
  const parameters = names.parameters ?? {};
  let parser: Parser;
  let ast: FormulaNode;
  try {
    parser = new Parser(tokenize(text), factTest(names.facts), parameters);
    ast = parser.parse();
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, problems: [error.problem] };
    throw error;
  }
  const problems = [...parser.problems];
  if (problems.length === 0) {
    ast = fold(ast);
    problems.push(...zeroDivisors(ast, parameters));
  }
  problems.sort((a, b) => a.position - b.position);
  return problems.length ? { ok: false, problems } : { ok: true, ast };
}

// ---------------------------------------------------------------------------------------------
// Folding and checks

function apply(operator: BinaryOperator, left: number, right: number): number {
  switch (operator) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
  }
}

/**
 * Computes sub-expressions without names once, at parse time. The operations and their order are
 * exactly those the evaluator would perform, so folding never changes a result.
 */
function fold(node: FormulaNode): FormulaNode {
  switch (node.kind) {
    case 'number':
    case 'fact':
    case 'parameter':
      return node;
    case 'negate': {
      const operand = fold(node.operand);
      return operand.kind === 'number' ? { kind: 'number', value: -operand.value, position: node.position } : { ...node, operand };
    }
    case 'binary': {
      const left = fold(node.left);
      const right = fold(node.right);
      // A constant zero divisor is kept so that it is reported, not folded into Infinity.
      if (left.kind === 'number' && right.kind === 'number' && !(node.operator === '/' && right.value === 0)) {
        return { kind: 'number', value: apply(node.operator, left.value, right.value), position: left.position };
      }
      return { ...node, left, right };
    }
    case 'call': {
      const args = node.args.map(fold);
      if (args.every((arg) => arg.kind === 'number')) {
        const values = args.map((arg) => (arg as { value: number }).value);
        return { kind: 'number', value: node.name === 'min' ? Math.min(...values) : Math.max(...values), position: node.position };
      }
      return { ...node, args };
    }
  }
}

function startOf(node: FormulaNode): number {
  switch (node.kind) {
    case 'binary':
      return startOf(node.left);
    default:
      return node.position;
  }
}

function mentionsFacts(node: FormulaNode): boolean {
  switch (node.kind) {
    case 'fact':
      return true;
    case 'number':
    case 'parameter':
      return false;
    case 'negate':
      return mentionsFacts(node.operand);
    case 'binary':
      return mentionsFacts(node.left) || mentionsFacts(node.right);
    case 'call':
      return node.args.some(mentionsFacts);
  }
}

/** A fact-free value with the given parameter values; null when a division by zero happens inside. */
function constantValue(node: FormulaNode, parameters: ParameterValues): number | null {
  switch (node.kind) {
    case 'number':
      return node.value;
    case 'parameter':
      return parameters[node.name] ?? null;
    case 'fact':
      return null;
    case 'negate': {
      const operand = constantValue(node.operand, parameters);
      return operand === null ? null : -operand;
    }
    case 'binary': {
      const left = constantValue(node.left, parameters);
      const right = constantValue(node.right, parameters);
      if (left === null || right === null || (node.operator === '/' && right === 0)) return null;
      return apply(node.operator, left, right);
    }
    case 'call': {
      const values = node.args.map((arg) => constantValue(arg, parameters));
      if (values.some((value) => value === null)) return null;
      return node.name === 'min' ? Math.min(...(values as number[])) : Math.max(...(values as number[]));
    }
  }
}

/** Divisors that read no fact and are zero for the defaults or in some overriding region. */
function zeroDivisors(ast: FormulaNode, parameters: ParameterDefinitions): FormulaProblem[] {
  const problems: FormulaProblem[] = [];
  const scenarios = parameterScenarios(parameters);
  const visit = (node: FormulaNode): void => {
    switch (node.kind) {
      case 'negate':
        return visit(node.operand);
      case 'call':
        return node.args.forEach(visit);
      case 'binary': {
        visit(node.left);
        visit(node.right);
        if (node.operator !== '/' || mentionsFacts(node.right)) return;
        for (const scenario of scenarios) {
          if (constantValue(node.right, scenario.values) === 0) {
            const position = startOf(node.right);
            // For a parameter, say where it is zero: "default" or the overriding region.
            problems.push(node.right.kind === 'number' ? { code: 'divisionByZero', position } : { code: 'divisionByZero', position, detail: { region: scenario.region ?? 'default' } });
            return;
          }
        }
        return;
      }
      default:
        return;
    }
  };
  visit(ast);
  return problems;
}

/** The facts a formula reads, each once, in the order they first appear. */
export function referencedFacts(ast: FormulaNode): string[] {
  const seen = new Set<string>();
  const visit = (node: FormulaNode): void => {
    switch (node.kind) {
      case 'fact':
        seen.add(node.name);
        return;
      case 'negate':
        return visit(node.operand);
      case 'binary':
        visit(node.left);
        return visit(node.right);
      case 'call':
        return node.args.forEach(visit);
      default:
        return;
    }
  };
  visit(ast);
  return [...seen];
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Thrown inside the closures only, and caught by the evaluator that runs them. */
const DIVISION_BY_ZERO = Symbol('divisionByZero');

type Closure = (facts: Facts, parameters: ParameterValues) => number;

function toClosure(node: FormulaNode): Closure {
  switch (node.kind) {
    case 'number': {
      const value = node.value;
      return () => value;
    }
    case 'fact': {
      const name = node.name;
      // Presence and type are checked before any closure runs.
      return (facts) => facts[name] as number;
    }
    case 'parameter': {
      const name = node.name;
      return (_facts, parameters) => {
        const value = parameters[name];
        if (value === undefined) throw new Error(`Formula parameter ${name} was not given a value`);
        return value;
      };
    }
    case 'negate': {
      const operand = toClosure(node.operand);
      return (facts, parameters) => -operand(facts, parameters);
    }
    case 'binary':
      return binaryClosure(node.operator, toClosure(node.left), toClosure(node.right));
    case 'call': {
      const args = node.args.map(toClosure);
      const pick = node.name === 'min' ? Math.min : Math.max;
      return (facts, parameters) => {
        let result = args[0]!(facts, parameters);
        for (let i = 1; i < args.length; i++) result = pick(result, args[i]!(facts, parameters));
        return result;
      };
    }
  }
}

function binaryClosure(operator: BinaryOperator, left: Closure, right: Closure): Closure {
  switch (operator) {
    case '+':
      return (facts, parameters) => left(facts, parameters) + right(facts, parameters);
    case '-':
      return (facts, parameters) => left(facts, parameters) - right(facts, parameters);
    case '*':
      return (facts, parameters) => left(facts, parameters) * right(facts, parameters);
    case '/':
      return (facts, parameters) => {
        const dividend = left(facts, parameters);
        const divisor = right(facts, parameters);
        if (divisor === 0) throw DIVISION_BY_ZERO;
        return dividend / divisor;
      };
  }
}

/**
 * Rounds to fen (two decimals), half away from zero as 四舍五入 does. The scaled value is first
 * cut to 15 significant digits so that 1.005 (stored as 1.00499999...) rounds to 1.01.
 */
export function roundToFen(value: number): number {
  const fast = Math.abs(value) * 100;
  const fraction = fast - Math.floor(fast);
  // Only a value within a hair of half a fen needs the careful (and slow) decimal rounding.
  if (Math.abs(fraction - 0.5) > 1e-6) {
    const rounded = (Math.sign(value) * Math.round(fast)) / 100;
    return rounded === 0 ? 0 : rounded;
  }
  const scaled = Number((Math.abs(value) * 100).toPrecision(15));
  const rounded = (Math.sign(value) * Math.round(scaled)) / 100;
  return rounded === 0 ? 0 : rounded;
}

const isUsableNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Compiles a formula into an evaluator. Every fact it reads must be present: a missing fact is
 * reported, never read as zero, and a division by zero is an error, never Infinity.
 */
export function compileFormula(text: string, names: FormulaNames): CompiledFormula {
  const parsed = parseFormula(text, names);
  if (!parsed.ok) return parsed;
  const ast = parsed.ast;
  const facts = referencedFacts(ast);
  const run = toClosure(ast);
  const evaluate: FormulaEvaluator = (given, parameters) => {
    let missing: string[] | undefined;
    for (const name of facts) if (!isUsableNumber(given[name])) (missing ??= []).push(name);
    if (missing) return { missingFacts: missing };
    let value: number;
    try {
      value = run(given, parameters);
    } catch (error) {
      if (error === DIVISION_BY_ZERO) return { error: 'divisionByZero' };
      throw error;
    }
    return Number.isFinite(value) ? { amount: roundToFen(value) } : { error: 'nonFinite' };
  };
  return { ok: true, ast, referencedFacts: facts, evaluate };
}
