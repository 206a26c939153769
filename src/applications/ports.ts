import type { Tx } from '../core/db.js';
import type { LocalizedText, ItemVersionView } from '../catalog/schema.js';
import type { CreditStanding } from '../credit/service.js';

/**
 * What applications need from the capabilities around them, stated narrowly so that the workflow
 * can be read (and tested) on its own. src/services.ts plugs in the real services.
 */
export interface ItemSource {
  /** The current published version of an item, or null when there is none. */
  publishedItem(itemId: string): Promise<ItemVersionView | null>;
  /** One exact version, whatever has been published since. */
  version(versionId: string): Promise<ItemVersionView | null>;
  bundle(code: string): Promise<BundleForApplications | null>;
}

export interface BundleForApplications {
  id: string;
  code: string;
  name: LocalizedText;
  items: ItemVersionView[];
}

export type Holder = { personId: string } | { enterpriseId: string };

export interface ReusableCertificate {
  id: string;
  certificateType: string;
  number: string;
  title: LocalizedText;
  validUntil: string | null;
}

export interface CertificateSnapshot {
  certificateId: string;
  type: string;
  number: string;
  verificationCode: string;
  fields: unknown;
}

export interface CertificatePort {
  findReusable(holder: Holder, certificateType: string): Promise<ReusableCertificate[]>;
  useAsMaterial(
    tx: Tx,
    use: { certificateId: string; holder: Holder; departmentId: string; applicationId: string; consentedByPersonId: string },
  ): Promise<CertificateSnapshot>;
  issue(
    tx: Tx,
    certificate: {
      certificateType: string;
      holder: Holder;
      holderName: string;
      title: LocalizedText;
      fields: { key: string; label: LocalizedText; value: string; public: boolean }[];
      issuedByDepartmentId: string;
      validityMonths?: number;
      sourceApplicationId: string;
    },
  ): Promise<{ id: string }>;
}

export interface StoredFile {
  id: string;
  sha256: string;
  type: string;
  size: number;
  filename: string;
}

export interface FilePort {
  /** An upload of this account not yet attached elsewhere, or null. */
  ownUpload(accountId: string, fileId: string): Promise<StoredFile | null>;
  attach(tx: Tx, fileIds: string[], applicationId: string): Promise<void>;
  /** Another upload row for the same content, so that two applications can each hold the material. */
  copyUpload(tx: Tx, fileId: string, ownerAccountId: string): Promise<StoredFile>;
}

export interface ApplicantNotification {
  personId: string;
  kind: string;
  titleKey: string;
  bodyKey: string;
  params: Record<string, string | number | LocalizedText>;
  link: string;
}

export interface NotifierPort {
  /** Writes the notification in the caller's transaction, so it exists exactly when the change does. */
  notify(tx: Tx, notification: ApplicantNotification): Promise<unknown>;
  /** Sends what was written, after the commit (a job catches whatever a stopped process leaves). */
  deliverSoon(): void;
}

/**
 * The applicant's credit standing (good / caution / listed, the counts behind it, and whether they
 * may make a credit commitment (信用承诺) in place of a material), as the credit capability gives it.
 */
export type { CreditStanding } from '../credit/service.js';

/** A commitment the handling department found to be false, to become a credit record of the applicant. */
export interface BrokenCommitment {
  holder: Holder;
  holderName: string;
  departmentId: string;
  applicationId: string;
  trackingNumber: string;
  materialKey: string;
  reason: string;
  /** The day the department decided it, YYYY-MM-DD in Asia/Shanghai. */
  decidedOn: string;
  actor: { staffId: string; label: string };
}

export interface CreditPort {
  /** The holder's standing now. Not audited here: the caller audits a staff read. */
  standing(holder: Holder): Promise<CreditStanding>;
  /**
   * The same standing read inside the caller's transaction (a submission checks it again where it
   * writes): what the read needs is looked up first, outside any transaction.
   */
  prepareStanding(holder: Holder): Promise<(tx: Tx) => Promise<CreditStanding>>;
  /**
   * Reads what recording needs (outside any transaction: SQLite has one connection) and returns
   * the write, to run in the caller's transaction so the record exists exactly when the event does.
   */
  prepareBrokenCommitment(holder: Holder): Promise<(tx: Tx, commitment: BrokenCommitment) => Promise<{ recordId: string }>>;
  /** Where authorised staff read the holder's full credit record, when the credit capability has such a page. */
  recordPage(holder: Holder): Promise<string | null>;
}
