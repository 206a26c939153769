import type { Role } from '../core/auth.js';
import type { ProfileInput } from '../policies/profiles/profile.js';
import type { Platform } from '../core/platform.js';
import { makeResidentId, makeUscc, organizationCodeBodyFromNumber } from '../reference/testing.js';
import { createServices, type Services } from '../services.js';
import { catalogDemoAccounts, seedCatalog } from './catalog.js';
import { personPrincipal, seedApplications } from './applications.js';
import { policyDemoAccounts, seedPolicies } from './policy-seed.js';
import { seedCredit } from './credit.js';

export interface DemoAccount {
  role: string;
  login: string;
  password: string;
  note?: string;
}

export interface SeedResult {
  created: boolean;
  accounts: DemoAccount[];
}

/**
 * Fixed TOTP secrets for the demo staff, printed with the accounts so that a newcomer can add them
 * to an authenticator app. Demo data only: real staff enrol their own.
 */
const DEMO_TOTP = {
  officer: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  supervisor: 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU',
  admin: 'MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK',
};

export const DEMO_DEPARTMENTS = [
  { code: 'GOV-NATIONAL-SAMR', nameZh: '国家市场监督管理总局', nameEn: 'State Administration for Market Regulation', level: 'national', regionCode: '100000' },
  { code: 'SH-SAMR', nameZh: '上海市市场监督管理局', nameEn: 'Shanghai Administration for Market Regulation', level: 'provincial', regionCode: '310000' },
  { code: 'SH-PD-SAMR', nameZh: '上海市浦东新区市场监督管理局', nameEn: 'Pudong New Area Market Regulation Bureau', level: 'county', regionCode: '310115' },
  { code: 'SH-PD-HRSS', nameZh: '上海市浦东新区人力资源和社会保障局', nameEn: 'Pudong New Area Human Resources and Social Security Bureau', level: 'county', regionCode: '310115' },
  { code: 'ZJ-HZ-TAX', nameZh: '国家税务总局杭州市税务局', nameEn: 'Hangzhou Municipal Tax Service', level: 'city', regionCode: '330100' },
  { code: 'ZJ-HZ-XH-SAMR', nameZh: '杭州市西湖区市场监督管理局', nameEn: 'Xihu District Market Regulation Bureau, Hangzhou', level: 'county', regionCode: '330106' },
] as const;

export const DEMO_PERSON_PASSWORD = 'Tongban-demo-2026';
export const DEMO_STAFF_PASSWORD = 'Tongban-staff-2026';

