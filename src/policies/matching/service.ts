import type { SessionPrincipal } from '../../core/auth.js';
import { invalid } from '../../core/errors.js';
import type { Platform } from '../../core/platform.js';
import { isIsoDate, shanghaiDate } from '../../reference/dates.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { actorOf } from '../../identity/service.js';
import type { DeclaredFact } from '../format/schema.js';
import type { Condition, FactValue, Facts, Leaf } from '../rules/evaluate.js';
import { BUILTIN_FACTS, type FactType } from '../rules/validate.js';
import { matchAll, type CompiledPolicy, type MatchResult } from '../library/compiled.js';
import type { PolicyLibraryService } from '../library/service.js';
import { ANSWERABLE_FACTS, builtinSource, checkAnswers, deriveFacts, mergeFacts, type FactSource } from './facts.js';

/** What the authorities (registry, tax, social insurance, credit) hold about an enterprise, by USCC. */
export type AuthorityFacts = (uscc: string, on: string) => Promise<Facts>;

export interface Question {
  fact: string;
  type: FactType;
  label: { 'zh-CN': string; en: string } | null;
  /** How many of the undetermined policies this answer would help decide. */
  policies: number;
}

export interface MatchReport {
  on: string;
  facts: Record<string, FactValue>;
  results: MatchResult[];
  /** Codes of the policies missed by exactly one condition. */
  nearMisses: string[];
  /** The facts still missing, most useful first: answering them decides undetermined policies. */
  questions: Question[];
}

export interface EnterpriseMatchReport extends MatchReport {
  enterprise: { id: string; uscc: string; name: string };
}

/**
 * Matches enterprises to the published policies: a logged-in enterprise on its own profile, an
 * anonymous screener on the answers typed in. Every result explains itself; missing facts stay
 * missing and become the questions to ask.
 */
export class PolicyMatchingService {
  constructor(
    private readonly platform: Platform,
    private readonly library: PolicyLibraryService,
    private readonly enterprises: EnterpriseService,
    private readonly authorityFacts: AuthorityFacts,
  ) {}

  today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  private onDate(on: string | undefined): string {
    if (on === undefined) return this.today();
    if (!isIsoDate(on)) throw invalid('invalidDate', [{ field: '/on', message: 'field.format', params: { format: 'YYYY-MM-DD' } }]);
    return on;
  }

  /** Types of every fact an answer may give: built-ins plus those policies declare. */
  async factTypes(policies?: readonly CompiledPolicy[]): Promise<Record<string, FactType>> {
    const types: Record<string, FactType> = { ...ANSWERABLE_FACTS };
    for (const policy of policies ?? (await this.library.library())) for (const fact of policy.declaredFacts) types[fact.name] = fact.type as FactType;
    return types;
  }

  private sourceResolver(policies: readonly CompiledPolicy[]): (fact: string) => FactSource {
    const declared = new Map<string, DeclaredFact>();
    for (const policy of policies) for (const fact of policy.declaredFacts) declared.set(fact.name, fact);
    return (fact) => builtinSource(fact) ?? ((declared.get(fact)?.source as FactSource | undefined) ?? 'declared');
  }

