import type { Facts } from '../rules/evaluate.js';
import { compileFormula, type FormulaEvaluator, type FormulaOutcome } from './formula.js';
import { resolveParameters } from './parameters.js';
import type { PolicyDocument } from './schema.js';

export type BenefitResult = FormulaOutcome | null;

type BenefitSource = Pick<PolicyDocument, 'benefit' | 'parameters'>;

const compiledFor = new WeakMap<BenefitSource, { text: string; evaluate: FormulaEvaluator }>();

/**
 * Compiles once per policy object. Import has already checked the formula against the file's
 * declared facts; here every name that is not a parameter is read as a fact, whose absence from
 * the enterprise's facts then shows as a missing fact.
 */
function evaluatorFor(policy: BenefitSource, text: string): FormulaEvaluator {
  const cached = compiledFor.get(policy);
  if (cached && cached.text === text) return cached.evaluate;
  const compiled = compileFormula(text, { facts: () => true, parameters: policy.parameters ?? {} });
  if (!compiled.ok) {
    const [first] = compiled.problems;
    throw new Error(`Benefit formula does not compile (${first?.code} at ${first?.position}); policies are checked by parsePolicyFile before use`);
  }
  compiledFor.set(policy, { text, evaluate: compiled.evaluate });
  return compiled.evaluate;
}

/**
 * The benefit an enterprise would receive, in yuan rounded to fen: null when the policy states no
 * formula, the missing facts when the enterprise has not given them all (never read as zero), or
 * an error when its figures make the formula divide by zero.
 */
export function computeBenefit(policy: BenefitSource, facts: Facts, regionCode: string | null | undefined): BenefitResult {
  const text = policy.benefit?.formula;
  if (text === undefined) return null;
  return evaluatorFor(policy, text)(facts, resolveParameters(policy.parameters ?? {}, regionCode));
}
