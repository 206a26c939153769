/**
 * Enterprise size class for statistics: 统计上大中小微型企业划分办法（2017）, 国统字〔2017〕213号.
 *
 * The official table is encoded as data (SIZE_CLASS_TABLE) and evaluated by one generic classifier,
 * so that a reader can check each row against the published table and a revision means editing
 * rows, not logic. The standard's rules:
 *  - large, medium and small must reach the lower bound of EVERY indicator listed for the industry,
 *    otherwise the enterprise drops one class (下划一档) and is tested against the next;
 *  - micro needs only one indicator below the small lower bound, i.e. it is whatever fails small.
 * Amounts are in yuan here; the standard states them in 万元 (10 000 yuan), hence `wan(...)`.
 *
 * Coverage follows note 2 of the standard, with GB/T 4754-2017 as the industry scope. Industries the
 * standard does not cover (railway transport 53, finance J — which has its own rule, 房地产租赁经营
 * 7040, education P, health 84, public administration S, international organisations T) give
 * `notCovered` instead of a guess.
 */
import { getIndustry } from './industries.js';

export type SizeClass = 'large' | 'medium' | 'small' | 'micro';
export type SizeIndicator = 'employees' | 'operatingRevenue' | 'totalAssets';

/** Lower bounds for [large, medium, small]; micro is everything below small. */
export type LowerBounds = readonly [large: number, medium: number, small: number];

export interface SizeClassRow {
  /** Industry name as printed in the standard's table. */
  industryGroup: string;
  /** GB/T 4754-2017 codes covered: section letters or numeric prefixes (division, group, class). */
  covers: readonly string[];
  thresholds: Readonly<Partial<Record<SizeIndicator, LowerBounds>>>;
}

const wan = (amountInTenThousandYuan: number): number => amountInTenThousandYuan * 10_000;

export const SIZE_CLASS_TABLE: readonly SizeClassRow[] = [
  {
    industryGroup: '农、林、牧、渔业',
    covers: ['A'],
    thresholds: { operatingRevenue: [wan(20000), wan(500), wan(50)] },
  },
  {
    // 工业 = 采矿业, 制造业, 电力、热力、燃气及水生产和供应业.
    industryGroup: '工业',
    covers: ['B', 'C', 'D'],
    thresholds: { employees: [1000, 300, 20], operatingRevenue: [wan(40000), wan(2000), wan(300)] },
  },
  {
    industryGroup: '建筑业',
    covers: ['E'],
    thresholds: { operatingRevenue: [wan(80000), wan(6000), wan(300)], totalAssets: [wan(80000), wan(5000), wan(300)] },
  },
  {
    industryGroup: '批发业',
    covers: ['51'],
    thresholds: { employees: [200, 20, 5], operatingRevenue: [wan(40000), wan(5000), wan(1000)] },
  },
  {
    industryGroup: '零售业',
    covers: ['52'],
    thresholds: { employees: [300, 50, 10], operatingRevenue: [wan(20000), wan(500), wan(100)] },
  },
  {
    // Road, water, air, pipeline transport, multimodal transport and agency, and 装卸搬运 (591);
    // railway transport (53) is excluded by the standard.
    industryGroup: '交通运输业',
    covers: ['54', '55', '56', '57', '58', '591'],
    thresholds: { employees: [1000, 300, 20], operatingRevenue: [wan(30000), wan(3000), wan(200)] },
  },
  {
    // Every storage group of division 59; 装卸搬运 (591) belongs to transport above.
    industryGroup: '仓储业',
    covers: ['592', '593', '594', '595', '596', '599'],
    thresholds: { employees: [200, 100, 20], operatingRevenue: [wan(30000), wan(1000), wan(100)] },
  },
  {
    industryGroup: '邮政业',
    covers: ['60'],
    thresholds: { employees: [1000, 300, 20], operatingRevenue: [wan(30000), wan(2000), wan(100)] },
  },
  {
    industryGroup: '住宿业',
    covers: ['61'],
    thresholds: { employees: [300, 100, 10], operatingRevenue: [wan(10000), wan(2000), wan(100)] },
  },
  {
    industryGroup: '餐饮业',
    covers: ['62'],
    thresholds: { employees: [300, 100, 10], operatingRevenue: [wan(10000), wan(2000), wan(100)] },
  },
  {
    // 电信、广播电视和卫星传输服务 and 互联网和相关服务.
    industryGroup: '信息传输业',
    covers: ['63', '64'],
    thresholds: { employees: [2000, 100, 10], operatingRevenue: [wan(100000), wan(1000), wan(100)] },
  },
  {
    industryGroup: '软件和信息技术服务业',
    covers: ['65'],
    thresholds: { employees: [300, 100, 10], operatingRevenue: [wan(10000), wan(1000), wan(50)] },
  },
  {
    industryGroup: '房地产开发经营',
    covers: ['701'],
    thresholds: { operatingRevenue: [wan(200000), wan(1000), wan(100)], totalAssets: [wan(10000), wan(5000), wan(2000)] },
  },
  {
    industryGroup: '物业管理',
    covers: ['702'],
    thresholds: { employees: [1000, 300, 100], operatingRevenue: [wan(5000), wan(1000), wan(500)] },
  },
  {
    industryGroup: '租赁和商务服务业',
    covers: ['L'],
    thresholds: { employees: [300, 100, 10], totalAssets: [wan(120000), wan(8000), wan(100)] },
  },
  {
    // 科学研究和技术服务业, 水利、环境和公共设施管理业, 居民服务、修理和其他服务业, 社会工作,
    // 文化、体育和娱乐业, 房地产中介服务 and 其他房地产业; not 房地产租赁经营 (704, formerly
    // 自有房地产经营活动).
    industryGroup: '其他未列明行业',
    covers: ['M', 'N', 'O', '85', 'R', '703', '709'],
    thresholds: { employees: [300, 100, 10] },
  },
];

