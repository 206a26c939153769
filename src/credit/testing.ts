import type { Role } from '../core/auth.js';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import { staffSession } from '../identity/testing.js';
import { makeUscc, organizationCodeBodyFromNumber } from '../reference/testing.js';
import { createServices } from '../services.js';
import type { RecordInput } from './schema.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

let counter = 0;

/** A department with an officer signed in past TOTP, and a departmental system allowed to report credit records. */
export async function creditDepartment(t: TestApp, options: { regionCode?: string; roles?: Role[] } = {}) {
  const services = createServices(t.platform);
  const regionCode = options.regionCode ?? '310115';
  const n = ++counter;
  const department = await services.identity.createDepartment({ code: `CREDIT-${regionCode}-${n}`, nameZh: `${regionCode}市场监管局${n}`, nameEn: `Market Regulation ${regionCode} ${n}`, level: 'county', regionCode });
  const officer = await staffSession(t, { roles: options.roles ?? ['officer'], departmentId: department.id, regionCode, name: '信用专员' });
  return { department, officer };
}

/**
 * A client-credentials access token of a departmental system with the given scopes, obtained from
 * the real token endpoint (so the tests exercise the same path as a department's system).
 */
export async function departmentToken(t: TestApp, departmentId: string, scopes: string[] = ['credit:report']): Promise<string> {
  const admin = await staffSession(t, { roles: ['admin'] });
  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/v1/admin/oidc-clients',
    headers: { cookie: admin.cookie },
    payload: { name: '执法办案系统', departmentId, grantTypes: ['client_credentials'], scopes },
  });
  if (registered.statusCode !== 201) throw new Error(`registering the client failed: ${registered.body}`);
  const { clientId, clientSecret } = registered.json() as { clientId: string; clientSecret: string };
  const token = await t.app.inject({
    method: 'POST',
    url: '/oidc/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}` },
    payload: `grant_type=client_credentials${scopes.length ? `&scope=${encodeURIComponent(scopes.join(' '))}` : ''}`,
  });
  if (token.statusCode !== 200) throw new Error(`token failed: ${token.statusCode} ${token.body}`);
  return (token.json() as { access_token: string }).access_token;
}

/** A valid USCC in the region that no other test uses. */
export function testUscc(region = '310115'): string {
  return makeUscc({ region, organizationCodeBody: organizationCodeBodyFromNumber(900_000 + ++counter) });
}

/** A penalty report; tests override what they exercise. */
export function penaltyReport(uscc: string, overrides: Partial<RecordInput> = {}): RecordInput {
  return {
    category: 'penalty',
    subject: { kind: 'enterprise', uscc, name: '上海示例餐饮管理有限公司' },
    title: '未按规定公示食品经营许可证',
    content: '当事人未在经营场所显著位置悬挂食品经营许可证，责令改正并处罚款2000元。',
    legalBasis: '《中华人民共和国食品安全法》第一百二十六条',
    documentNumber: `沪浦市监罚〔2026〕${++counter}号`,
    decidedOn: '2026-03-02',
    ...overrides,
  };
}

/**
 * The real app on a fresh database at 2 March 2026 (Beijing morning), with a department whose
 * officer is signed in and whose system holds a credit:report token, and a `report` that posts
 * a record with that token.
 */
export async function createCreditTestApp() {
  const t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
  const services = createServices(t.platform);
  const market = await creditDepartment(t);
  const token = await departmentToken(t, market.department.id);
  const report = (payload: object, bearer = token) => t.app.inject({ method: 'POST', url: '/api/v1/credit/records', headers: { authorization: `Bearer ${bearer}` }, payload });
  return { t, services, market, token, report };
}

/** The header of a credit CSV with every column. */
export const CSV_HEADER = 'category,severity,subjectKind,uscc,subjectName,idNumber,title,content,legalBasis,documentNumber,decidedOn,effectiveFrom,effectiveTo,publicFields';

/** One CSV line of a general penalty; tests override what they exercise (values are written as given, quote them yourself). */
export const csvRow = (uscc: string, doc: string, overrides: Partial<Record<string, string>> = {}) => {
  const values: Record<string, string> = {
    category: 'penalty',
    severity: 'general',
    subjectKind: 'enterprise',
    uscc,
    subjectName: '上海导入样例有限公司',
    idNumber: '',
    title: '未按规定明码标价',
    content: '"警告, 并处罚款 500 元"',
    legalBasis: '《价格法》第四十二条',
    documentNumber: doc,
    decidedOn: '2026-02-20',
    effectiveFrom: '',
    effectiveTo: '',
    publicFields: 'title|legalBasis',
    ...overrides,
  };
  return CSV_HEADER.split(',').map((c) => values[c]).join(',');
};
