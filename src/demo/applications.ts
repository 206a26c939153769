import type { SessionPrincipal } from '../core/auth.js';
import { AppError } from '../core/errors.js';
import { ManualClock } from '../core/clock.js';
import type { Platform } from '../core/platform.js';
import type { FormField, ItemVersionView } from '../catalog/schema.js';
import type { MaterialInput } from '../applications/service.js';
import type { ApplicationStatus, OfficerAction } from '../applications/workflow.js';
import { createServices, type Services } from '../services.js';
import { catalogStaffUsername, demoImplementationCode, staffPrincipal } from './catalog.js';

/**
 * Applications in every state, made the way people make them: drafted, submitted, handled step by
 * step by the departments' own officers and approvers, over the past weeks, so that a newcomer
 * finds a living queue, a supplement waiting, a special procedure, an overdue case and certificates.
 */

const DAY = 86_400_000;
// A one-page PDF: what a scanned lease or floor plan would be, only smaller.
const DEMO_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Plan {
  person: 'wang' | 'li';
  template: Parameters<typeof demoImplementationCode>[0];
  department: string;
  target: ApplicationStatus;
  /** Days ago the application was submitted. */
  daysAgo: number;
  collectedBy?: string;
  /** Apply for the enterprise the person represents. */
  forEnterprise?: boolean;
}

const PLANS: Plan[] = [
  { person: 'wang', template: 'individualBusiness', department: 'SH-PD-SAMR', target: 'delivered', daysAgo: 21 },
  { person: 'wang', template: 'foodBusinessLicence', department: 'SH-PD-SAMR', target: 'specialProcedure', daysAgo: 9 },
  { person: 'wang', template: 'publicPlaceHygiene', department: 'SH-PD-HEALTH', target: 'supplementRequested', daysAgo: 6 },
  { person: 'wang', template: 'unemployment', department: 'SH-PD-HRSS', target: 'underReview', daysAgo: 30 },
  { person: 'wang', template: 'residencePermit', department: 'SH-PD-PSB', target: 'accepted', daysAgo: 2 },
  { person: 'wang', template: 'newbornCard', department: 'SH-PD-HRSS', target: 'submitted', daysAgo: 0 },
  { person: 'wang', template: 'birthRegistration', department: 'SH-PD-HEALTH', target: 'concluded', daysAgo: 14 },
  { person: 'wang', template: 'housingFund', department: 'SH-HOUSING-FUND', target: 'rejected', daysAgo: 12 },
  { person: 'wang', template: 'drivingLicence', department: 'SH-TRAFFIC', target: 'withdrawn', daysAgo: 4 },
  { person: 'wang', template: 'invoice', department: 'SH-PD-TAX', target: 'approved', daysAgo: 5, forEnterprise: true },
  { person: 'wang', template: 'newbornHousehold', department: 'SH-PD-PSB', target: 'draft', daysAgo: 1 },
  { person: 'li', template: 'residencePermit', department: 'ZJ-HZ-PSB', target: 'delivered', daysAgo: 18 },
  { person: 'li', template: 'individualBusiness', department: 'SH-PD-SAMR', target: 'submitted', daysAgo: 1, collectedBy: 'ZJ-HZ-XH-SAMR' },
  { person: 'li', template: 'unemployment', department: 'ZJ-HZ-HRSS', target: 'supplementRequested', daysAgo: 3 },
];

/** The officer actions that lead from submission to `target` under the item's flow, in order. */
function pathTo(target: ApplicationStatus, item: ItemVersionView): OfficerAction[] {
  const steps = new Set(item.definition.flow.steps.map((s) => s.step));
  const review: OfficerAction[] = steps.has('review') ? ['startReview'] : [];
  switch (target) {
    case 'accepted':
      return ['accept'];
    case 'underReview':
      return ['accept', ...review];
    case 'supplementRequested':
      return ['accept', ...review, 'requestSupplement'];
    case 'specialProcedure':
      return ['accept', ...review, 'startSpecialProcedure'];
    case 'approved':
      return ['accept', ...review, 'approve'];
    case 'rejected':
      return ['accept', ...review, 'reject'];
    case 'concluded':
      return ['accept', ...review, 'approve', ...(steps.has('conclude') ? (['conclude'] as OfficerAction[]) : [])];
    case 'delivered':
      return ['accept', ...review, 'approve', ...(steps.has('conclude') ? (['conclude'] as OfficerAction[]) : []), ...(steps.has('deliver') ? (['deliver'] as OfficerAction[]) : [])];
    default:
      return [];
  }
}

