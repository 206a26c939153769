import * as OTPAuth from 'otpauth';
import type { ItemDefinition } from '../catalog/schema.js';
import type { createTestApp } from '../core/testing.js';
import { logIn, staffSession } from '../identity/testing.js';
import { penaltyReport } from '../credit/testing.js';
import { makeResidentId } from '../reference/testing.js';
import { createServices } from '../services.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
/** A valid 1×1 PNG: the smallest upload a material accepts. */
export const TINY_PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e6c9e50000000049454e44ae426082', 'hex');

const label = (zh: string, en: string) => ({ 'zh-CN': zh, en });

/**
 * 个体工商户登记 as a county market regulation bureau publishes it: a licensing flow with every
 * step, the applicant's identity taken from data the government holds, and the business premises
 * proven by an upload or by a lease registration certificate the applicant already holds.
 */
export function individualBusinessItem(overrides: Partial<ItemDefinition> = {}): ItemDefinition {
  return {
    basicCode: '000119001000',
    implementationCode: `11310115MB2F00001X-${Math.random().toString(36).slice(2, 8)}`,
    name: label('个体工商户设立登记', 'Individual business registration'),
    itemType: 'administrativeLicence',
    audiences: ['person'],
    themes: ['startingBusiness'],
    keywords: ['开店', '营业执照'],
    legalBasis: [{ law: '促进个体工商户发展条例', documentNumber: '国务院令第755号', article: '第九条' }],
    acceptanceConditions: label('经营者为具有完全民事行为能力的自然人。', 'The operator is a natural person of full capacity.'),
    timeLimitUnit: 'workingDays',
    legalLimitDays: 15,
    promisedLimitDays: 3,
    visits: 0,
    onlineDepth: 4,
    handlingForms: ['online', 'counter'],
    fees: [],
    crossRegion: 'national',
    collectElsewhere: true,
    result: { name: label('个体工商户营业执照', 'Individual business licence'), type: 'licence', certificateType: 'individualBusinessLicence', validityMonths: 60 },
    materials: [
      {
        key: 'identity',
        name: label('经营者身份证明', "Operator's identity"),
        requirement: 'required',
        medium: 'electronic',
        source: 'governmentData',
        dataset: 'residentIdentity',
        uploadAllowed: false,
        acceptedTypes: ['pdf'],
        maxSizeMb: 5,
      },
      {
        key: 'premises',
        name: label('经营场所使用证明', 'Proof of the business premises'),
        requirement: 'required',
        medium: 'electronic',
        source: 'certificate',
        certificateType: 'leaseRegistration',
        uploadAllowed: true,
        acceptedTypes: ['pdf', 'jpeg', 'png'],
        maxSizeMb: 5,
      },
      {
        key: 'familyList',
        name: label('家庭成员名单', 'List of family members'),
        requirement: 'conditional',
        condition: label('家庭经营时提供', 'For a family business'),
        requiredWhen: { field: 'organisation', equals: 'family' },
        medium: 'electronic',
        source: 'upload',
        uploadAllowed: true,
        acceptedTypes: ['pdf', 'png'],
        maxSizeMb: 2,
      },
    ],
    form: {
      fields: [
        { key: 'operatorName', label: label('经营者姓名', 'Operator name'), type: 'text', required: true, prefill: 'person.name' },
        { key: 'operatorIdNumber', label: label('经营者身份证号码', 'Operator ID number'), type: 'idNumber', required: true, prefill: 'person.idNumber' },
        { key: 'phone', label: label('联系电话', 'Phone'), type: 'phone', required: true, prefill: 'person.phone' },
        { key: 'businessName', label: label('字号名称', 'Trade name'), type: 'text', required: true, maxLength: 40 },
        {
          key: 'organisation',
          label: label('组成形式', 'Organisation'),
          type: 'select',
          required: true,
          options: [
            { value: 'personal', label: label('个人经营', 'Personal') },
            { value: 'family', label: label('家庭经营', 'Family') },
          ],
        },
        { key: 'premisesRegion', label: label('经营场所所在地', 'Premises region'), type: 'region', required: true },
        { key: 'employees', label: label('从业人数', 'Employees'), type: 'integer', required: true, minimum: 0, maximum: 100 },
      ],
    },
    flow: {
      steps: [
        { step: 'accept', roles: ['officer'] },
        { step: 'review', roles: ['officer'] },
        { step: 'specialProcedure', roles: ['officer'] },
        { step: 'approve', roles: ['approver'] },
        { step: 'conclude', roles: ['officer'] },
        { step: 'deliver', roles: ['officer'] },
      ],
    },
    ...overrides,
  };
}

