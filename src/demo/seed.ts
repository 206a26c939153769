import type { Role } from '../core/auth.js';
import type { Platform } from '../core/platform.js';
import { makeResidentId } from '../reference/testing.js';
import { createServices, type Services } from '../services.js';

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

/** Demo data: regions are reference data; this adds departments, staff, persons and enterprises. Idempotent. */
export async function seedDemo(platform: Platform, services: Services = createServices(platform)): Promise<SeedResult> {
  const identity = services.identity;
  const accounts: DemoAccount[] = [];
  const already = Boolean(await identity.store.departmentByCode(DEMO_DEPARTMENTS[0].code));

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

  const staff: { username: string; name: string; department: string; regionCode: string; roles: Role[]; totp: string; label: string }[] = [
    { username: 'officer.pudong', name: '赵敏', department: 'SH-PD-SAMR', regionCode: '310115', roles: ['officer'], totp: DEMO_TOTP.officer, label: 'officer (Pudong)' },
    { username: 'supervisor.shanghai', name: '孙立', department: 'SH-SAMR', regionCode: '310000', roles: ['supervisor'], totp: DEMO_TOTP.supervisor, label: 'supervisor (Shanghai)' },
    { username: 'admin', name: '平台管理员', department: 'GOV-NATIONAL-SAMR', regionCode: '100000', roles: ['admin'], totp: DEMO_TOTP.admin, label: 'administrator' },
  ];
  for (const member of staff) {
    if (!(await identity.store.accountByUsername(member.username))) {
      const { accountId } = await identity.createStaff(
        { name: member.name, username: member.username, password: DEMO_STAFF_PASSWORD, departmentId: departments.get(member.department) ?? null, regionCode: member.regionCode, roles: member.roles },
        { type: 'system', label: 'demo data' },
      );
      await identity.enrolTotpWithSecret(accountId, member.totp);
    }
    accounts.push({ role: member.label, login: member.username, password: DEMO_STAFF_PASSWORD, note: `TOTP secret ${member.totp}` });
  }

  const people = DEMO_RESIDENTS.filter((r) => r.registered).map((resident) => ({
    role: `person ${resident.name}`,
    login: resident.phone,
    password: DEMO_PERSON_PASSWORD,
    note: `or ID ${resident.idNumber}`,
  }));
  accounts.unshift(...people);
  const unregistered = DEMO_RESIDENTS.find((r) => !r.registered)!;
  accounts.push({ role: 'can register', login: unregistered.idNumber, password: '(choose)', note: `${unregistered.name}, phone ${unregistered.phone}; SMS codes at /dev/outbox` });
  return { created: !already, accounts };
}

export function printDemoAccounts(result: SeedResult, url: string): void {
  if (result.accounts.length === 0) return;
  console.log(`\nDemo accounts (${url}):`);
  for (const account of result.accounts) {
    console.log(`  ${account.role.padEnd(22)} ${account.login.padEnd(20)} ${account.password}${account.note ? `  (${account.note})` : ''}`);
  }
  console.log('  Staff log in at /staff/login with the password, then a code from an authenticator holding the TOTP secret.\n');
}
