import type { SessionPrincipal } from '../../core/auth.js';
import type { Platform } from '../../core/platform.js';
import { fromDayNumber, shanghaiDate, toDayNumber } from '../../reference/dates.js';
import type { PolicyDocument } from '../format/schema.js';
import type { PolicyLibraryService } from '../library/service.js';
import { leavesInOrder } from '../matching/service.js';
import type { Leaf } from '../rules/evaluate.js';
import type { AnalyticsOverview, PolicyAnalyticsView } from './schema.js';
import type { PolicyLoopStore } from './store.js';

/**
 * Claims (applications through the policy's service item) and grants without application, per
 * policy, as the benefits part of the zone counts them. Absent until that part is wired in.
 */
export interface BenefitCounts {
  /**
   * Claims and grants of a policy; for grants without application also how many enterprises the
   * latest completed scan found eligible (those granted before included), null before any scan.
   */
  countsFor(policyId: string): Promise<{ claims: number; grants: number; scannedEligible?: number | null }>;
}

export interface AnalyticsDeps {
  library: PolicyLibraryService;
  benefits: BenefitCounts | null;
}

const RECENT_DAYS = 30;
const COMMENTS_SHOWN = 10;
const SCORES = [5, 4, 3, 2, 1] as const;

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const average = (sum: number, count: number) => (count ? round(sum / count, 2) : null);

/**
 * What the owning department sees of a policy, to improve it: how often it is read, how many
 * enterprises it reaches, which single condition keeps most of the near misses out, how many
 * claimed or were granted it, and what enterprises asked and thought.
 */
export class PolicyAnalyticsService {
  constructor(
    private readonly platform: Platform,
    private readonly store: PolicyLoopStore,
    private readonly deps: AnalyticsDeps,
  ) {}

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  /** Counts one reading of a published policy's public page or API answer; unknown codes count nothing. */
  async countView(code: string): Promise<void> {
    const policy = (await this.deps.library.library()).find((p) => p.document.code === code);
    if (policy) await this.deps.library.store.countView(policy.policyId, this.today());
  }

  /** The figures of one of the officer's department's policies (403 for another department's). */
  async forPolicy(officer: SessionPrincipal, code: string): Promise<PolicyAnalyticsView> {
    // latestView checks that the officer's department owns the policy.
    const latest = await this.deps.library.latestView(code, officer);
    const published = latest.publishedVersionId ? await this.deps.library.versionView(latest.publishedVersionId) : null;
    const shown = published ?? latest;
    const policyId = latest.policyId;
    const on = this.today();
    const [views, matches, nearMisses, inquiries, scores, comments, benefits] = await Promise.all([
      this.store.viewFigures(policyId, fromDayNumber(toDayNumber(on) - (RECENT_DAYS - 1))),
      this.store.outcomeCounts(policyId),
      this.nearMissesByCondition(policyId),
      this.store.inquiryFigures(policyId, on),
      this.store.satisfactionCounts(policyId),
      this.store.recentComments(policyId, COMMENTS_SHOWN),
      this.deps.benefits ? this.deps.benefits.countsFor(policyId) : Promise.resolve(null),
    ]);
    const responses = [...scores.values()].reduce((a, b) => a + b, 0);
    const scoreSum = [...scores.entries()].reduce((sum, [score, count]) => sum + score * count, 0);
    return {
      code: latest.code,
      title: shown.document.title,
      status: latest.status,
      version: published?.version ?? null,
      on,
      views: { total: views.total, last30Days: views.recent },
      matches: { ...matches, total: matches.eligible + matches.ineligible + matches.undetermined },
      nearMisses: { total: nearMisses.reduce((sum, c) => sum + c.enterprises, 0), byCondition: nearMisses },
      benefits: { available: benefits !== null, claims: benefits?.claims ?? null, grants: benefits?.grants ?? null },
      // Like over like: grants over the population a scan found eligible (automatic policies reach
      // enterprises without platform accounts), claims over the platform enterprises found eligible.
      uptakeRate: !benefits
        ? null
        : shown.document.mode === 'automatic'
          ? benefits.scannedEligible
            ? round(benefits.grants / benefits.scannedEligible, 4)
            : null
          : matches.eligible > 0
            ? round((benefits.claims + benefits.grants) / matches.eligible, 4)
            : null,
      inquiries: {
        total: inquiries.total,
        open: inquiries.open,
        overdue: inquiries.overdue,
        answeredInTime: inquiries.answeredInTime,
        answeredLate: inquiries.answeredLate,
        rated: inquiries.rated,
        averageRating: average(inquiries.ratingSum, inquiries.rated),
        resolved: inquiries.resolved,
      },
      satisfaction: {
        responses,
        average: average(scoreSum, responses),
        distribution: SCORES.map((score) => ({ score, count: scores.get(score) ?? 0 })),
        comments: comments.map((c) => ({ satisfaction: c.satisfaction, comment: c.comment ?? '', givenAt: c.givenAt })),
      },
    };
  }

