import type { SessionPrincipal } from '../core/auth.js';
import type { Platform } from '../core/platform.js';
import type { PolicyDocument } from '../policies/format/schema.js';
import type { ProfileInput } from '../policies/profiles/profile.js';
import type { Services } from '../services.js';
import { catalogStaffUsername, staffPrincipal } from './catalog.js';
import { demoEnterpriseProfiles } from './enterprises.js';
import { DEMO_POLICY_FILE } from './policies.js';
import { POLICY_SERVICE_ITEMS } from './policy-items.js';
import type { DemoAccount } from './seed.js';

export const POLICY_DEMO_PASSWORD = 'Tongban-staff-2026';
/** Fixed TOTP secrets for the demo policy officers (demo data only). */
export const POLICY_DEMO_TOTP = { author: 'ORSXG5DQN5WGSY3ZORSXG5DQN5WGSY3Z', reviewer: 'OJSXM2LFO5SXE4TFOZUWK53FOJZGK5TJ' };

/** Departments the policy demo needs beyond the catalogue's (policies of regions it does not cover). */
const EXTRA_DEPARTMENTS = [
  { code: 'BJ-FINANCE', nameZh: '北京市财政局', nameEn: 'Beijing Municipal Finance Bureau', level: 'provincial', regionCode: '110000' },
  { code: 'SC-DRC', nameZh: '四川省发展和改革委员会', nameEn: 'Sichuan Development and Reform Commission', level: 'provincial', regionCode: '510000' },
  { code: 'HB-STD', nameZh: '湖北省科学技术厅', nameEn: 'Hubei Department of Science and Technology', level: 'provincial', regionCode: '420000' },
] as const;

const OWNER_BY_REGION: Record<string, string> = {
  '100000': 'GOV-NATIONAL-TAX',
  '420000': 'HB-STD',
  '310000': 'SH-SAMR',
  '310115': 'SH-PD-TAX',
  '330000': 'ZJ-SAMR',
  '330100': 'ZJ-HZ-HRSS',
  '330106': 'ZJ-HZ-XH-SAMR',
  '440000': 'GD-SAMR',
  '440300': 'SZ-HRSS',
  '110000': 'BJ-FINANCE',
  '510000': 'SC-DRC',
};

const itemDepartment = new Map(POLICY_SERVICE_ITEMS.map(({ departmentCode, definition }) => [definition.implementationCode, departmentCode]));

/**
 * The department that owns a demo policy: for a claimable policy the department that handles the
 * claim item; otherwise the demo department of its region (national ones with the tax service,
 * which also collects social insurance contributions).
 */
export function owningDepartment(policy: PolicyDocument): string {
  if (policy.serviceItem && itemDepartment.has(policy.serviceItem)) return itemDepartment.get(policy.serviceItem)!;
  if (policy.regions.includes('100000') || policy.code.startsWith('CN-')) return 'GOV-NATIONAL-TAX';
  const owner = OWNER_BY_REGION[policy.regions[0]!];
  if (!owner) throw new Error(`no demo department for policy ${policy.code}`);
  return owner;
}

const username = (kind: 'author' | 'reviewer', departmentCode: string) => `${kind === 'author' ? 'policy' : 'policy-review'}.${departmentCode.toLowerCase()}`;

/** The policy officers `npm start` prints: two departments' pairs; the others follow the same pattern. */
export function policyDemoAccounts(): DemoAccount[] {
  return ['SH-PD-HRSS', 'GOV-NATIONAL-TAX'].flatMap((department) =>
    (['author', 'reviewer'] as const).map((kind) => ({
      role: `policy officer (${kind === 'author' ? 'drafts' : 'reviews'}) ${department}`,
      login: username(kind, department),
      password: POLICY_DEMO_PASSWORD,
      note: `TOTP secret ${POLICY_DEMO_TOTP[kind]}; every policy-owning department has policy.<code> and policy-review.<code>`,
    })),
  );
}

/**
 * The policy zone's demo: the service items policies are claimed through, two policy officers per
 * owning department, 2,000 enterprise profiles as the authorities hold them (plus the demo
 * enterprises), and the demo policies, published. Skipped when policies exist already.
 */
export async function seedPolicies(platform: Platform, services: Services, departments: Map<string, string>, demoEnterprises: readonly ProfileInput[]): Promise<void> {
  if ((await platform.db.selectFrom('policies').select('id').limit(1).execute()).length > 0) return;
  const identity = services.identity;
  for (const department of EXTRA_DEPARTMENTS) {
    const existing = await identity.store.departmentByCode(department.code);
    departments.set(department.code, existing?.id ?? (await identity.createDepartment({ ...department })).id);
  }
  const departmentId = async (code: string) => departments.get(code) ?? (await identity.store.departmentByCode(code))?.id;

  const editors = new Map<string, SessionPrincipal>();
  for (const { departmentCode, definition } of POLICY_SERVICE_ITEMS) {
    if (await services.catalog.itemByImplementationCode(definition.implementationCode)) continue;
    let editor = editors.get(departmentCode);
    if (!editor) {
      const account = await identity.store.accountByUsername(catalogStaffUsername('catalogEditor', departmentCode));
      const department = await identity.store.departmentByCode(departmentCode);
      if (!account?.staffId || !department) throw new Error(`the demo catalogue has no editor for ${departmentCode}`);
      editor = staffPrincipal({ staffId: account.staffId, accountId: account.id, name: 'demo', departmentId: department.id, regionCode: department.regionCode, roles: ['catalogEditor'] });
      editors.set(departmentCode, editor);
    }
    await services.catalog.publishItem(editor, definition);
  }

  const byDepartment = new Map<string, PolicyDocument[]>();
  for (const policy of DEMO_POLICY_FILE.policies) {
    const owner = owningDepartment(policy);
    byDepartment.set(owner, [...(byDepartment.get(owner) ?? []), policy]);
  }
  for (const code of byDepartment.keys()) {
    const id = await departmentId(code);
    const department = await identity.store.departmentByCode(code);
    if (!id || !department) throw new Error(`no demo department ${code}`);
    for (const kind of ['author', 'reviewer'] as const) {
      if (await identity.store.accountByUsername(username(kind, code))) continue;
      const { accountId } = await identity.createStaff(
        { name: kind === 'author' ? '政策专员' : '政策审核员', username: username(kind, code), password: POLICY_DEMO_PASSWORD, departmentId: id, regionCode: department.regionCode, roles: ['policyOfficer'] },
        { type: 'system', label: 'demo data' },
      );
      await identity.enrolTotpWithSecret(accountId, POLICY_DEMO_TOTP[kind]);
    }
  }

  const nowIso = platform.clock.now().toISOString();
  await services.enterpriseFacts.insertMany([...demoEnterprises, ...demoEnterpriseProfiles(2000)], nowIso);

  for (const [code, policies] of byDepartment) {
    const facts = DEMO_POLICY_FILE.facts?.filter((fact) => JSON.stringify(policies).includes(`"${fact.name}"`));
    await services.policyLibrary.importAsOperator(code, { format: DEMO_POLICY_FILE.format, ...(facts?.length ? { facts } : {}), policies }, { publish: true, operator: 'demo data' });
  }
}
