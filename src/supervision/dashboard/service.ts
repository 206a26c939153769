import type { SessionPrincipal } from '../../core/auth.js';
import { fieldInvalid, forbidden, notFound } from '../../core/errors.js';
import type { Platform } from '../../core/platform.js';
import { DUE_SOON_DAYS, daysBetween } from '../../applications/time-limits.js';
import { fromDayNumber, shanghaiDate, toDayNumber } from '../../reference/dates.js';
import { NATIONWIDE_REGION_CODE, ancestors, children, getRegion, isWithin } from '../../reference/regions.js';
import { groupingsIn, regionCodesWithin } from './region-scope.js';
import { REVIEW_STATE, monthStartIso, refreshRollup, shanghaiMonth, shiftMonth, type RefreshResult } from './rollup.js';
import type { DirectoryEntry, SupervisionSource } from './port.js';
import { DashboardStore, type ReviewRollupRow, type RollupFilter, type RollupRow } from './store.js';
import type { DashboardView, DueRow, Figures, Period, PreviousFigures, ScopeKind, ScopeRef } from './schema.js';
import './messages.js';

/** A month of this century: the years a dashboard can cover (and its period before, in 19xx). */
const MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;
/** The longest period one dashboard covers. */
export const MAX_PERIOD_MONTHS = 24;
const DUE_LIST_LIMIT = 100;

type Localized = { 'zh-CN': string; en: string };

/** Raw sums behind the figures of one row; ratios are computed at the end. */
interface Sums {
  received: number;
  concluded: number;
  withdrawn: number;
  timed: number;
  onTimePromised: number;
  onTimeLegal: number;
  handlingDaysSum: number;
  inProgress: number;
  overdue: number;
  dueSoon: number;
  items: number;
  oneVisitItems: number;
  fullyOnlineItems: number;
  reviews: number;
  good: number;
  bad: number;
  rectificationCases: number;
  rectified: number;
  rectifiedOnTime: number;
  rectificationOverdue: number;
  policyEligible: number;
  policyClaims: number;
  policyClaimedFen: number;
  policyGrants: number;
  policyGrantedFen: number;
  openInquiries: number;
  overdueInquiries: number;
}

const emptySums = (): Sums => ({
  received: 0,
  concluded: 0,
  withdrawn: 0,
  timed: 0,
  onTimePromised: 0,
  onTimeLegal: 0,
  handlingDaysSum: 0,
  inProgress: 0,
  overdue: 0,
  dueSoon: 0,
  items: 0,
  oneVisitItems: 0,
  fullyOnlineItems: 0,
  reviews: 0,
  good: 0,
  bad: 0,
  rectificationCases: 0,
  rectified: 0,
  rectifiedOnTime: 0,
  rectificationOverdue: 0,
  policyEligible: 0,
  policyClaims: 0,
  policyClaimedFen: 0,
  policyGrants: 0,
  policyGrantedFen: 0,
  openInquiries: 0,
  overdueInquiries: 0,
});

const ratio = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

export function figuresOf(s: Sums): Figures {
  return {
    received: s.received,
    concluded: s.concluded,
    withdrawn: s.withdrawn,
    inProgress: s.inProgress,
    overdue: s.overdue,
    dueSoon: s.dueSoon,
    timed: s.timed,
    onTimePromisedRate: ratio(s.onTimePromised, s.timed),
    onTimeLegalRate: ratio(s.onTimeLegal, s.timed),
    averageHandlingDays: s.timed ? Math.round((s.handlingDaysSum / s.timed) * 100) / 100 : null,
    items: s.items,
    oneVisitRate: ratio(s.oneVisitItems, s.items),
    fullyOnlineRate: ratio(s.fullyOnlineItems, s.items),
    reviews: s.reviews,
    good: s.good,
    bad: s.bad,
    goodRate: ratio(s.good, s.reviews),
    rectificationCases: s.rectificationCases,
    rectified: s.rectified,
    rectificationRate: ratio(s.rectified, s.rectificationCases),
    rectifiedOnTime: s.rectifiedOnTime,
    rectificationTimelyRate: ratio(s.rectifiedOnTime, s.rectified),
    rectificationOverdue: s.rectificationOverdue,
    policyEligible: s.policyEligible,
    policyClaims: s.policyClaims,
    policyClaimedFen: s.policyClaimedFen,
    policyGrants: s.policyGrants,
    policyGrantedFen: s.policyGrantedFen,
    openInquiries: s.openInquiries,
    overdueInquiries: s.overdueInquiries,
  };
}