  report(policies: readonly CompiledPolicy[], facts: Facts, on: string): MatchReport {
    const results = matchAll(policies, facts, on);
    const labels = new Map<string, DeclaredFact['label']>();
    for (const policy of policies) for (const fact of policy.declaredFacts) labels.set(fact.name, fact.label);
    const asked = new Map<string, number>();
    for (const result of results) if (result.outcome === 'undetermined') for (const fact of result.missingFacts) asked.set(fact, (asked.get(fact) ?? 0) + 1);
    const types = Object.fromEntries(policies.flatMap((p) => p.declaredFacts.map((f) => [f.name, f.type as FactType])));
    const questions = [...asked.entries()]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([fact, count]) => ({ fact, type: BUILTIN_FACTS[fact] ?? types[fact] ?? 'number', label: labels.get(fact) ?? null, policies: count }));
    return { on, facts: facts as Record<string, FactValue>, results, nearMisses: results.filter((r) => r.nearMiss).map((r) => r.code), questions };
  }

  /** The anonymous screener: answers typed in, nothing stored. */
  async screen(answers: Record<string, unknown>, options: { on?: string } = {}): Promise<MatchReport> {
    const on = this.onDate(options.on);
    const policies = await this.library.library();
    const { facts, problems } = checkAnswers(answers, await this.factTypes(policies));
    if (problems.length) throw invalid('invalidAnswers', problems);
    return this.report(policies, deriveFacts(facts, on), on);
  }

  /**
   * One enterprise's facts as of `on`: what the authorities hold, the profile the enterprise keeps,
   * and its answers to earlier questions, merged fact by fact by who is authoritative for it.
   */
  async enterpriseFacts(enterpriseId: string, uscc: string, on: string, policies: readonly CompiledPolicy[]): Promise<Facts> {
    const [authority, profile, declarations] = await Promise.all([
      this.authorityFacts(uscc, on),
      this.enterprises.factsFor(enterpriseId),
      this.library.store.declarationsOf(uscc),
    ]);
    const declared: Record<string, FactValue | undefined> = { ...(profile as unknown as Record<string, FactValue | undefined>) };
    // Derived from the profile as of today; recomputed below for the date asked about.
    delete declared.ageMonths;
    delete declared.industrySection;
    // An empty list on the profile means the enterprise has named none, not that it holds none:
    // the authority's list (high-tech certification and the like) stands.
    if (Array.isArray(declared.qualifications) && declared.qualifications.length === 0) delete declared.qualifications;
    for (const row of declarations) declared[row.fact] = JSON.parse(row.value) as FactValue;
    return deriveFacts(mergeFacts(authority, declared, this.sourceResolver(policies)), on);
  }

  /** A logged-in enterprise (its legal representative or an agent with the `policies` scope) on its own profile. */
  async forEnterprise(principal: SessionPrincipal, enterpriseId: string, options: { on?: string } = {}): Promise<EnterpriseMatchReport> {
    const access = await this.enterprises.authorize(principal, enterpriseId, 'policies');
    const on = this.onDate(options.on);
    const policies = await this.library.library();
    const facts = await this.enterpriseFacts(enterpriseId, access.enterprise.uscc, on, policies);
    const report = this.report(policies, facts, on);
    if (on === this.today()) await this.recordOutcomes(access.enterprise.uscc, report.results, policies);
    const { id, uscc, name } = access.enterprise;
    return { ...report, enterprise: { id, uscc, name } };
  }

  /** Keeps the latest outcome per policy for the owners' analytics; only changes are written. */
  async recordOutcomes(uscc: string, results: readonly MatchResult[], policies: readonly CompiledPolicy[]): Promise<void> {
    const byId = new Map(policies.map((policy) => [policy.policyId, policy]));
    const previous = new Map((await this.library.store.matchesOf(uscc)).map((row) => [row.policyId, row]));
    const nowIso = this.platform.clock.now().toISOString();
    const changed = results
      .map((result) => ({
        uscc,
        policyId: result.policyId,
        versionId: result.versionId,
        outcome: result.outcome,
        nearMissCondition: result.nearMiss ? nearMissIndex(byId.get(result.policyId)!, result) : null,
        matchedAt: nowIso,
      }))
      .filter((row) => {
        const before = previous.get(row.policyId);
        return !before || before.versionId !== row.versionId || before.outcome !== row.outcome || before.nearMissCondition !== row.nearMissCondition;
      });
    if (changed.length) await this.library.store.transaction((tx) => this.library.store.recordMatches(tx, changed));
  }

  /**
   * The enterprise answers questions a match asked (facts the authorities do not hold). A value
   * of null withdraws an answer. Stored against the USCC and audited.
   */
  async declare(principal: SessionPrincipal, enterpriseId: string, answers: Record<string, unknown>): Promise<void> {
    const access = await this.enterprises.authorize(principal, enterpriseId, 'policies');
    const { facts, problems } = checkAnswers(answers, await this.factTypes());
    if (problems.length) throw invalid('invalidAnswers', problems);
    const withdrawn = Object.entries(answers).filter(([, v]) => v === null || v === '').map(([k]) => k);
    const nowIso = this.platform.clock.now().toISOString();
    const uscc = access.enterprise.uscc;
    await this.library.store.transaction(async (tx) => {
      for (const [fact, value] of Object.entries(facts)) {
        await this.library.store.putDeclaration(tx, { uscc, fact, value: JSON.stringify(value), declaredBy: principal.personId ?? principal.accountId, declaredAt: nowIso });
      }
      for (const fact of withdrawn) await this.library.store.deleteDeclaration(tx, uscc, fact);
      await this.platform.audit.record(
        { action: 'policies.factsDeclared', actor: actorOf(principal), subjectEnterpriseId: enterpriseId, detail: { facts: Object.keys(facts), withdrawn } },
        tx,
      );
    });
  }
}

/**
 * The position, among the rule's leaves in rule order, of a near miss's one failing condition
 * (results list failing conditions first, so their own order does not tell).
 */
export function nearMissIndex(policy: CompiledPolicy, result: MatchResult): number | null {
  const failing = result.conditions.find((c) => c.result === 'fail');
  if (!failing) return null;
  const leaves = leavesInOrder(policy.document.eligibility);
  const index = leaves.findIndex((leaf) => leaf.fact === failing.fact && leaf.op === failing.op && JSON.stringify(leaf.value) === JSON.stringify(failing.expected));
  return index >= 0 ? index : null;
}

export function leavesInOrder(condition: Condition): Leaf[] {
  if ('all' in condition) return condition.all.flatMap(leavesInOrder);
  if ('any' in condition) return condition.any.flatMap(leavesInOrder);
  if ('not' in condition) return leavesInOrder(condition.not);
  return [condition];
}