const OPINIONS: Partial<Record<OfficerAction, string>> = {
  accept: '申请材料齐全，符合法定形式，予以受理。',
  requestSupplement: '请一次性补正以下材料：场所平面图未标注消防通道。',
  startReview: '进入实质审查。',
  startSpecialProcedure: '需现场核查经营场所，核查期间不计入办理时限。',
  approve: '经审查，符合条件，准予许可。',
  reject: '经审查，申请人本市缴存年限不满足提取条件，不予批准。',
  conclude: '办结。',
  deliver: '结果已通过电子证照送达。',
};

const SAMPLE_TEXT: Record<string, string> = {
  bankAccount: '6222021001123456789',
  enterpriseName: '上海浦江云数科技有限公司',
  businessAddress: '上海市浦东新区张杨路 500 号',
  mailingAddress: '上海市浦东新区世纪大道 100 号',
  babyName: '王小满',
};

// A 1×1 PNG, for materials that take only photos.
const DEMO_PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e6c9e50000000049454e44ae426082', 'hex');

/** Plausible answers for a demo form: the prefilled ones stay, the rest follow the field's type. */
function answersFor(fields: FormField[], regionCode: string): Record<string, string | number | boolean> {
  const answers: Record<string, string | number | boolean> = {};
  for (const field of fields) {
    if (field.prefill?.startsWith('person.')) continue;
    switch (field.type) {
      case 'select':
        answers[field.key] = field.options![0]!.value;
        break;
      case 'checkbox':
        answers[field.key] = true;
        break;
      case 'region':
        answers[field.key] = regionCode;
        break;
      case 'industry':
        answers[field.key] = '5292';
        break;
      case 'date':
        answers[field.key] = '2026-01-15';
        break;
      case 'integer':
      case 'number':
        answers[field.key] = Math.min(Math.max(field.minimum ?? 1, 2), field.maximum ?? 100);
        break;
      case 'phone':
        answers[field.key] = '13900000009';
        break;
      case 'email':
        answers[field.key] = 'demo@example.cn';
        break;
      case 'text':
      case 'textarea':
        answers[field.key] = SAMPLE_TEXT[field.key] ?? `${field.label['zh-CN']}（示例）`.slice(0, field.maxLength ?? 200);
        break;
      default:
        break;
    }
  }
  return answers;
}

/** A demo person acting as their session would carry them (demo data and its tests act without logging in). */
export function personPrincipal(accountId: string, person: { id: string; name: string }): SessionPrincipal {
  return {
    kind: 'account',
    accountId,
    sessionId: '',
    personId: person.id,
    staffId: null,
    roles: ['person'],
    displayName: person.name,
    departmentId: null,
    regionCode: null,
    mfaPassed: false,
    mfaEnrolled: false,
    csrfToken: '',
  };
}