/**
 * The figures of the period before. Current figures (in progress, overdue, due soon, the items and
 * their rates, eligible enterprises, unanswered inquiries) stand as of today and have no value for
 * a past period: null, shown as "—".
 */
export function previousFiguresOf(s: Sums): PreviousFigures {
  return { ...figuresOf(s), inProgress: null, overdue: null, dueSoon: null, items: null, oneVisitRate: null, fullyOnlineRate: null, policyEligible: null, openInquiries: null, overdueInquiries: null };
}

function add(target: Sums, values: Partial<Sums>): void {
  for (const [key, value] of Object.entries(values)) target[key as keyof Sums] += value ?? 0;
}

function subtract(target: Sums, values: Partial<Sums>): void {
  for (const [key, value] of Object.entries(values)) if (key in target) target[key as keyof Sums] -= value ?? 0;
}

export { groupingsIn, regionCodesWithin };

const monthCount = (period: Period) => {
  const [fy, fm] = period.from.split('-').map(Number) as [number, number];
  const [ty, tm] = period.to.split('-').map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm) + 1;
};

/** A row of the application or the review rollup summed over the period, or a region's item counts. */
type PeriodRollupRow = RollupRow | ReviewRollupRow | Awaited<ReturnType<DashboardStore['itemCounts']>>[number];

/**
 * Supervision dashboards: a supervisor's region and everything below it, by child region,
 * department and item, over a month range, with the same figures for the period before. Figures of
 * the period come from the rollup (as of its last refresh); in progress, overdue and due soon come
 * live from the open applications. Knows nothing of HTTP.
 */
export class DashboardService {
  readonly store: DashboardStore;

  constructor(
    private readonly platform: Platform,
    private readonly source: SupervisionSource,
  ) {
    this.store = new DashboardStore(platform.db);
  }

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  /** Refreshes the read-model (the recurring job, an administrator, or a test). */
  refresh(options: { full?: boolean } = {}): Promise<RefreshResult> {
    return refreshRollup(this.store, this.source, this.platform.clock, options);
  }

  /** The period asked for, or the year to date; refused when malformed, reversed or too long. */
  period(input: { from?: string; to?: string }): Period {
    const thisMonth = this.today().slice(0, 7);
    const to = input.to || (input.from && MONTH.test(input.from) && input.from > thisMonth ? input.from : thisMonth);
    const from = input.from || `${to.slice(0, 4)}-01`;
    if (!MONTH.test(from)) throw fieldInvalid('invalidPeriod', '/from', 'supervision.period.month');
    if (!MONTH.test(to)) throw fieldInvalid('invalidPeriod', '/to', 'supervision.period.month');
    if (from > to) throw fieldInvalid('invalidPeriod', '/to', 'supervision.period.reversed');
    const period = { from, to };
    if (monthCount(period) > MAX_PERIOD_MONTHS) throw fieldInvalid('invalidPeriod', '/from', 'supervision.period.tooLong', { max: MAX_PERIOD_MONTHS });
    return period;
  }

  private supervisor(principal: SessionPrincipal): string {
    if (!principal.roles.includes('supervisor') || !principal.regionCode) throw forbidden('roleRequired');
    return principal.regionCode;
  }

  private outside(): never {
    throw forbidden('outsideSupervisedRegion', 'supervision.scope.outside');
  }

  /** The dashboard of a region (the supervisor's own when `regionCode` is absent). */
  async region(principal: SessionPrincipal, regionCode: string | undefined, input: { from?: string; to?: string }): Promise<DashboardView> {
    const home = this.supervisor(principal);
    const code = regionCode ?? home;
    if (code !== NATIONWIDE_REGION_CODE && !getRegion(code)) throw notFound('regionNotFound', 'supervision.scope.regionNotFound');
    if (!(code === home || home === NATIONWIDE_REGION_CODE || (code !== NATIONWIDE_REGION_CODE && isWithin(code, home)))) this.outside();
    return this.build(home, { kind: 'region', id: code }, this.period(input));
  }