  /**
   * Near misses by the condition that failed. A match records the rule-order position of the
   * condition in the version it used; conditions are compared by fact, operator and value, so the
   * same condition kept across versions is counted once, and a changed one separately.
   */
  private async nearMissesByCondition(policyId: string): Promise<PolicyAnalyticsView['nearMisses']['byCondition']> {
    const counts = await this.store.nearMissCounts(policyId);
    const leavesOf = new Map<string, Leaf[]>();
    for (const versionId of new Set(counts.map((c) => c.versionId))) {
      const version = await this.deps.library.versionView(versionId);
      leavesOf.set(versionId, leavesInOrder((version.document as PolicyDocument).eligibility as never));
    }
    const merged = new Map<string, PolicyAnalyticsView['nearMisses']['byCondition'][number]>();
    for (const { versionId, condition, enterprises } of counts) {
      const leaf = leavesOf.get(versionId)?.[condition];
      if (!leaf) continue;
      const key = JSON.stringify([leaf.fact, leaf.op, leaf.value]);
      const entry = merged.get(key) ?? { fact: leaf.fact, op: leaf.op, value: leaf.value, label: leaf.label ?? null, enterprises: 0 };
      entry.enterprises += enterprises;
      merged.set(key, entry);
    }
    return [...merged.values()].sort((a, b) => b.enterprises - a.enterprises || (a.fact < b.fact ? -1 : a.fact > b.fact ? 1 : 0));
  }

  /** Supervision read port: policy uptake by owning department (see PolicyLoopStore.supervisionUptake). */
  supervisionUptake(filter: { departmentIds: string[] | null; fromIso: string; toIso: string; periodOnly?: boolean }) {
    return this.store.supervisionUptake({ ...filter, today: this.today() });
  }

  /** Headline figures of every policy of the officer's department, for the index page. */
  async overview(officer: SessionPrincipal): Promise<AnalyticsOverview> {
    const policies = await this.deps.library.departmentPolicies(officer);
    const on = this.today();
    const items: AnalyticsOverview['items'] = [];
    for (const policy of policies) {
      const [views, matches, nearMisses, inquiries, scores] = await Promise.all([
        this.store.viewFigures(policy.id, on),
        this.store.outcomeCounts(policy.id),
        this.store.nearMissCounts(policy.id),
        this.store.inquiryFigures(policy.id, on),
        this.store.satisfactionCounts(policy.id),
      ]);
      const responses = [...scores.values()].reduce((a, b) => a + b, 0);
      items.push({
        code: policy.code,
        title: { 'zh-CN': policy.titleZh, en: policy.titleEn },
        status: policy.status,
        views: views.total,
        eligible: matches.eligible,
        nearMisses: nearMisses.reduce((sum, c) => sum + c.enterprises, 0),
        openInquiries: inquiries.open,
        overdueInquiries: inquiries.overdue,
        satisfaction: average([...scores.entries()].reduce((sum, [score, count]) => sum + score * count, 0), responses),
      });
    }
    return { on, items };
  }
}