export async function seedApplications(platform: Platform, services: Services): Promise<number> {
  if ((await platform.db.selectFrom('applications').select('id').limit(1).execute()).length > 0) return 0;
  const persons = {
    wang: await services.identity.store.personByPhoneHash(platform.vault.lookupHash('phone', '13900000001')),
    li: await services.identity.store.personByPhoneHash(platform.vault.lookupHash('phone', '13900000002')),
  };
  let created = 0;
  for (const plan of PLANS) {
    const person = persons[plan.person];
    const item = await services.catalog.itemByImplementationCode(demoImplementationCode(plan.template, plan.department));
    if (!person || !item) continue;
    // Each application lives its own past: a clock that starts on its submission day.
    const clock = new ManualClock(new Date(platform.clock.now().getTime() - plan.daysAgo * DAY));
    const past = createServices({ ...platform, clock });
    const account = await past.identity.store.accountByPersonId(person.id);
    if (!account) continue;
    const applicant = personPrincipal(account.id, person);
    const collecting = plan.collectedBy ? await past.identity.store.departmentByCode(plan.collectedBy) : undefined;
    const materials: Record<string, MaterialInput> = {};
    for (const material of item.definition.materials) {
      const heldAboutPerson = material.dataset === 'residentIdentity' || material.dataset === 'householdRegistration';
      const heldAboutEnterprise = plan.forEnterprise && (material.dataset === 'businessRegistration' || material.dataset === 'socialInsurance');
      if (material.source === 'governmentData' && (heldAboutPerson || heldAboutEnterprise)) {
        materials[material.key] = { governmentData: true, consent: true };
      } else if (material.uploadAllowed) {
        const pdf = material.acceptedTypes.includes('pdf');
        const file = await past.files.store(account.id, { filename: `${material.key}.${pdf ? 'pdf' : 'png'}`, bytes: pdf ? DEMO_PDF : DEMO_PNG });
        materials[material.key] = { fileIds: [file.id] };
      }
    }
    const input = { form: answersFor(item.definition.form.fields, person.regionCode), materials };
    try {
      const enterpriseId = plan.forEnterprise ? ((await past.enterprises.myEnterprises(applicant))[0]?.id ?? null) : null;
      const draft = await past.applications.startDraft(applicant, { itemId: item.itemId, enterpriseId, collectingDepartmentId: collecting?.id ?? null });
      if (plan.target === 'draft') {
        await past.applications.saveDraft(applicant, draft.id, input);
        created++;
        continue;
      }
      await past.applications.submit(applicant, draft.id, input);
      if (plan.target === 'withdrawn') {
        clock.advance(DAY);
        await past.applications.withdraw(applicant, draft.id, '信息填写有误，撤回后重新申请。');
      }
      const department = item.departmentId;
      for (const action of pathTo(plan.target, item)) {
        clock.advance(DAY);
        const step = item.definition.flow.steps.find((s) => s.step === (action === 'approve' || action === 'reject' ? 'approve' : action === 'startReview' ? 'review' : action === 'startSpecialProcedure' ? 'specialProcedure' : action === 'requestSupplement' ? 'review' : action)) ?? item.definition.flow.steps[0]!;
        const role = step.roles.includes('approver') && (action === 'approve' || action === 'reject') ? 'approver' : 'officer';
        const staff = await staffOf(past, plan.department, role, department);
        if (!staff) break;
        await past.applications.act(staff, draft.id, action, {
          opinion: OPINIONS[action],
          ...(action === 'requestSupplement' ? { missing: { materials: item.definition.materials.filter((m) => m.uploadAllowed).slice(0, 1).map((m) => m.key), fields: [] } } : {}),
          ...(action === 'startSpecialProcedure' ? { procedure: 'inspection' as const } : {}),
        });
      }
      created++;
    } catch (error) {
      const fields = error instanceof AppError ? error.fields.map((f) => f.field) : [];
      platform.logger.warn({ template: plan.template, target: plan.target, error: error instanceof Error ? error.message : String(error), fields }, 'demo application skipped');
    }
  }
  return created;
}

async function staffOf(services: Services, departmentCode: string, role: 'officer' | 'approver', departmentId: string): Promise<SessionPrincipal | null> {
  const account = await services.identity.store.accountByUsername(catalogStaffUsername(role, departmentCode));
  if (!account?.staffId) return null;
  const staff = await services.identity.store.staffById(account.staffId);
  return staffPrincipal({ staffId: account.staffId, accountId: account.id, name: staff?.name ?? role, departmentId, regionCode: staff?.regionCode ?? '', roles: [role] });
}