  async department(principal: SessionPrincipal, departmentId: string, input: { from?: string; to?: string }): Promise<DashboardView> {
    const home = this.supervisor(principal);
    const department = await this.source.department(departmentId);
    if (!department) throw notFound('departmentNotFound', 'supervision.scope.departmentNotFound');
    if (!this.covers(home, department.regionCode)) this.outside();
    return this.build(home, { kind: 'department', id: departmentId }, this.period(input));
  }

  async item(principal: SessionPrincipal, itemId: string, input: { from?: string; to?: string }): Promise<DashboardView> {
    const home = this.supervisor(principal);
    const item = await this.store.item(itemId);
    if (!item) throw notFound('itemNotFound', 'supervision.scope.itemNotFound');
    if (!this.covers(home, item.regionCode)) this.outside();
    return this.build(home, { kind: 'item', id: itemId }, this.period(input));
  }

  private covers(home: string, regionCode: string): boolean {
    return home === NATIONWIDE_REGION_CODE || regionCode === home || isWithin(regionCode, home);
  }

  private async build(home: string, scope: { kind: ScopeKind; id: string }, period: Period): Promise<DashboardView> {
    const today = this.today();
    // A region's items are counted in SQL with its rollup (periodRollup); other scopes list theirs.
    const [calendar, scopeItems, reviewState] = await Promise.all([
      this.source.calendar(),
      scope.kind === 'region' ? Promise.resolve([]) : this.store.items(scope.kind === 'department' ? { regionCodes: null, departmentId: scope.id } : { regionCodes: null, itemId: scope.id }),
      this.store.refreshState(REVIEW_STATE),
    ]);
    const items = new Map(scopeItems.map((i) => [i.itemId, i]));
    const months = monthCount(period);
    const previous = { from: shiftMonth(period.from, -months), to: shiftMonth(period.from, -1) };

    // What the scope covers, and which row each record falls in.
    let regionCodes: string[] | null = null;
    let departmentIds: Promise<string[] | null>;
    // The departments the view names: its own, and (once the figures are in) those they mention.
    const departmentById = new Map<string, DirectoryEntry>();
    let namedDepartments: Promise<DirectoryEntry[]>;
    let departmentId: string | undefined;
    let itemId: string | undefined;
    let name: Localized;
    const rows = new Map<string, { ref: ScopeRef; sums: Sums }>();
    let rowKey: (regionCode: string, departmentId: string, itemId: string) => string | undefined;
    // Departments seated at the region itself or at one of its groupings have a row each.
    let seatedHere: Set<string> | undefined;

    if (scope.kind === 'region') {
      const code = scope.id;
      name = regionName(code);
      if (code !== NATIONWIDE_REGION_CODE) regionCodes = regionCodesWithin(code);
      // Within a region, the departments seated anywhere in it (the nation: every department).
      const within = code === NATIONWIDE_REGION_CODE ? Promise.resolve(null) : this.source.departmentsInRegions(regionCodes!);
      departmentIds = within.then((list) => list && list.map((d) => d.id));
      const childCodes = new Set<string>();
      for (const child of children(code)) {
        childCodes.add(child.code);
        rows.set(`r:${child.code}`, { ref: { kind: 'region', id: child.code, name: { 'zh-CN': child.name, en: child.name } }, sums: emptySums() });
      }
      const seated = (seatedHere = new Set([code, ...groupingsIn(code).map((g) => g.code)]));
      namedDepartments = within.then((list) => list ?? this.source.departmentsInRegions([...seated]));
      const memo = new Map<string, string | undefined>();
      rowKey = (rc, dep) => {
        if (seated.has(rc)) return `d:${dep}`;
        if (!memo.has(rc)) memo.set(rc, [rc, ...ancestors(rc).map((a) => a.code)].find((c) => childCodes.has(c)));
        const child = memo.get(rc);
        return child ? `r:${child}` : undefined;
      };
    } else if (scope.kind === 'department') {
      const department = (await this.source.department(scope.id))!;
      namedDepartments = Promise.resolve([department]);
      name = { 'zh-CN': department.nameZh, en: department.nameEn };
      departmentId = scope.id;
      departmentIds = Promise.resolve([scope.id]);
      for (const item of items.values()) rows.set(`i:${item.itemId}`, { ref: itemRef(item), sums: emptySums() });
      rowKey = (_rc, _dep, item) => `i:${item}`;
    } else {
      const item = items.get(scope.id)!;
      name = { 'zh-CN': item.nameZh, en: item.nameEn };
      itemId = scope.id;
      departmentId = item.departmentId;
      departmentIds = Promise.resolve([item.departmentId]);
      namedDepartments = this.source.department(item.departmentId).then((d) => (d ? [d] : []));
      rowKey = () => undefined;
    }

    const totals = emptySums();
    const before = emptySums();
    const into = (regionCode: string, dep: string, item: string, values: Partial<Sums>) => {
      add(totals, values);
      const key = rowKey(regionCode, dep, item);
      if (!key) return;
      let row = rows.get(key);
      if (!row) {
        // An item or department that has left the catalogue still shows with what it handled.
        if (key.startsWith('d:')) row = { ref: departmentRef(departmentById.get(dep) ?? { id: dep, nameZh: dep, nameEn: dep, regionCode }), sums: emptySums() };
        else if (key.startsWith('i:')) row = { ref: { kind: 'item', id: item, name: { 'zh-CN': item, en: item } }, sums: emptySums() };
        else return;
        rows.set(key, row);
      }
      add(row.sums, values);
    };

    const soonWorking = calendar.calendar.addWorkingDays(today, DUE_SOON_DAYS);
    const soonCalendar = fromDayNumber(toDayNumber(today) + DUE_SOON_DAYS);
    const openFilter = { regionCodes, departmentId, itemId, today, soonWorking, soonCalendar };
    const reviewFilter = async (p: Period) => ({ departmentIds: await departmentIds, itemId, fromIso: monthStartIso(p.from), toIso: monthStartIso(shiftMonth(p.to, 1)) });
    // The cases counted live are those of the reviews the rollup holds (made up to its cutoff).
    const caseFilter = async (p: Period) => ({ ...(await reviewFilter(p)), byItem: scope.kind === 'department', until: reviewState?.afterUpdatedAt ?? '' });
    const [rollup, rollupBefore, open, cases, casesBefore, uptake, uptakeBefore, overdue, dueSoon, state, departments] = await Promise.all([
      this.periodRollup(scope, rows, { regionCodes, departmentId, itemId, fromMonth: period.from, toMonth: period.to }),
      this.periodRollup(scope, undefined, { regionCodes, departmentId, itemId, fromMonth: previous.from, toMonth: previous.to }),
      // A region's rows are child regions and departments: its open counts need no items.
      this.source.openCounts(openFilter, scope.kind === 'region' ? 'department' : 'item'),
      caseFilter(period).then((filter) => this.source.caseFigures(filter)),
      // The period before needs the totals only.
      caseFilter(previous).then((filter) => this.source.caseFigures({ ...filter, total: true })),
      itemId ? Promise.resolve([]) : reviewFilter(period).then((filter) => this.source.policyUptake(filter)),
      // The period before needs claims and grants only: eligible and inquiries are current figures.
      itemId ? Promise.resolve([]) : reviewFilter(previous).then((filter) => this.source.policyUptake({ ...filter, periodOnly: true })),
      this.source.dueList(openFilter, 'overdue', DUE_LIST_LIMIT),
      this.source.dueList(openFilter, 'dueSoon', DUE_LIST_LIMIT),
      this.store.refreshState('applications'),
      namedDepartments,
    ]);
    for (const d of departments) departmentById.set(d.id, d);
    // Policies and due applications of departments not named yet (the nation names only its own).
    const unnamed = new Set([...uptake, ...overdue, ...dueSoon].map((row) => row.departmentId).filter((id) => !departmentById.has(id)));
    if (unnamed.size) for (const d of await this.source.departmentsByIds([...unnamed])) departmentById.set(d.id, d);
    const regionOfDepartment = (dep: string) => departmentById.get(dep)?.regionCode ?? '';
    if (seatedHere) for (const d of departments.filter((d) => seatedHere.has(d.regionCode))) rows.set(`d:${d.id}`, { ref: departmentRef(d), sums: emptySums() });

    if (rollup.kind === 'region') {
      // The scope's own row holds everything below it; child regions and own departments are rows.
      for (const r of rollup.total) add(totals, r);
      for (const r of rollup.rows) {
        const row = rows.get(r.departmentId ? `d:${r.departmentId}` : `r:${r.regionCode}`);
        if (row) add(row.sums, r);
        else if (r.departmentId) {
          // A department that has left the directory: its row as into() makes it, counted once.
          into(r.regionCode, r.departmentId, r.itemId, r);
          subtract(totals, r);
        }
      }
    } else for (const r of rollup.rows) into(r.regionCode, r.departmentId, r.itemId, r);
    for (const r of rollupBefore.kind === 'region' ? rollupBefore.total : rollupBefore.rows) add(before, r);
    for (const o of open) into(o.regionCode, o.departmentId, o.itemId, { inProgress: o.open, overdue: o.overdue, dueSoon: o.dueSoon });
    for (const item of items.values()) {
      if (item.status !== 'published') continue;
      into(item.regionCode, item.departmentId, item.itemId, { items: 1, oneVisitItems: item.visits <= 1 ? 1 : 0, fullyOnlineItems: item.fullyOnline ? 1 : 0 });
    }
    // Reviews come with the rollup; their cases live, with the reviews an upheld appeal left out taken off.
    const caseSums = (c: (typeof cases)[number]): Partial<Sums> => ({
      reviews: -c.excludedReviews,
      good: -c.excludedGood,
      bad: -c.excludedBad,
      rectificationCases: c.cases,
      rectified: c.rectified,
      rectifiedOnTime: c.rectifiedOnTime,
      rectificationOverdue: c.rectificationOverdue,
    });
    for (const c of cases) into(c.regionCode, c.departmentId, c.itemId, caseSums(c));
    for (const c of casesBefore) add(before, caseSums(c));
    const uptakeSums = (u: (typeof uptake)[number]): Partial<Sums> => ({
      policyEligible: u.eligible,
      policyClaims: u.claims,
      policyClaimedFen: u.claimedFen,
      policyGrants: u.grants,
      policyGrantedFen: u.grantedFen,
      openInquiries: u.openInquiries,
      overdueInquiries: u.overdueInquiries,
    });
    // Policies belong to departments, not items: at department level they count in the totals only.
    for (const u of uptake) {
      if (scope.kind === 'department') add(totals, uptakeSums(u));
      else into(regionOfDepartment(u.departmentId), u.departmentId, '', uptakeSums(u));
    }
    for (const u of uptakeBefore) add(before, uptakeSums(u));

    const dueRow = (row: (typeof overdue)[number]): DueRow => {
      const department = departmentById.get(row.departmentId);
      return {
        applicationId: row.id,
        trackingNumber: row.trackingNumber ?? '',
        itemId: row.itemId,
        itemName: { 'zh-CN': row.itemNameZh, en: row.itemNameEn },
        departmentId: row.departmentId,
        departmentName: department ? { 'zh-CN': department.nameZh, en: department.nameEn } : { 'zh-CN': row.departmentId, en: row.departmentId },
        regionCode: row.regionCode,
        status: row.status,
        dueOn: row.queueDue,
        daysLeft: daysBetween(calendar, row.timeUnit, today, row.queueDue),
        timeUnit: row.timeUnit,
        submittedAt: row.submittedAt,
      };
    };

    const path: ScopeRef[] = this.path(home, scope, departmentById, items);
    return {
      scope: { kind: scope.kind, id: scope.id, name },
      path,
      period,
      previousPeriod: previous,
      today,
      asOf: state?.refreshedAt ?? null,
      totals: figuresOf(totals),
      previous: previousFiguresOf(before),
      rows: [...rows.values()].map((row) => ({ ...row.ref, figures: figuresOf(row.sums) })),
      overdue: overdue.map(dueRow),
      dueSoon: dueSoon.map(dueRow),
    };
  }