const INDICATOR_ORDER: readonly SizeIndicator[] = ['employees', 'operatingRevenue', 'totalAssets'];
const CLASSES_BY_RANK: readonly SizeClass[] = ['large', 'medium', 'small'];

export interface EnterpriseSizeInput {
  /** GB/T 4754-2017 class code (4 digits) of the enterprise's main activity. */
  industry: string;
  /** Persons employed at period end (期末从业人员; the yearly average where there is no period-end figure). */
  employees?: number;
  /** Operating revenue in yuan (营业收入; 主营业务收入 where the industry reports that). */
  operatingRevenue?: number;
  /** Total assets in yuan (资产总额, taken from 资产总计). */
  totalAssets?: number;
}

export type EnterpriseSizeResult =
  | { status: 'classified'; sizeClass: SizeClass; industryGroup: string; indicatorsUsed: SizeIndicator[] }
  | { status: 'insufficientData'; industryGroup: string; missingIndicators: SizeIndicator[] }
  | { status: 'notCovered'; reason: 'unknownIndustryClass' | 'industryOutsideStandard' }
  | { status: 'invalidInput'; indicator: SizeIndicator; reason: 'negative' | 'notFinite' };

function rowCovers(row: SizeClassRow, classCode: string, section: string): boolean {
  return row.covers.some((c) => (/^[A-Z]$/.test(c) ? c === section : classCode.startsWith(c)));
}

/** The table row that applies to a GB/T 4754-2017 class code, if the standard covers it. */
export function sizeClassRowFor(classCode: string): SizeClassRow | undefined {
  const industry = getIndustry(classCode);
  if (!industry || industry.level !== 'class') return undefined;
  return SIZE_CLASS_TABLE.find((row) => rowCovers(row, classCode, industry.section));
}

export function indicatorsOf(row: SizeClassRow): SizeIndicator[] {
  return INDICATOR_ORDER.filter((indicator) => row.thresholds[indicator] !== undefined);
}

/**
 * Classifies an enterprise by the table. A missing indicator that the industry's row lists gives
 * `insufficientData` — it is never read as zero, which would wrongly make the enterprise micro.
 */
export function classifyEnterpriseSize(input: EnterpriseSizeInput): EnterpriseSizeResult {
  const industry = getIndustry(input.industry);
  if (!industry || industry.level !== 'class') return { status: 'notCovered', reason: 'unknownIndustryClass' };
  const row = sizeClassRowFor(input.industry);
  if (!row) return { status: 'notCovered', reason: 'industryOutsideStandard' };

  const indicators = indicatorsOf(row);
  const missingIndicators = indicators.filter((indicator) => input[indicator] === undefined);
  if (missingIndicators.length > 0) return { status: 'insufficientData', industryGroup: row.industryGroup, missingIndicators };

  for (const indicator of indicators) {
    const value = input[indicator] as number;
    if (!Number.isFinite(value)) return { status: 'invalidInput', indicator, reason: 'notFinite' };
    if (value < 0) return { status: 'invalidInput', indicator, reason: 'negative' };
  }

  const meetsAll = (rank: number) =>
    indicators.every((indicator) => (input[indicator] as number) >= (row.thresholds[indicator] as LowerBounds)[rank]!);
  const rank = CLASSES_BY_RANK.findIndex((_, r) => meetsAll(r));
  const sizeClass: SizeClass = rank === -1 ? 'micro' : CLASSES_BY_RANK[rank]!;
  return { status: 'classified', sizeClass, industryGroup: row.industryGroup, indicatorsUsed: indicators };
}
