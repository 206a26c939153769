import type { Db, Tx } from '../core/db.js';

export interface CertificatesTable {
  id: string;
  certificateType: string;
  number: string;
  /** Twenty characters of the unambiguous alphabet, stored without the reading dashes. */
  verificationCode: string;
  holderPersonId: string | null;
  holderEnterpriseId: string | null;
  holderName: string;
  /** The holder's ID number or credit code, masked when issued; the plain value is never kept here. */
  holderIdMasked: string;
  titleZh: string;
  titleEn: string;
  /** JSON text: CertificateField[]. */
  fields: string;
  issuedByDepartmentId: string;
  issuedAt: string;
  /** Shanghai calendar date, first day of validity. */
  validFrom: string;
  /** Shanghai calendar date, last day of validity; null: no expiry. */
  validUntil: string | null;
  status: 'valid' | 'revoked';
  revokedAt: string | null;
  revokedReason: string | null;
  revokedByStaffId: string | null;
  sourceApplicationId: string | null;
  jws: string;
}

export interface CertificateSerialsTable {
  certificateType: string;
  numberPrefix: string;
  year: number;
  lastSerial: number;
}

export interface CertificateSharesTable {
  id: string;
  certificateId: string;
  departmentId: string;
  /** share: the holder shared it from the portal; material: reused as an application material. */
  kind: 'share' | 'material';
  purpose: string;
  applicationId: string | null;
  consentedByPersonId: string;
  consentedAt: string;
  revokedAt: string | null;
}

declare module '../core/db.js' {
  interface Tables {
    certificates: CertificatesTable;
    certificateSerials: CertificateSerialsTable;
    certificateShares: CertificateSharesTable;
  }
}

export type CertificateRow = CertificatesTable;
export type ShareRow = CertificateSharesTable;

/** The holders a list is about: one person and the enterprises they may act for. */
export interface HolderSet {
  personId?: string;
  enterpriseIds: string[];
}

/** The SQL of certificates and their shares; nothing outside this folder touches these tables. */
export class CertificateStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * The next serial of a type, prefix and year. One statement both creates the counter and bumps
   * it; on PostgreSQL the conflicting row stays locked until the caller's transaction ends.
   */
  async nextSerial(tx: Tx, certificateType: string, numberPrefix: string, year: number): Promise<number> {
    const row = await tx
      .insertInto('certificateSerials')
      .values({ certificateType, numberPrefix, year, lastSerial: 1 })
      .onConflict((oc) =>
        oc.columns(['certificateType', 'numberPrefix', 'year']).doUpdateSet((eb) => ({ lastSerial: eb('certificateSerials.lastSerial', '+', 1) })),
      )
      .returning('lastSerial')
      .executeTakeFirstOrThrow();
    return Number(row.lastSerial);
  }

  async insert(tx: Tx, certificate: CertificateRow): Promise<void> {
    await tx.insertInto('certificates').values(certificate).execute();
  }

  byId(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byVerificationCode(code: string) {
    return this.db.selectFrom('certificates').selectAll().where('verificationCode', '=', code).executeTakeFirst();
  }

  /** Every certificate of the person and of the enterprises, newest first. */
  async forHolders(holders: HolderSet): Promise<CertificateRow[]> {
    if (!holders.personId && holders.enterpriseIds.length === 0) return [];
    return this.db
      .selectFrom('certificates')
      .selectAll()
      .where((eb) =>
        eb.or([
          ...(holders.personId ? [eb('holderPersonId', '=', holders.personId)] : []),
          ...(holders.enterpriseIds.length ? [eb('holderEnterpriseId', 'in', holders.enterpriseIds)] : []),
        ]),
      )
      .orderBy('issuedAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /**
   * A holder's certificates of one type that are in force on `today` (a Shanghai date): not
   * revoked, and without an end date or ending today or later. Dates compare as text.
   */
  current(holder: { personId: string } | { enterpriseId: string }, certificateType: string, today: string, tx: Tx | Db = this.db) {
    let query = tx.selectFrom('certificates').selectAll().where('certificateType', '=', certificateType).where('status', '=', 'valid');
    query = 'personId' in holder ? query.where('holderPersonId', '=', holder.personId) : query.where('holderEnterpriseId', '=', holder.enterpriseId);
    return query
      .where((eb) => eb.or([eb('validUntil', 'is', null), eb('validUntil', '>=', today)]))
      .orderBy('issuedAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  /** Revokes a certificate that is still valid; answers whether this call revoked it. */
  async revoke(tx: Tx, id: string, change: { revokedAt: string; revokedReason: string; revokedByStaffId: string }): Promise<boolean> {
    const result = await tx.updateTable('certificates').set({ status: 'revoked', ...change }).where('id', '=', id).where('status', '=', 'valid').executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  // Shares (the holder's consents)

  async insertShare(tx: Tx, share: ShareRow): Promise<void> {
    await tx.insertInto('certificateShares').values(share).execute();
  }

  sharesOf(certificateId: string) {
    return this.db.selectFrom('certificateShares').selectAll().where('certificateId', '=', certificateId).orderBy('consentedAt', 'desc').orderBy('id', 'desc').execute();
  }

  shareById(certificateId: string, shareId: string) {
    return this.db.selectFrom('certificateShares').selectAll().where('certificateId', '=', certificateId).where('id', '=', shareId).executeTakeFirst();
  }

  /** A department's live (not revoked) consent for a certificate, if any. */
  liveShareFor(certificateId: string, departmentId: string) {
    return this.db
      .selectFrom('certificateShares')
      .selectAll()
      .where('certificateId', '=', certificateId)
      .where('departmentId', '=', departmentId)
      .where('revokedAt', 'is', null)
      .orderBy('consentedAt', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Withdraws a consent that is still live; answers whether this call withdrew it. */
  async revokeShare(tx: Tx, shareId: string, nowIso: string): Promise<boolean> {
    const result = await tx.updateTable('certificateShares').set({ revokedAt: nowIso }).where('id', '=', shareId).where('revokedAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