  /**
   * The rollup of the period. A region's comes from the per-region rows (its own row for the
   * totals, one per child region, whatever lies below them) and the item rows of its own
   * departments: a few hundred rows even for the nation. `rows` absent: the totals only.
   */
  private async periodRollup(scope: { kind: ScopeKind; id: string }, rows: Map<string, unknown> | undefined, filter: RollupFilter): Promise<{ kind: 'region'; total: PeriodRollupRow[]; rows: PeriodRollupRow[] } | { kind: 'other'; rows: PeriodRollupRow[] }> {
    if (scope.kind !== 'region') {
      const [applications, reviews] = await Promise.all([this.store.rollup(filter), this.store.reviewRollup(filter)]);
      return { kind: 'other', rows: [...applications, ...reviews] };
    }
    const childCodes = rows ? [...rows.keys()].filter((key) => key.startsWith('r:')).map((key) => key.slice(2)) : [];
    const codes = [scope.id, ...childCodes];
    // The scope's own departments: seated at the region itself or at one of its groupings.
    const ownFilter = { ...filter, regionCodes: [scope.id, ...groupingsIn(scope.id).map((g) => g.code)] };
    // With the rows, the current period: the published items (they stand as of today) come too.
    const [regions, regionReviews, regionItems, own, ownReviews, ownItems] = await Promise.all([
      this.store.regionRollup(codes, filter.fromMonth, filter.toMonth),
      this.store.reviewRegionRollup(codes, filter.fromMonth, filter.toMonth),
      rows ? this.store.itemCounts({ regions: codes }) : Promise.resolve([]),
      rows ? this.store.rollup(ownFilter) : Promise.resolve([]),
      rows ? this.store.reviewRollup(ownFilter) : Promise.resolve([]),
      rows ? this.store.itemCounts({ seatedAt: ownFilter.regionCodes }) : Promise.resolve([]),
    ]);
    const all: PeriodRollupRow[] = [...regions, ...regionReviews, ...regionItems];
    return { kind: 'region', total: all.filter((r) => r.regionCode === scope.id), rows: [...all.filter((r) => r.regionCode !== scope.id), ...own, ...ownReviews, ...ownItems] };
  }

