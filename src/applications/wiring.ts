import { AppError } from '../core/errors.js';
import type { Platform } from '../core/platform.js';
import type { CatalogService } from '../catalog/service.js';
import type { ItemVersionView } from '../catalog/schema.js';
import type { CertificateService } from '../certificates/service.js';
import type { FileService } from '../files/service.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import type { IdentityService } from '../identity/service.js';
import type { Notifier } from '../notifications/notifier.js';
import type { CalendarService } from '../reference/calendar-service.js';
import { EmbeddedGovernmentData } from './government-data.js';
import type { CreditService, CreditSubject } from '../credit/service.js';
import type { CreditPort, Holder, ItemSource } from './ports.js';
import { ApplicationService } from './service.js';

/** Item versions never change once written, so a process may keep the ones it has read. */
const VERSION_CACHE_SIZE = 2000;

function nullWhenNotFound<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (error instanceof AppError && error.status === 404) return null;
    throw error;
  });
}

export function catalogItemSource(catalog: CatalogService): ItemSource {
  const versions = new Map<string, ItemVersionView>();
  return {
    publishedItem: (itemId) => nullWhenNotFound(catalog.getItem(itemId)),
    async version(versionId) {
      const cached = versions.get(versionId);
      if (cached) return cached;
      const version = await nullWhenNotFound(catalog.getVersion(versionId));
      if (version) {
        if (versions.size >= VERSION_CACHE_SIZE) versions.delete(versions.keys().next().value!);
        // The status of the item may change (withdrawn); the version's content cannot.
        versions.set(versionId, version);
      }
      return version;
    },
    async bundle(code) {
      const bundle = await nullWhenNotFound(catalog.getBundle(code));
      return bundle ? { id: bundle.id, code: bundle.code, name: bundle.name, items: bundle.items } : null;
    },
  };
}

/** The credit capability as applications use it. */
export type CreditForApplications = Pick<CreditService, 'standing' | 'recordBrokenCommitment'>;

/**
 * Applications name the applicant as a person or an enterprise id; credit records are kept by
 * person or by unified social credit code, which the enterprise's registration gives (it never
 * changes, so it is looked up before any transaction opens).
 */
export function creditPort(credit: CreditForApplications, enterprises: Pick<EnterpriseService, 'registrationRecord'>, recordPage: (subject: CreditSubject) => string | null = () => null): CreditPort {
  const subjectOf = async (holder: Holder): Promise<CreditSubject> => {
    if ('personId' in holder) return { kind: 'person', personId: holder.personId };
    const uscc = (await enterprises.registrationRecord(holder.enterpriseId))?.uscc;
    if (!uscc) throw new Error(`enterprise ${holder.enterpriseId} has no registration record`);
    return { kind: 'enterprise', uscc };
  };
  return {
    standing: async (holder) => credit.standing(await subjectOf(holder)),
    async prepareStanding(holder) {
      const subject = await subjectOf(holder);
      return (tx) => credit.standing(subject, tx);
    },
    async prepareBrokenCommitment(holder) {
      const subject = await subjectOf(holder);
      return (tx, c) =>
        credit.recordBrokenCommitment(tx, {
          subject,
          subjectName: c.holderName,
          departmentId: c.departmentId,
          applicationId: c.applicationId,
          trackingNumber: c.trackingNumber,
          materialKey: c.materialKey,
          reason: c.reason,
          decidedOn: c.decidedOn,
          actor: c.actor,
        });
    },
    recordPage: async (holder) => recordPage(await subjectOf(holder)),
  };
}

export function createApplicationService(
  platform: Platform,
  services: {
    catalog: CatalogService;
    identity: IdentityService;
    enterprises: EnterpriseService;
    calendar: CalendarService;
    certificates: CertificateService;
    files: FileService;
    notifier: Notifier;
    credit: CreditForApplications;
  },
): ApplicationService {
  return new ApplicationService(platform, {
    items: catalogItemSource(services.catalog),
    identity: services.identity,
    enterprises: services.enterprises,
    calendar: services.calendar,
    certificates: services.certificates,
    files: services.files,
    notifier: services.notifier,
    governmentData: new EmbeddedGovernmentData(services.identity, services.enterprises),
    // The credit workbench looks enterprises up by USCC (with a stated purpose, audited there); persons have no staff page yet.
    credit: creditPort(services.credit, services.enterprises, (subject) => (subject.kind === 'enterprise' ? `/workbench/credit?uscc=${encodeURIComponent(subject.uscc)}` : null)),
  });
}
