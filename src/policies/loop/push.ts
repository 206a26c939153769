import type { SessionPrincipal } from '../../core/auth.js';
import type { Tx } from '../../core/db.js';
import { invalid, type FieldProblem } from '../../core/errors.js';
import type { Platform } from '../../core/platform.js';
import type { EnterpriseService } from '../../identity/enterprises/service.js';
import { actorOf } from '../../identity/service.js';
import type { LocalizedParam } from '../../notifications/inbox.js';
import type { Notification } from '../../notifications/notifier.js';
import { shanghaiDate } from '../../reference/dates.js';
import { POLICY_CATEGORIES } from '../format/schema.js';
import { inForce, matchAll, type CompiledPolicy, type MatchResult } from '../library/compiled.js';
import type { PolicyLibraryService } from '../library/service.js';
import type { PolicyMatchingService } from '../matching/service.js';
import type { EnterpriseFeed, PlatformEnterprise } from './enterprise-feed.js';
import type { PolicyLoopStore } from './store.js';
import './messages.js';

export const PUSH_PUBLISHED_JOB = 'policies.push.published';
export const PUSH_CHANGES_JOB = 'policies.push.changes';
/** How often the change sweep runs (scheduleRecurringJobs). */
export const PUSH_SWEEP_INTERVAL_MS = 60_000;
/**
 * Each sweep re-reads changes from this long before the previous one started: a transaction that
 * stamped its change before that start but committed after it is still seen. Matching an
 * enterprise twice is harmless; notification is once per policy whatever happens.
 */
const SWEEP_OVERLAP_MS = 10 * 60_000;
const PAGE_SIZE = 200;
/** Policy titles named in one notification; the rest are counted. */
const TITLES_NAMED = 3;

export interface PushNotifier {
  notify(tx: Tx, notification: Notification): Promise<unknown>;
  deliverSoon(): void;
}

export interface PushJobs {
  handle(kind: string, handler: (payload: unknown) => Promise<void>): void;
  enqueue(kind: string, payload?: unknown): Promise<string>;
}

export interface PushDeps {
  library: PolicyLibraryService;
  matching: PolicyMatchingService;
  enterprises: EnterpriseService;
  feed: EnterpriseFeed;
  notifier: PushNotifier;
  jobs: PushJobs;
}

export interface PushSettings {
  enterpriseId: string;
  categories: { category: string; notify: boolean }[];
}