  /** Breadcrumbs from the supervisor's own region down to the scope (not above what they may see). */
  private path(home: string, scope: { kind: ScopeKind; id: string }, departments: Map<string, { id: string; nameZh: string; nameEn: string; regionCode: string }>, items: Map<string, { itemId: string; departmentId: string; nameZh: string; nameEn: string }>): ScopeRef[] {
    const chain: ScopeRef[] = [];
    let regionCode: string;
    if (scope.kind === 'item') {
      const item = items.get(scope.id)!;
      const department = departments.get(item.departmentId);
      if (department) chain.unshift(departmentRef(department));
      regionCode = department?.regionCode ?? home;
    } else if (scope.kind === 'department') {
      regionCode = departments.get(scope.id)!.regionCode;
    } else {
      regionCode = scope.id;
    }
    const regions = regionCode === NATIONWIDE_REGION_CODE ? [] : [...ancestors(regionCode).map((r) => r.code), regionCode];
    // A grouping (市辖区 310100) is nobody's ancestor: below it, the chain starts at the grouping itself.
    const visible =
      home === NATIONWIDE_REGION_CODE
        ? [NATIONWIDE_REGION_CODE, ...regions]
        : regions.includes(home)
          ? regions.slice(regions.indexOf(home))
          : [home, ...regions.filter((c) => isWithin(c, home))];
    const refs = visible.map((code): ScopeRef => ({ kind: 'region', id: code, name: regionName(code) }));
    const result = [...refs, ...chain];
    // The scope itself is the page's heading, not a link.
    return scope.kind === 'region' ? result.slice(0, -1) : result;
  }
}

function regionName(code: string): Localized {
  if (code === NATIONWIDE_REGION_CODE) return { 'zh-CN': '全国', en: 'Nationwide' };
  const name = getRegion(code)?.name ?? code;
  return { 'zh-CN': name, en: name };
}

function departmentRef(d: { id: string; nameZh: string; nameEn: string }): ScopeRef {
  return { kind: 'department', id: d.id, name: { 'zh-CN': d.nameZh, en: d.nameEn } };
}

function itemRef(item: { itemId: string; nameZh: string; nameEn: string }): ScopeRef {
  return { kind: 'item', id: item.itemId, name: { 'zh-CN': item.nameZh, en: item.nameEn } };
}

export { shanghaiMonth };
