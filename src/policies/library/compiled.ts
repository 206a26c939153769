import { isWithin, NATIONWIDE_REGION_CODE } from '../../reference/regions.js';
import { compileFormula, type FormulaEvaluator } from '../format/formula.js';
import { resolveParameters, type ParameterDefinitions } from '../format/parameters.js';
import type { DeclaredFact, PolicyDocument } from '../format/schema.js';
import { compileRule } from '../rules/compile.js';
import type { Explained, Facts, LeafResult, Outcome } from '../rules/evaluate.js';
import { BUILTIN_FACTS } from '../rules/validate.js';

/** One policy version ready to match: its rule and formula compiled once, its regions and dates at hand. */
export interface CompiledPolicy {
  policyId: string;
  versionId: string;
  version: number;
  departmentId: string | null;
  document: PolicyDocument;
  declaredFacts: DeclaredFact[];
  explain: (facts: Facts) => Explained;
  formula: FormulaEvaluator | null;
  /** The formula's parameters resolved for a region, remembered per region. */
  parametersIn: (regionCode: string | undefined) => Readonly<Record<string, number>>;
  // Copied out of the document: documents differ in shape (optional fields), and reading them in
  // the matching loop would go through slow, megamorphic property lookups.
  code: string;
  title: PolicyDocument['title'];
  category: PolicyDocument['category'];
  mode: PolicyDocument['mode'];
  effectiveFrom: string;
  effectiveTo: string | null;
  nationwide: boolean;
  regions: readonly string[];
}

export interface MatchResult {
  code: string;
  policyId: string;
  versionId: string;
  version: number;
  title: PolicyDocument['title'];
  category: PolicyDocument['category'];
  mode: PolicyDocument['mode'];
  outcome: Outcome;
  conditions: LeafResult[];
  missingFacts: string[];
  nearMiss: boolean;
  benefit: { amount: number } | null;
}

const isNumericFact = (declared: readonly DeclaredFact[]) => (name: string) =>
  BUILTIN_FACTS[name] === 'number' || declared.some((fact) => fact.name === name && fact.type === 'number');

/** The facts a policy's benefit formula reads (none when it has no formula or it does not compile). */
export function formulaFacts(document: PolicyDocument, declared: readonly DeclaredFact[]): string[] {
  const text = document.benefit?.formula;
  if (!text) return [];
  const compiled = compileFormula(text, { facts: isNumericFact(declared), parameters: document.parameters as ParameterDefinitions | undefined });
  return compiled.ok ? compiled.referencedFacts : [];
}

type Derived = 'explain' | 'formula' | 'parametersIn' | 'code' | 'title' | 'category' | 'mode' | 'effectiveFrom' | 'effectiveTo' | 'nationwide' | 'regions';

export function compilePolicy(input: Omit<CompiledPolicy, Derived>): CompiledPolicy {
  const formulaText = input.document.benefit?.formula;
  let formula: FormulaEvaluator | null = null;
  if (formulaText) {
    const compiled = compileFormula(formulaText, { facts: isNumericFact(input.declaredFacts), parameters: input.document.parameters as ParameterDefinitions | undefined });
    // Import refused formulas that do not compile; an old stored one that no longer does simply shows no amount.
    if (compiled.ok) formula = compiled.evaluate;
  }
  const definitions = (input.document.parameters ?? {}) as ParameterDefinitions;
  const resolved = new Map<string | undefined, Readonly<Record<string, number>>>();
  const parametersIn = (regionCode: string | undefined) => {
    let values = resolved.get(regionCode);
    if (!values) {
      values = resolveParameters(definitions, regionCode);
      resolved.set(regionCode, values);
    }
    return values;
  };
  const { document } = input;
  return {
    policyId: input.policyId,
    versionId: input.versionId,
    version: input.version,
    departmentId: input.departmentId,
    document,
    declaredFacts: input.declaredFacts,
    explain: compileRule(document.eligibility),
    formula,
    parametersIn,
    code: document.code,
    title: document.title,
    category: document.category,
    mode: document.mode,
    effectiveFrom: document.effective.from,
    effectiveTo: document.effective.to,
    nationwide: document.regions.includes(NATIONWIDE_REGION_CODE),
    regions: [...document.regions],
  };
}

/** In force on `on`: the benefit's validity period includes the date (both ends inclusive). */
export function inForce(document: PolicyDocument, on: string): boolean {
  return document.effective.from <= on && (document.effective.to === null || on <= document.effective.to);
}

/** Applies in the region: one of the policy's regions is the nation, the region itself or above it. */
export function appliesIn(document: PolicyDocument, regionCode: string | undefined): boolean {
  return appliesInRegions(document.regions, regionCode);
}

function appliesInRegions(regions: readonly string[], regionCode: string | undefined): boolean {
  if (!regionCode) return regions.includes(NATIONWIDE_REGION_CODE);
  return regions.some((code) => code === NATIONWIDE_REGION_CODE || code === regionCode || coveredBy(regionCode, code));
}

// Region codes and the regions policies name are both a few thousand at most; remembering the
// answers keeps matching one enterprise against the whole library free of hierarchy walks.
const coverage = new Map<string, boolean>();
function coveredBy(regionCode: string, policyRegion: string): boolean {
  const key = `${regionCode}>${policyRegion}`;
  let known = coverage.get(key);
  if (known === undefined) {
    known = isWithin(regionCode, policyRegion);
    coverage.set(key, known);
  }
  return known;
}

export function matchOne(policy: CompiledPolicy, facts: Facts): MatchResult {
  const explained = policy.explain(facts);
  let benefit: MatchResult['benefit'] = null;
  if (explained.outcome === 'eligible' && policy.formula) {
    const region = typeof facts.region === 'string' ? facts.region : undefined;
    const outcome = policy.formula(facts, policy.parametersIn(region));
    if ('amount' in outcome) benefit = { amount: outcome.amount };
  }
  return {
    code: policy.code,
    policyId: policy.policyId,
    versionId: policy.versionId,
    version: policy.version,
    title: policy.title,
    category: policy.category,
    mode: policy.mode,
    outcome: explained.outcome,
    conditions: explained.conditions,
    missingFacts: explained.missingFacts,
    nearMiss: explained.nearMiss,
    benefit,
  };
}

/**
 * Every policy in force on `on` where the enterprise is, matched: eligible first, then
 * undetermined, then ineligible, each in the order of `policies` (the library keeps them by code).
 */
export function matchAll(policies: readonly CompiledPolicy[], facts: Facts, on: string): MatchResult[] {
  const region = typeof facts.region === 'string' ? facts.region : undefined;
  const eligible: MatchResult[] = [];
  const undetermined: MatchResult[] = [];
  const ineligible: MatchResult[] = [];
  for (const policy of policies) {
    if (policy.effectiveFrom > on || (policy.effectiveTo !== null && on > policy.effectiveTo)) continue;
    if (!policy.nationwide && !appliesInRegions(policy.regions, region)) continue;
    const result = matchOne(policy, facts);
    (result.outcome === 'eligible' ? eligible : result.outcome === 'undetermined' ? undetermined : ineligible).push(result);
  }
  return eligible.concat(undetermined, ineligible);
}
