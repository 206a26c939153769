import { readFile } from 'node:fs/promises';
import { isIsoDate } from '../reference/dates.js';
import { translate, type MessageKey } from '../core/i18n.js';
import { parsePolicyFile, type ImportProblem } from './format/import.js';
import { compilePolicy, matchAll, type CompiledPolicy, type MatchResult } from './library/compiled.js';
import { checkAnswers, deriveFacts, ANSWERABLE_FACTS, IMPORT_OPTIONS } from './matching/facts.js';
import type { FactType } from './rules/validate.js';
import './messages.js';

/** What `tongban policy match` prints: the format, stable for scripts. */
export interface CliMatchOutput {
  on: string;
  results: {
    code: string;
    outcome: MatchResult['outcome'];
    conditions: Pick<MatchResult['conditions'][number], 'fact' | 'op' | 'expected' | 'actual' | 'result' | 'label'>[];
    missingFacts: string[];
    nearMiss: boolean;
    benefit: { amount: number } | null;
  }[];
  nearMisses: string[];
}

export class CliInputError extends Error {
  constructor(
    message: string,
    readonly problems: { path: string; code: string; message: string }[] = [],
  ) {
    super(message);
  }
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliInputError(`Cannot read the ${what} file ${file}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliInputError(`The ${what} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function describeProblems(problems: ImportProblem[]): { path: string; code: string; message: string }[] {
  return problems.map((problem) => ({
    path: problem.path,
    code: problem.code,
    message: translate('en', `policies.problem.${problem.code}` as MessageKey, Object.fromEntries(Object.entries(problem.detail ?? {}).map(([k, v]) => [k, String(v)]))),
  }));
}

/** Policies from an interchange file, compiled in memory (nothing touches the database). */
export async function policiesFromFile(file: string): Promise<CompiledPolicy[]> {
  const parsed = parsePolicyFile(await readJson(file, 'policies'), IMPORT_OPTIONS);
  if (!parsed.ok) throw new CliInputError(`The policies file ${file} has ${parsed.problems.length} problem(s).`, describeProblems(parsed.problems));
  const declared = parsed.file.facts ?? [];
  return parsed.file.policies.map((document, index) =>
    compilePolicy({ policyId: `file:${index}`, versionId: `file:${index}`, version: 1, departmentId: null, document, declaredFacts: declared }),
  );
}

/** An enterprise file: the facts object itself, or `{"facts": {...}}` as the demo and examples write it. */
export async function enterpriseFromFile(file: string, policies: readonly CompiledPolicy[], on: string) {
  const raw = await readJson(file, 'enterprise');
  const object = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
  if (!object) throw new CliInputError(`The enterprise file ${file} must hold a JSON object of facts.`);
  const facts = object.facts && typeof object.facts === 'object' && !Array.isArray(object.facts) ? (object.facts as Record<string, unknown>) : object;
  const types: Record<string, FactType> = { ...ANSWERABLE_FACTS };
  for (const policy of policies) for (const fact of policy.declaredFacts) types[fact.name] = fact.type as FactType;
  const checked = checkAnswers(facts, types);
  if (checked.problems.length) {
    throw new CliInputError(
      `The enterprise file ${file} has ${checked.problems.length} problem(s).`,
      checked.problems.map((p) => ({ path: p.field, code: p.message, message: translate('en', p.message, p.params) })),
    );
  }
  return deriveFacts(checked.facts, on);
}

export function checkOn(on: string | undefined, today: string): string {
  if (on === undefined) return today;
  if (!isIsoDate(on)) throw new CliInputError(`--on must be a date YYYY-MM-DD, not "${on}".`);
  return on;
}

export function cliMatch(policies: readonly CompiledPolicy[], facts: Parameters<typeof matchAll>[1], on: string): CliMatchOutput {
  const results = matchAll(policies, facts, on);
  return {
    on,
    results: results.map((r) => ({
      code: r.code,
      outcome: r.outcome,
      conditions: r.conditions.map(({ fact, op, expected, actual, result, label }) => ({ fact, op, expected, actual, result, label })),
      missingFacts: r.missingFacts,
      nearMiss: r.nearMiss,
      benefit: r.benefit,
    })),
    nearMisses: results.filter((r) => r.nearMiss).map((r) => r.code),
  };
}