/** Residents of the synthetic population registry. The first two have accounts; the others can register. */
export const DEMO_RESIDENTS = [
  { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1988-03-08', sequence: 122 }), phone: '13900000001', registered: true },
  { name: '李建国', idNumber: makeResidentId({ region: '330106', birthDate: '1975-10-01', sequence: 317 }), phone: '13900000002', registered: true },
  { name: '张伟', idNumber: makeResidentId({ region: '110105', birthDate: '1992-07-21', sequence: 35 }), phone: '13900000003', registered: false },
  { name: '陈静', idNumber: makeResidentId({ region: '440305', birthDate: '1996-12-12', sequence: 208 }), phone: '13900000004', registered: false },
  { name: '刘洋', idNumber: makeResidentId({ region: '510107', birthDate: '2000-02-29', sequence: 71 }), phone: '13900000005', registered: false },
] as const;

const DEMO_STAFF: { username: string; name: string; department: string; regionCode: string; roles: Role[]; totp: string; label: string }[] = [
  { username: 'officer.pudong', name: '赵敏', department: 'SH-PD-SAMR', regionCode: '310115', roles: ['officer'], totp: DEMO_TOTP.officer, label: 'officer (Pudong)' },
  { username: 'supervisor.shanghai', name: '孙立', department: 'SH-SAMR', regionCode: '310000', roles: ['supervisor'], totp: DEMO_TOTP.supervisor, label: 'supervisor (Shanghai)' },
  { username: 'supervisor.national', name: '钱正', department: 'GOV-NATIONAL-SAMR', regionCode: '100000', roles: ['supervisor'], totp: DEMO_TOTP.supervisor, label: 'supervisor (nationwide)' },
  { username: 'supervisor.hangzhou', name: '周航', department: 'ZJ-HZ-TAX', regionCode: '330100', roles: ['supervisor'], totp: DEMO_TOTP.supervisor, label: 'supervisor (Hangzhou, city)' },
  { username: 'supervisor.pudong', name: '吴浦', department: 'SH-PD-SAMR', regionCode: '310115', roles: ['supervisor'], totp: DEMO_TOTP.supervisor, label: 'supervisor (Pudong, county)' },
  { username: 'admin', name: '平台管理员', department: 'GOV-NATIONAL-SAMR', regionCode: '100000', roles: ['admin'], totp: DEMO_TOTP.admin, label: 'administrator' },
];

/** Every demo account, as `npm start` prints them. */
function demoAccounts(): DemoAccount[] {
  const people = DEMO_RESIDENTS.filter((r) => r.registered).map((resident) => ({
    role: `person ${resident.name}`,
    login: resident.phone,
    password: DEMO_PERSON_PASSWORD,
    note: `or ID ${resident.idNumber}`,
  }));
  const staff = DEMO_STAFF.map((member) => ({ role: member.label, login: member.username, password: DEMO_STAFF_PASSWORD, note: `TOTP secret ${member.totp}` }));
  const unregistered = DEMO_RESIDENTS.find((r) => !r.registered)!;
  return [
    ...people,
    ...staff,
    { role: 'can register', login: unregistered.idNumber, password: '(choose)', note: `${unregistered.name}, phone ${unregistered.phone}; SMS codes at /dev/outbox` },
    ...catalogDemoAccounts(),
    ...policyDemoAccounts(),
  ];
}

/** Demo data: regions are reference data; this adds departments, staff, persons and enterprises. Idempotent. */
export async function seedDemo(platform: Platform, services: Services = createServices(platform)): Promise<SeedResult> {
  const identity = services.identity;
  const already = Boolean(await identity.store.departmentByCode(DEMO_DEPARTMENTS[0].code));
  // Applications are seeded last: once they exist, everything before them does too, and a restart
  // of `npm start` need not walk the whole demo again.
  if (already && (await platform.db.selectFrom('applications').select('id').limit(1).execute()).length > 0) {
    return { created: false, accounts: demoAccounts() };
  }

  const departments = new Map<string, string>();
  for (const department of DEMO_DEPARTMENTS) {
    const created = await identity.createDepartment({ ...department });
    departments.set(department.code, created.id);
  }

  await services.embeddedRegistry.add(DEMO_RESIDENTS.map(({ name, idNumber }) => ({ name, idNumber })));
  for (const resident of DEMO_RESIDENTS) {
    if (resident.registered && !(await identity.findVerifiedPerson(resident.name, resident.idNumber))) {
      await identity.createVerifiedPerson({ name: resident.name, idNumber: resident.idNumber, phone: resident.phone, password: DEMO_PERSON_PASSWORD });
    }
  }

  await seedEnterprises(services);

  for (const member of DEMO_STAFF) {
    if (!(await identity.store.accountByUsername(member.username))) {
      const { accountId } = await identity.createStaff(
        { name: member.name, username: member.username, password: DEMO_STAFF_PASSWORD, departmentId: departments.get(member.department) ?? null, regionCode: member.regionCode, roles: member.roles },
        { type: 'system', label: 'demo data' },
      );
      await identity.enrolTotpWithSecret(accountId, member.totp);
    }
  }
  await seedCatalog(services, departments);
  await seedPolicies(platform, services, departments, DEMO_ENTERPRISE_AUTHORITY_FACTS());
  await seedCredit(platform, services, departments, DEMO_ENTERPRISES);
  await seedApplications(platform, services);
  return { created: !already, accounts: demoAccounts() };
}

/**
 * What the registry, tax and social insurance authorities hold about the demo enterprises (the
 * policy zone's population); the enterprise's own figures (employees, assets, qualifications)
 * come from its profile on the platform.
 */
const DEMO_ENTERPRISE_AUTHORITY_FACTS = (): ProfileInput[] => [
  {
    uscc: DEMO_ENTERPRISES[0]!.uscc,
    name: DEMO_ENTERPRISES[0]!.name,
    facts: {
      region: '310115',
      industry: '6513',
      entityType: 'enterprise',
      establishedOn: '2019-06-18',
      insuredEmployees: 41,
      operatingRevenue: 18_600_000,
      taxableIncome: 1_650_000,
      taxpayerType: 'general',
      taxCreditRating: 'A',
      layoffRate: 2.1,
      unemploymentInsurancePaid: 96_000,
      untrustworthy: false,
    },
  },
  {
    uscc: DEMO_ENTERPRISES[1]!.uscc,
    name: DEMO_ENTERPRISES[1]!.name,
    facts: {
      region: '330106',
      industry: '6210',
      entityType: 'enterprise',
      establishedOn: '2023-03-01',
      insuredEmployees: 9,
      operatingRevenue: 3_200_000,
      taxableIncome: 260_000,
      taxpayerType: 'smallScale',
      taxCreditRating: 'B',
      layoffRate: 0,
      unemploymentInsurancePaid: 14_500,
      untrustworthy: false,
    },
  },
];

export const DEMO_ENTERPRISES = [
  {
    uscc: makeUscc({ region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(810_001) }),
    name: '上海浦江云数科技有限公司',
    legalRepresentative: DEMO_RESIDENTS[0],
    regionCode: '310115',
    industryCode: '6513',
    entityType: 'enterprise' as const,
    establishedOn: '2019-06-18',
    employees: 46,
    insuredEmployees: 41,
    operatingRevenueFen: 1_860_000_000,
    totalAssetsFen: 2_350_000_000,
    taxpayerType: 'general' as const,
    taxCreditRating: 'A' as const,
    qualifications: ['高新技术企业', '专精特新中小企业'],
    opened: true,
  },
  {
    uscc: makeUscc({ region: '330106', organizationCodeBody: organizationCodeBodyFromNumber(810_002) }),
    name: '杭州西湖边小馆餐饮有限公司',
    legalRepresentative: DEMO_RESIDENTS[1],
    regionCode: '330106',
    industryCode: '6210',
    entityType: 'enterprise' as const,
    establishedOn: '2023-03-01',
    employees: 12,
    insuredEmployees: 9,
    operatingRevenueFen: 320_000_000,
    totalAssetsFen: 150_000_000,
    taxpayerType: 'smallScale' as const,
    taxCreditRating: 'B' as const,
    qualifications: ['食品经营许可'],
    opened: false,
  },
  {
    uscc: makeUscc({ category: '2', region: '310115', organizationCodeBody: organizationCodeBodyFromNumber(810_003) }),
    name: '浦东新区王芳便利店',
    legalRepresentative: DEMO_RESIDENTS[0],
    regionCode: '310115',
    industryCode: '5292',
    entityType: 'individualBusiness' as const,
    establishedOn: '2025-09-10',
    employees: 2,
    opened: false,
  },
];

/** The synthetic enterprise registry, and one enterprise already opened on the platform by its legal representative. */
async function seedEnterprises(services: Services): Promise<void> {
  await services.enterpriseRegistry.add(
    DEMO_ENTERPRISES.map(({ legalRepresentative, opened: _opened, ...enterprise }) => ({
      ...enterprise,
      legalRepresentativeName: legalRepresentative.name,
      legalRepresentativeIdNumber: legalRepresentative.idNumber,
    })),
  );
  for (const enterprise of DEMO_ENTERPRISES.filter((e) => e.opened)) {
    const person = await services.identity.findVerifiedPerson(enterprise.legalRepresentative.name, enterprise.legalRepresentative.idNumber);
    if (!person) continue;
    const principal = personPrincipal('', person);
    const mine = await services.enterprises.myEnterprises(principal);
    if (!mine.some((e) => e.uscc === enterprise.uscc)) await services.enterprises.openEnterprise(principal, { uscc: enterprise.uscc });
  }
}

export function printDemoAccounts(result: SeedResult, url: string): void {
  if (result.accounts.length === 0) return;
  console.log(`\nDemo accounts (${url}):`);
  for (const account of result.accounts) {
    console.log(`  ${account.role.padEnd(22)} ${account.login.padEnd(20)} ${account.password}${account.note ? `  (${account.note})` : ''}`);
  }
  console.log('  Staff log in at /staff/login with the password, then a code from an authenticator holding the TOTP secret.\n');
}