/** Where a notification sends the enterprise: its own matches, with the reasons. */
export const enterprisePoliciesPath = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/policies`;

const categoryOf = (policy: CompiledPolicy) => policy.document.category ?? 'other';

/**
 * Personalised push. When a policy is published, a background job matches every enterprise on the
 * platform against it; a recurring sweep re-matches the enterprises whose profile changed (and
 * every enterprise against a policy coming into force). An enterprise that is eligible now and
 * was never told about the policy is told once (the `notifiedAt` of its match, set in the same
 * transaction as the notification), through the inbox and SMS/email to its legal representative,
 * unless it opted out of the policy's category. Ineligible and undetermined enterprises are never told.
 */
export class PolicyPushService {
  constructor(
    private readonly platform: Platform,
    private readonly store: PolicyLoopStore,
    private readonly deps: PushDeps,
  ) {}

  /** Listens for publications and handles the push jobs; called once when the services are built. */
  register(): void {
    // Publication must not wait for every enterprise to be matched, and must not be undone when
    // that fails: the job runs after the commit, on whichever server copy claims it, with retries.
    this.deps.library.onPublished(async (event) => {
      await this.deps.jobs.enqueue(PUSH_PUBLISHED_JOB, { policyId: event.policyId, versionId: event.versionId });
    });
    this.deps.jobs.handle(PUSH_PUBLISHED_JOB, async (payload) => {
      await this.pushPolicy(String((payload as { policyId?: unknown }).policyId));
    });
    this.deps.jobs.handle(PUSH_CHANGES_JOB, async () => {
      await this.sweepChanges();
    });
  }

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  /**
   * Matches every platform enterprise against one published policy (its version as published
   * now) and tells those newly eligible. Returns how many enterprises were told.
   */
  async pushPolicy(policyId: string): Promise<number> {
    const library = await this.deps.library.library();
    const policy = library.find((p) => p.policyId === policyId);
    const on = this.today();
    // Withdrawn since, or not in force yet (the sweep pushes it on the day it comes into force).
    if (!policy || !inForce(policy.document, on)) return 0;
    let told = 0;
    for (let after: string | null = null; ; ) {
      const page = await this.deps.feed.page(after, PAGE_SIZE);
      if (page.length === 0) break;
      for (const enterprise of page) told += await this.matchAndNotify(enterprise, [policy], library, on);
      after = page.at(-1)!.id;
    }
    return told;
  }

  /**
   * Re-matches the enterprises whose profile changed since the last sweep against every policy,
   * and every enterprise against the policies that came into force since the last sweep's day.
   */
  async sweepChanges(): Promise<{ enterprises: number; told: number }> {
    const started = this.platform.clock.now();
    const on = shanghaiDate(started);
    const state = await this.store.pushState();
    const library = await this.deps.library.library();
    // The first sweep reads every enterprise: nobody has been told anything yet.
    const since = state.sweptAt ? new Date(Date.parse(state.sweptAt) - SWEEP_OVERLAP_MS).toISOString() : '0000-01-01T00:00:00.000Z';
    const changed = await this.deps.feed.changedSince(since);
    let told = 0;
    for (const enterprise of changed) told += await this.matchAndNotify(enterprise, library, library, on);
    if (state.sweptOn && state.sweptOn < on) {
      const sweptOn = state.sweptOn;
      for (const policy of library.filter((p) => p.document.effective.from > sweptOn && p.document.effective.from <= on)) told += await this.pushPolicy(policy.policyId);
    }
    await this.store.savePushState(started.toISOString(), on);
    return { enterprises: changed.length, told };
  }

  /** Matches one enterprise, records the outcomes, and tells it of newly eligible policies; 1 if told. */
  private async matchAndNotify(enterprise: PlatformEnterprise, policies: readonly CompiledPolicy[], library: readonly CompiledPolicy[], on: string): Promise<number> {
    const facts = await this.deps.matching.enterpriseFacts(enterprise.id, enterprise.uscc, on, library);
    const results = matchAll(policies, facts, on);
    await this.deps.matching.recordOutcomes(enterprise.uscc, results, policies);
    const eligible = results.filter((result) => result.outcome === 'eligible');
    if (eligible.length === 0) return 0;
    const categories = new Map(policies.map((policy) => [policy.policyId, categoryOf(policy)]));
    const nowIso = this.platform.clock.now().toISOString();
    const libraryStore = this.deps.library.store;
    const told = await libraryStore.transaction(async (tx) => {
      const optedOut = new Set(await this.store.optedOutCategories(enterprise.id, tx));
      const recorded = new Map((await libraryStore.matchesOf(enterprise.uscc, tx)).map((row) => [row.policyId, row]));
      const fresh: MatchResult[] = [];
      for (const result of eligible) {
        if (optedOut.has(categories.get(result.policyId)!)) continue;
        // The recorded outcome decides: a match recorded after ours (a changed profile) may differ.
        const row = recorded.get(result.policyId);
        if (row?.outcome !== 'eligible' || row.notifiedAt) continue;
        if (await libraryStore.markNotified(tx, enterprise.uscc, result.policyId, nowIso)) fresh.push(result);
      }
      if (fresh.length) await this.deps.notifier.notify(tx, this.notification(enterprise, fresh));
      return fresh.length;
    });
    if (told) this.deps.notifier.deliverSoon();
    return told ? 1 : 0;
  }

  /** One message per enterprise and sweep, naming the policies (the first few, and how many more). */
  private notification(enterprise: PlatformEnterprise, results: readonly MatchResult[]): Notification {
    const titles = (locale: keyof LocalizedParam) => {
      const separator = locale === 'en' ? '; ' : '；';
      return results
        .slice(0, TITLES_NAMED)
        .map((result) => result.title[locale])
        .join(separator);
    };
    const one = results.length === 1;
    return {
      personId: enterprise.legalRepPersonId,
      kind: 'policies.eligible',
      titleKey: one ? 'policies.loop.notify.eligibleOne.title' : 'policies.loop.notify.eligibleMany.title',
      bodyKey: one ? 'policies.loop.notify.eligibleOne.body' : results.length > TITLES_NAMED ? 'policies.loop.notify.eligibleMore.body' : 'policies.loop.notify.eligibleMany.body',
      params: { enterprise: enterprise.name, policies: { 'zh-CN': titles('zh-CN'), en: titles('en') }, count: results.length, more: results.length - TITLES_NAMED },
      link: enterprisePoliciesPath(enterprise.id),
      channels: ['inbox', 'sms', 'email'],
    };
  }

  // The enterprise's settings

  /** Which categories of policy the enterprise is told about (all, until it opts out of some). */
  async settings(principal: SessionPrincipal, enterpriseId: string): Promise<PushSettings> {
    await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    return this.settingsOf(enterpriseId);
  }

  private async settingsOf(enterpriseId: string): Promise<PushSettings> {
    const optedOut = new Set(await this.store.optedOutCategories(enterpriseId));
    return { enterpriseId, categories: POLICY_CATEGORIES.map((category) => ({ category, notify: !optedOut.has(category) })) };
  }

  /** Replaces the categories the enterprise does not want to be told about. */
  async updateSettings(principal: SessionPrincipal, enterpriseId: string, input: { optedOut: readonly string[] }): Promise<PushSettings> {
    await this.deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const problems: FieldProblem[] = [];
    input.optedOut.forEach((category, index) => {
      if (!(POLICY_CATEGORIES as readonly string[]).includes(category)) problems.push({ field: `/optedOut/${index}`, message: 'policies.loop.push.unknownCategory', params: { category: String(category) } });
    });
    if (problems.length) throw invalid('invalidPushSettings', problems);
    const categories = [...new Set(input.optedOut)].sort();
    const nowIso = this.platform.clock.now().toISOString();
    await this.store.transaction(async (tx) => {
      await this.store.replaceOptOuts(tx, enterpriseId, categories, principal.personId ?? principal.accountId, nowIso);
      await this.platform.audit.record({ action: 'policies.pushSettingsChanged', actor: actorOf(principal), subjectEnterpriseId: enterpriseId, detail: { optedOut: categories } }, tx);
    });
    return this.settingsOf(enterpriseId);
  }
}