let personCounter = 0;

/** A real-name-verified person (level 2) with a session, registered in `region`. */
export async function verifiedPerson(t: TestApp, name: string, region = '310115') {
  const services = createServices(t.platform);
  personCounter++;
  const idNumber = makeResidentId({ region, birthDate: '1988-04-12', sequence: 100 + personCounter });
  const phone = `139${String(Date.now() % 10_000).padStart(4, '0')}${String(personCounter).padStart(4, '0')}`;
  const password = 'long-enough-password-2026';
  const { personId, accountId } = await services.identity.createVerifiedPerson({ name, idNumber, phone, password });
  const cookie = await logIn(t, phone, password);
  return { personId, accountId, idNumber, phone, cookie, name };
}

/**
 * A department with its catalogue editor, officer and approver, all signed in past TOTP, and an
 * item it has published.
 */
export async function departmentWithItem(t: TestApp, options: { regionCode?: string; code?: string; item?: Partial<ItemDefinition> } = {}) {
  const services = createServices(t.platform);
  const regionCode = options.regionCode ?? '310115';
  const department = await services.identity.createDepartment({
    code: options.code ?? `MR-${regionCode}-${personCounter++}`,
    nameZh: `${regionCode}市场监督管理局`,
    nameEn: `Market Regulation ${regionCode}`,
    level: 'county',
    regionCode,
  });
  const editor = await staffSession(t, { roles: ['catalogEditor'], departmentId: department.id, regionCode });
  const officer = await staffSession(t, { roles: ['officer'], departmentId: department.id, regionCode, name: '受理员' });
  const approver = await staffSession(t, { roles: ['approver'], departmentId: department.id, regionCode, name: '审批员' });
  const published = await t.app.inject({ method: 'POST', url: '/api/v1/catalog/items', headers: { cookie: editor.cookie }, payload: individualBusinessItem(options.item) });
  if (published.statusCode !== 201) throw new Error(`publishing the item failed: ${published.body}`);
  const item = published.json() as { itemId: string; versionId: string };
  return { department, editor, officer, approver, item };
}

/** Signs a person in again (sessions end after hours; a test that moves the clock by days needs this). */
export async function signInAgain(t: TestApp, person: { phone: string; cookie: string }, password = 'long-enough-password-2026') {
  person.cookie = await logIn(t, person.phone, password);
}

/** Signs a staff member in again, past TOTP at the current clock. */
export async function staffSignInAgain(t: TestApp, staff: { username: string; password: string; secret: string; cookie: string }) {
  const cookie = await logIn(t, staff.username, staff.password);
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(staff.secret) }).generate({ timestamp: t.clock.now().getTime() });
  const mfa = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions/current/mfa', headers: { cookie }, payload: { code } });
  if (mfa.statusCode !== 200) throw new Error(`TOTP failed: ${mfa.body}`);
  staff.cookie = cookie;
}

/** A penalty on a person, reported through the credit API by a department's system (its bearer token): their standing turns to caution. */
export async function penalisePerson(t: TestApp, token: string, person: { name: string; idNumber: string }) {
  const reported = await t.app.inject({
    method: 'POST',
    url: '/api/v1/credit/records',
    headers: { authorization: `Bearer ${token}` },
    payload: penaltyReport('', { subject: { kind: 'person', name: person.name, idNumber: person.idNumber }, decidedOn: '2026-03-01' }),
  });
  if (reported.statusCode !== 201) throw new Error(`reporting the penalty failed: ${reported.body}`);
}
