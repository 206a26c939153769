import { getIndustry, industrySection } from '../../reference/industries.js';
import { NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import type { Condition, Explained, FactValue, Facts, Leaf, LeafResult, LocalizedLabel, Operator, Outcome, Scalar, Truth } from './evaluate.js';
import { regionChain } from './hierarchy.js';

/**
 * Rules compiled once into closure trees, for matching one enterprise against every policy on each
 * request. The results are those of the reference interpreter (evaluate.ts), leaf for leaf, which
 * the differential tests check; everything that depends only on the rule (value sets, the sections
 * a prefix covers, labels) is worked out here, so a call allocates only the explanation it returns.
 */
export type CompiledRule = (facts: Facts) => Explained;
export type CompiledOutcome = (facts: Facts) => Truth;

const PASS: Truth = 'pass';
const FAIL: Truth = 'fail';
const UNKNOWN: Truth = 'unknown';

/** Whether a present value satisfies the leaf (a missing one is `unknown` before this is asked). */
type KnownTest = (actual: FactValue) => boolean;

const never: KnownTest = () => false;
const always: KnownTest = () => true;
const asList = (value: Scalar | Scalar[]): Scalar[] => (Array.isArray(value) ? value : [value]);

function orderedTest(op: 'lt' | 'lte' | 'gt' | 'gte', expected: Scalar | Scalar[]): KnownTest {
  // Numbers order with numbers and dates (ISO text) with text; any other pairing fails, as in evaluateLeaf.
  if (typeof expected === 'number') {
    if (op === 'lt') return (a) => typeof a === 'number' && a < expected;
    if (op === 'lte') return (a) => typeof a === 'number' && a <= expected;
    if (op === 'gt') return (a) => typeof a === 'number' && a > expected;
    return (a) => typeof a === 'number' && a >= expected;
  }
  if (typeof expected === 'string') {
    if (op === 'lt') return (a) => typeof a === 'string' && a < expected;
    if (op === 'lte') return (a) => typeof a === 'string' && a <= expected;
    if (op === 'gt') return (a) => typeof a === 'string' && a > expected;
    return (a) => typeof a === 'string' && a >= expected;
  }
  return never;
}

function betweenTest(value: Scalar | Scalar[]): KnownTest {
  const [low, high] = asList(value);
  if (low === undefined || high === undefined || typeof low !== typeof high) return never;
  if (typeof low === 'number') return (a) => typeof a === 'number' && a >= low && a <= (high as number);
  if (typeof low === 'string') return (a) => typeof a === 'string' && a >= low && a <= (high as string);
  return never;
}

// Matching one enterprise asks for the section of the same industry once per policy.
let lastIndustry: string | undefined;
let lastSection: string | undefined;
function sectionOf(industry: string): string | undefined {
  if (industry !== lastIndustry) {
    lastIndustry = industry;
    lastSection = industrySection(industry);
  }
  return lastSection;
}

/** Industry codes: a code covers those it prefixes, and a section letter every code of the section. */
function prefixTest(value: Scalar | Scalar[]): KnownTest {
  const prefixes = asList(value).filter((code): code is string => typeof code === 'string');
  const sections = new Set(prefixes.filter((code) => getIndustry(code)?.level === 'section'));
  if (prefixes.length === 0) return never;
  return (a) => {
    if (typeof a !== 'string') return false;
    for (let i = 0; i < prefixes.length; i++) if (a.startsWith(prefixes[i]!)) return true;
    return sections.size > 0 && sections.has(sectionOf(a) as string);
  };
}

/**
 * Regions: a code covers itself and every region whose chain (groupings included) holds it, at the
 * position it holds in its own chain, so the test compares a code or two instead of hashing.
 */
function withinTest(value: Scalar | Scalar[]): KnownTest {
  const codes = asList(value).filter((code): code is string => typeof code === 'string');
  if (codes.includes(NATIONWIDE_REGION_CODE)) return (a) => typeof a === 'string';
  if (codes.length === 0) return never;
  const depths = codes.map((code) => regionChain(code).length - 1);
  return (a) => {
    if (typeof a !== 'string') return false;
    const chain = regionChain(a);
    for (let i = 0; i < codes.length; i++) if (chain[depths[i]!] === codes[i]) return true;
    return false;
  };
}

function hasTest(value: Scalar | Scalar[]): KnownTest {
  const wanted = asList(value);
  if (wanted.some((item) => typeof item !== 'string')) return never;
  return (a) => {
    if (!Array.isArray(a)) return false;
    for (let i = 0; i < wanted.length; i++) if (!a.includes(wanted[i] as string)) return false;
    return true;
  };
}

function knownTest(op: Exclude<Operator, 'exists'>, value: Scalar | Scalar[]): KnownTest {
  switch (op) {
    case 'eq':
      // A list in the rule never equals a fact (evaluateLeaf compares by identity); nor does a list fact.
      return Array.isArray(value) ? never : (a) => a === value;
    case 'ne':
      return Array.isArray(value) ? always : (a) => a !== value;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return Array.isArray(value) ? never : orderedTest(op, value);
    case 'in': {
      // Set membership is SameValueZero, exactly Array.prototype.includes.
      const members = new Set<unknown>(asList(value));
      return (a) => typeof a !== 'object' && members.has(a);
    }
    case 'notIn': {
      const members = new Set<unknown>(asList(value));
      return (a) => typeof a === 'object' || !members.has(a);
    }
    case 'between':
      return betweenTest(value);
    case 'prefix':
      return prefixTest(value);
    case 'within':
      return withinTest(value);
    case 'has':
      return hasTest(value);
  }
}

interface LeafTest {
  /** The verdict on a present value. */
  known: KnownTest;
  /** The verdict when the fact is missing: unknown, except for `exists`. */
  missing: Truth;
}

function leafTest(leaf: Leaf): LeafTest {
  if (leaf.op === 'exists') return leaf.value === true ? { known: always, missing: FAIL } : { known: never, missing: PASS };
  return { known: knownTest(leaf.op, leaf.value), missing: UNKNOWN };
}

/**
 * Kleene's strong logic over the verdicts already computed for this call: a group reads its leaf
 * children's verdicts by index and calls only its subgroups (the order does not change the result).
 */
function combine(kind: 'all' | 'any', leafIndexes: number[], groups: Array<() => Truth>, verdicts: Truth[]): () => Truth {
  const decisive = kind === 'all' ? FAIL : PASS;
  const otherwise = kind === 'all' ? PASS : FAIL;
  return () => {
    let unknown = false;
    for (let i = 0; i < leafIndexes.length; i++) {
      const result = verdicts[leafIndexes[i]!]!;
      if (result === decisive) return decisive;
      if (result === UNKNOWN) unknown = true;
    }
    for (let i = 0; i < groups.length; i++) {
      const result = groups[i]!();
      if (result === decisive) return decisive;
      if (result === UNKNOWN) unknown = true;
    }
    return unknown ? UNKNOWN : otherwise;
  };
}

const negate = (result: Truth): Truth => (result === PASS ? FAIL : result === FAIL ? PASS : UNKNOWN);

interface CompiledLeaf {
  fact: string;
  op: Operator;
  expected: Scalar | Scalar[];
  label: LocalizedLabel | null;
  known: KnownTest;
  missing: Truth;
}

type Node = { leaf: number } | { group: () => Truth };

/** The tree over the leaf verdicts of the current call (`verdicts[i]` is leaf i in rule order). */
function compileNode(condition: Condition, leaves: CompiledLeaf[], verdicts: Truth[]): Node {
  if ('all' in condition || 'any' in condition) {
    const kind = 'all' in condition ? 'all' : 'any';
    const children = ('all' in condition ? condition.all : condition.any).map((child) => compileNode(child, leaves, verdicts));
    const leafIndexes = children.flatMap((child) => ('leaf' in child ? [child.leaf] : []));
    const groups = children.flatMap((child) => ('group' in child ? [child.group] : []));
    return { group: combine(kind, leafIndexes, groups, verdicts) };
  }
  if ('not' in condition) {
    const inner = compileNode(condition.not, leaves, verdicts);
    if ('leaf' in inner) return { group: () => negate(verdicts[inner.leaf]!) };
    const group = inner.group;
    return { group: () => negate(group()) };
  }
  const index = leaves.length;
  const { known, missing } = leafTest(condition);
  leaves.push({ fact: condition.fact, op: condition.op, expected: condition.value, label: condition.label ?? null, known, missing });
  verdicts.push(UNKNOWN);
  return { leaf: index };
}

/** A rule as a function giving what `explain` gives: outcome, every leaf explained, missing facts, near miss. */
export function compileRule(condition: Condition): CompiledRule {
  const leaves: CompiledLeaf[] = [];
  // Scratch for one call's verdicts: a call runs to the end before another can start.
  const verdicts: Truth[] = [];
  const node = compileNode(condition, leaves, verdicts);
  const root = 'leaf' in node ? () => verdicts[node.leaf]! : node.group;
  const count = leaves.length;

  // Scratch for one call's facts, read again when the explanation is built in its final order.
  const actuals: Array<FactValue | undefined> = new Array(count).fill(undefined);
  const explainLeaf = (i: number): LeafResult => {
    const leaf = leaves[i]!;
    const actual = actuals[i];
    actuals[i] = undefined;
    return { fact: leaf.fact, op: leaf.op, expected: leaf.expected, actual: actual === undefined ? null : actual, result: verdicts[i]!, label: leaf.label };
  };

  return (facts) => {
    let failures = 0;
    let unknowns = 0;
    for (let i = 0; i < count; i++) {
      const leaf = leaves[i]!;
      const actual = facts[leaf.fact];
      const result = actual === undefined ? leaf.missing : leaf.known(actual) ? PASS : FAIL;
      actuals[i] = actual;
      verdicts[i] = result;
      if (result === FAIL) failures++;
      else if (result === UNKNOWN) unknowns++;
    }
    const result = root();
    const outcome: Outcome = result === PASS ? 'eligible' : result === FAIL ? 'ineligible' : 'undetermined';

    const missingFacts: string[] = [];
    if (unknowns > 0) {
      for (let i = 0; i < count; i++) {
        const fact = leaves[i]!.fact;
        if (verdicts[i] === UNKNOWN && !missingFacts.includes(fact)) missingFacts.push(fact);
      }
    }
    const conditions: LeafResult[] = new Array(count);
    if (outcome === 'ineligible' && failures < count) {
      let next = 0;
      for (let i = 0; i < count; i++) if (verdicts[i] === FAIL) conditions[next++] = explainLeaf(i);
      for (let i = 0; i < count; i++) if (verdicts[i] !== FAIL) conditions[next++] = explainLeaf(i);
    } else {
      for (let i = 0; i < count; i++) conditions[i] = explainLeaf(i);
    }
    return { outcome, conditions, missingFacts, nearMiss: outcome === 'ineligible' && failures === 1 };
  };
}

/**
 * Only the verdict, for scans over many enterprises: a group stops at the first child that decides
 * it, which the explaining evaluator cannot do since it must report every leaf.
 */
export function compileOutcome(condition: Condition): CompiledOutcome {
  if ('all' in condition) {
    const children = condition.all.map(compileOutcome);
    return (facts) => {
      let unknown = false;
      for (let i = 0; i < children.length; i++) {
        const result = children[i]!(facts);
        if (result === FAIL) return FAIL;
        if (result === UNKNOWN) unknown = true;
      }
      return unknown ? UNKNOWN : PASS;
    };
  }
  if ('any' in condition) {
    const children = condition.any.map(compileOutcome);
    return (facts) => {
      let unknown = false;
      for (let i = 0; i < children.length; i++) {
        const result = children[i]!(facts);
        if (result === PASS) return PASS;
        if (result === UNKNOWN) unknown = true;
      }
      return unknown ? UNKNOWN : FAIL;
    };
  }
  if ('not' in condition) {
    const inner = compileOutcome(condition.not);
    return (facts) => negate(inner(facts));
  }
  const { fact } = condition;
  const { known, missing } = leafTest(condition);
  return (facts) => {
    const actual = facts[fact];
    return actual === undefined ? missing : known(actual) ? PASS : FAIL;
  };
}
