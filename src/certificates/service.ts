import type { AuditActor } from '../core/audit.js';
import type { SessionPrincipal } from '../core/auth.js';
import type { Tx } from '../core/db.js';
import { AppError, conflict, fieldInvalid, forbidden, invalid, notFound, type FieldProblem } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { maskIdNumber } from '../core/personal-data.js';
import type { Platform } from '../core/platform.js';
import { addMonths, fromDayNumber, shanghaiDate, toDayNumber } from '../reference/dates.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import { EnterpriseStore } from '../identity/enterprises/store.js';
import { actorOf, type IdentityService } from '../identity/service.js';
import { IdentityStore, type Department } from '../identity/store.js';
import { groupCode, maskPersonName, newVerificationCode, normalizeCode } from './codes.js';
import {
  CERTIFICATE_TYPE_PATTERN,
  FIELD_KEY_PATTERN,
  MAX_FIELD_VALUE,
  MAX_FIELDS,
  MAX_PURPOSE,
  MAX_REASON,
  MAX_VALIDITY_MONTHS,
  type CertificateField,
  type CertificateStatus,
  type CertificateView,
  type HolderRef,
  type IssueInput,
  type Issuer,
  type LocalizedText,
  type MaterialSnapshot,
  type PublicVerification,
  type ShareBody,
  type ShareView,
} from './schema.js';
import { CertificateSigner, SignatureInvalid } from './signing.js';
import { CertificateStore, type CertificateRow, type ShareRow } from './store.js';
import './messages.js';

/** The JWKS the OIDC provider serves; certificates are signed with a key from the same set. */
export const JWKS_PATH = '/oidc/jwks';
const HANDLING_ROLES = ['officer', 'approver'] as const;

function parseFields(json: string): CertificateField[] {
  const parsed = JSON.parse(json) as unknown;
  return Array.isArray(parsed) ? (parsed as CertificateField[]) : [];
}

const isHolderRef = (value: unknown): value is HolderRef =>
  !!value &&
  typeof value === 'object' &&
  (('personId' in value && typeof value.personId === 'string' && !('enterpriseId' in value)) ||
    ('enterpriseId' in value && typeof value.enterpriseId === 'string' && !('personId' in value)));

/**
 * Electronic certificates (电子证照): issued inside the approving transaction, signed as JWS with
 * the platform key, verified by anyone with the code (public fields only), read in full by the
 * holder and by staff with a reason (audited), shared with departments by the holder's consent
 * and reused as application materials, revoked by the issuing department, expiring by the clock.
 * Knows nothing of HTTP.
 */
export class CertificateService {
  readonly store: CertificateStore;
  readonly signer: CertificateSigner;

  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
    private readonly enterprises: EnterpriseService,
  ) {
    this.store = new CertificateStore(platform.db);
    this.signer = new CertificateSigner(platform.config.secrets.signingJwks);
  }

  private nowIso(): string {
    return this.platform.clock.now().toISOString();
  }

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  get jwksUri(): string {
    return `${this.platform.config.publicUrl}${JWKS_PATH}`;
  }

  /** Where people type a code by hand; printed on the certificate beside the QR code. */
  get verifyPageUrl(): string {
    return `${this.platform.config.publicUrl}/verify`;
  }

  verificationUrl(code: string): string {
    return `${this.platform.config.publicUrl}/verify?code=${encodeURIComponent(groupCode(code))}`;
  }

  // Issuing

  /**
   * Issues a certificate inside the caller's transaction, so that the approval and its result
   * commit or fail together. Every read goes through `tx`: on SQLite the transaction holds the one
   * connection, and a read outside it would wait for the commit that is waiting for the read.
   */
  async issue(tx: Tx, input: IssueInput): Promise<CertificateView> {
    this.checkIssueInput(input);
    const people = new IdentityStore(tx);
    const department = await people.departmentById(input.issuedByDepartmentId);
    if (!department) throw fieldInvalid('departmentNotFound', '/issuedByDepartmentId', 'certificate.department.notFound');
    let holderIdMasked: string;
    if ('personId' in input.holder) {
      const person = await people.personById(input.holder.personId);
      if (!person) throw fieldInvalid('holderNotFound', '/holder/personId', 'certificate.holder.notFound');
      holderIdMasked = maskIdNumber(this.identity.decryptIdNumber(person));
    } else {
      const enterprise = await new EnterpriseStore(tx).byId(input.holder.enterpriseId, tx);
      if (!enterprise) throw fieldInvalid('holderNotFound', '/holder/enterpriseId', 'certificate.holder.notFound');
      holderIdMasked = maskIdNumber(enterprise.uscc);
    }

    const now = this.platform.clock.now();
    const issuedAt = now.toISOString();
    const validFrom = shanghaiDate(now);
    const validUntil = input.validityMonths ? fromDayNumber(toDayNumber(addMonths(validFrom, input.validityMonths)) - 1) : null;
    const prefix = (input.numberPrefix ?? '').trim();
    const year = Number(validFrom.slice(0, 4));
    const serial = await this.store.nextSerial(tx, input.certificateType, prefix, year);
    const number = `${prefix}〔${year}〕第${String(serial).padStart(6, '0')}号`;
    // 100 random bits: a collision is not a case to handle, the unique index would refuse it.
    const verificationCode = newVerificationCode();
    const id = newId(now.getTime());
    const holderName = input.holderName.trim();
    const fields = input.fields.map((f) => ({ key: f.key, label: { 'zh-CN': f.label['zh-CN'], en: f.label.en }, value: f.value, public: f.public }));
    const issuer: Issuer = { departmentId: department.id, name: { 'zh-CN': department.nameZh, en: department.nameEn } };

    const jws = await this.signer.sign({
      iss: this.platform.config.publicUrl,
      jti: id,
      iat: Math.floor(now.getTime() / 1000),
      certificateType: input.certificateType,
      number,
      verificationCode: groupCode(verificationCode),
      title: input.title,
      holder: { kind: 'personId' in input.holder ? 'person' : 'enterprise', name: holderName, idMasked: holderIdMasked },
      issuer,
      issuedAt,
      validFrom,
      validUntil,
      fields,
    });

    const row: CertificateRow = {
      id,
      certificateType: input.certificateType,
      number,
      verificationCode,
      holderPersonId: 'personId' in input.holder ? input.holder.personId : null,
      holderEnterpriseId: 'enterpriseId' in input.holder ? input.holder.enterpriseId : null,
      holderName,
      holderIdMasked,
      titleZh: input.title['zh-CN'],
      titleEn: input.title.en,
      fields: JSON.stringify(fields),
      issuedByDepartmentId: department.id,
      issuedAt,
      validFrom,
      validUntil,
      status: 'valid',
      revokedAt: null,
      revokedReason: null,
      revokedByStaffId: null,
      sourceApplicationId: input.sourceApplicationId ?? null,
      jws,
    };
    await this.store.insert(tx, row);
    await this.platform.audit.record(
      {
        action: 'certificate.issued',
        actor: input.actor ?? { type: 'system', label: department.nameZh },
        subjectPersonId: row.holderPersonId ?? undefined,
        subjectEnterpriseId: row.holderEnterpriseId ?? undefined,
        detail: { certificateId: id, certificateType: row.certificateType, number, applicationId: row.sourceApplicationId },
      },
      tx,
    );
    return this.view(row, issuer, await this.signer.kid());
  }

  /** The caller is our own code, but a certificate is a legal document: refuse anything malformed. */
  private checkIssueInput(input: IssueInput): void {
    const problems: FieldProblem[] = [];
    if (!new RegExp(CERTIFICATE_TYPE_PATTERN).test(input.certificateType ?? '')) problems.push({ field: '/certificateType', message: 'field.pattern' });
    if (!isHolderRef(input.holder)) problems.push({ field: '/holder', message: 'certificate.holder.exactlyOne' });
    if (!input.holderName?.trim() || input.holderName.length > 200) problems.push({ field: '/holderName', message: 'field.required' });
    for (const locale of ['zh-CN', 'en'] as const) {
      const text = input.title?.[locale];
      if (!text?.trim() || text.length > 200) problems.push({ field: `/title/${locale}`, message: 'field.required' });
    }
    if (input.validityMonths !== undefined && (!Number.isSafeInteger(input.validityMonths) || input.validityMonths < 1 || input.validityMonths > MAX_VALIDITY_MONTHS)) {
      problems.push({ field: '/validityMonths', message: 'field.maximum', params: { limit: MAX_VALIDITY_MONTHS } });
    }
    if (input.numberPrefix !== undefined && input.numberPrefix.length > 20) problems.push({ field: '/numberPrefix', message: 'field.tooLong', params: { limit: 20 } });
    if (!Array.isArray(input.fields) || input.fields.length > MAX_FIELDS) {
      problems.push({ field: '/fields', message: 'certificate.fields.tooMany', params: { limit: MAX_FIELDS } });
    } else {
      const keys = new Set<string>();
      input.fields.forEach((field, index) => {
        const ok =
          new RegExp(FIELD_KEY_PATTERN).test(field?.key ?? '') &&
          !keys.has(field.key) &&
          typeof field.label?.['zh-CN'] === 'string' &&
          field.label['zh-CN'].trim() !== '' &&
          typeof field.label.en === 'string' &&
          field.label.en.trim() !== '' &&
          typeof field.value === 'string' &&
          field.value.length <= MAX_FIELD_VALUE &&
          typeof field.public === 'boolean';
        if (!ok) problems.push({ field: `/fields/${index}`, message: 'certificate.fields.invalid' });
        else keys.add(field.key);
      });
    }
    if (problems.length) throw invalid('certificateInvalid', problems);
  }

  // Views

  private status(row: CertificateRow): CertificateStatus {
    if (row.status === 'revoked') return 'revoked';
    if (row.validUntil && row.validUntil < this.today()) return 'expired';
    return 'current';
  }

  private view(row: CertificateRow, issuer: Issuer, kid: string): CertificateView {
    return {
      id: row.id,
      certificateType: row.certificateType,
      number: row.number,
      verificationCode: groupCode(row.verificationCode),
      verificationUrl: this.verificationUrl(row.verificationCode),
      title: { 'zh-CN': row.titleZh, en: row.titleEn },
      holder: {
        kind: row.holderPersonId ? 'person' : 'enterprise',
        personId: row.holderPersonId,
        enterpriseId: row.holderEnterpriseId,
        name: row.holderName,
        idMasked: row.holderIdMasked,
      },
      fields: parseFields(row.fields),
      issuer,
      issuedAt: row.issuedAt,
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      status: this.status(row),
      revokedAt: row.revokedAt,
      revokedReason: row.revokedReason,
      sourceApplicationId: row.sourceApplicationId,
      jws: row.jws,
      kid,
      jwksUri: this.jwksUri,
    };
  }

  /** What the public sees: never the holder's ids, the revocation reason or a field not marked public. */
  private publicView(row: CertificateRow, issuer: Issuer, kid: string): PublicVerification {
    return {
      genuine: true,
      status: this.status(row),
      certificateType: row.certificateType,
      title: { 'zh-CN': row.titleZh, en: row.titleEn },
      number: row.number,
      holderName: row.holderPersonId ? maskPersonName(row.holderName) : row.holderName,
      issuer,
      issuedAt: row.issuedAt,
      validFrom: row.validFrom,
      validUntil: row.validUntil,
      revokedAt: row.revokedAt,
      fields: parseFields(row.fields)
        .filter((field) => field.public === true)
        .map((field) => ({ key: field.key, label: field.label, value: field.value })),
      kid,
      jwksUri: this.jwksUri,
    };
  }

  private kidOf(jws: string): string {
    try {
      const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
      return typeof header.kid === 'string' ? header.kid : '';
    } catch {
      return '';
    }
  }

  private async departments(ids: string[], tx?: Tx): Promise<Map<string, Department>> {
    const store = tx ? new IdentityStore(tx) : this.identity.store;
    const found: (Department | undefined)[] = [];
    // One at a time: inside a transaction the reads share its one connection.
    for (const id of new Set(ids)) found.push(await store.departmentById(id));
    return new Map(found.filter((d): d is Department => !!d).map((d) => [d.id, d]));
  }

  private async issuerOf(departmentId: string): Promise<Issuer> {
    const department = (await this.departments([departmentId])).get(departmentId);
    return { departmentId, name: { 'zh-CN': department?.nameZh ?? '', en: department?.nameEn ?? '' } };
  }

  // Public verification

  /**
   * Anyone with the code learns whether the certificate is genuine and current, and its public
   * fields. A malformed code runs the same single lookup as a wrong one, so the answer's shape and
   * timing say nothing about which it was.
   */
  async verify(code: string): Promise<PublicVerification> {
    const row = await this.store.byVerificationCode(normalizeCode(code));
    if (!row) throw notFound('certificateNotFound', 'certificate.verification.notFound');
    return this.publicView(row, await this.issuerOf(row.issuedByDepartmentId), this.kidOf(row.jws));
  }

  /**
   * Checks a JWS a third party holds: the signature against the platform's public keys, then the
   * certificate's current status from the register (a signature cannot say it was revoked since).
   */
  async verifyJws(compact: string): Promise<PublicVerification> {
    let verified: Awaited<ReturnType<CertificateSigner['verify']>>;
    try {
      verified = await this.signer.verify(compact);
    } catch (error) {
      if (error instanceof SignatureInvalid) throw fieldInvalid('signatureInvalid', '/jws', 'certificate.jws.invalid');
      throw error;
    }
    const { payload, kid } = verified;
    const id = typeof payload.jti === 'string' ? payload.jti : '';
    const row = id ? await this.store.byId(id) : undefined;
    // Genuinely signed but not in the register (or not this one): only a key leak or a bug could do that.
    if (!row || payload.iss !== this.platform.config.publicUrl || row.number !== payload.number) {
      throw fieldInvalid('signatureInvalid', '/jws', 'certificate.jws.invalid');
    }
    return this.publicView(row, await this.issuerOf(row.issuedByDepartmentId), kid);
  }

  // The holder's own

  /** The enterprises this person may hold certificates for: legal representative, or agent with scope "applications". */
  private async enterpriseIdsOf(principal: SessionPrincipal): Promise<string[]> {
    if (!principal.personId) return [];
    const mine = await this.enterprises.myEnterprises(principal);
    return mine.filter((e) => e.role === 'legalRepresentative' || e.scopes.includes('applications')).map((e) => e.id);
  }

  /** The person's certificates and those of the enterprises they act for, newest first, expired and revoked included. */
  async listForHolder(principal: SessionPrincipal): Promise<CertificateView[]> {
    if (!principal.personId) return [];
    const rows = await this.store.forHolders({ personId: principal.personId, enterpriseIds: await this.enterpriseIdsOf(principal) });
    const departments = await this.departments(rows.map((r) => r.issuedByDepartmentId));
    return rows.map((row) => {
      const d = departments.get(row.issuedByDepartmentId);
      return this.view(row, { departmentId: row.issuedByDepartmentId, name: { 'zh-CN': d?.nameZh ?? '', en: d?.nameEn ?? '' } }, this.kidOf(row.jws));
    });
  }

  /** Whether this person may act as (or for) the holder of the certificate. */
  private async actsForHolder(principal: SessionPrincipal, row: CertificateRow): Promise<boolean> {
    if (!principal.personId) return false;
    if (row.holderPersonId) return row.holderPersonId === principal.personId;
    try {
      await this.enterprises.authorize(principal, row.holderEnterpriseId!, 'applications');
      return true;
    } catch (error) {
      if (error instanceof AppError) return false;
      throw error;
    }
  }

  private staffActor(principal: SessionPrincipal, department: Department | undefined): AuditActor {
    return { type: 'staff', id: principal.staffId ?? undefined, label: `${department?.nameZh ?? ''} · ${principal.displayName}` };
  }

  private subjectOf(row: CertificateRow) {
    return { subjectPersonId: row.holderPersonId ?? undefined, subjectEnterpriseId: row.holderEnterpriseId ?? undefined };
  }

  /**
   * The whole certificate. The holder (or an enterprise's representative or agent with scope
   * "applications") reads it freely. Staff (officers and approvers) read it only for the issuing
   * department, or for a department the holder has shared it with, and each staff read goes to the audit trail, where
   * the person sees it. Anyone else gets 404, as if it did not exist; staff refused are audited.
   */
  async get(principal: SessionPrincipal, id: string): Promise<CertificateView> {
    const row = await this.store.byId(id);
    if (!row) throw notFound('certificateNotFound', 'certificate.notFound');
    if (principal.staffId) {
      const share = principal.departmentId ? await this.store.liveShareFor(row.id, principal.departmentId) : undefined;
      // Least privilege: those who handle applications, not every staff role of the department.
      const handles = principal.roles.some((role) => (HANDLING_ROLES as readonly string[]).includes(role));
      const allowed = handles && !!principal.departmentId && (principal.departmentId === row.issuedByDepartmentId || !!share);
      const department = principal.departmentId ? await this.identity.store.departmentById(principal.departmentId) : undefined;
      await this.platform.audit.record({
        action: 'personalData.read',
        actor: this.staffActor(principal, department),
        ...this.subjectOf(row),
        purpose: share ? share.purpose : `${row.titleZh} ${row.number}`,
        outcome: allowed ? 'success' : 'denied',
        detail: { certificateId: row.id, basis: !allowed ? null : share && principal.departmentId !== row.issuedByDepartmentId ? 'share' : 'issuer', shareId: share?.id ?? null },
      });
      if (!allowed) throw notFound('certificateNotFound', 'certificate.notFound');
    } else if (!(await this.actsForHolder(principal, row))) {
      throw notFound('certificateNotFound', 'certificate.notFound');
    }
    return this.view(row, await this.issuerOf(row.issuedByDepartmentId), this.kidOf(row.jws));
  }

  /** For the holder's own actions (share, list shares): the certificate, or 404. */
  private async ownCertificate(principal: SessionPrincipal, id: string): Promise<CertificateRow> {
    const row = await this.store.byId(id);
    if (!row || principal.staffId || !(await this.actsForHolder(principal, row))) throw notFound('certificateNotFound', 'certificate.notFound');
    return row;
  }

  private requireCurrent(row: CertificateRow, field = ''): void {
    const status = this.status(row);
    if (status !== 'current') {
      throw conflict(`certificate${status === 'revoked' ? 'Revoked' : 'Expired'}`, `certificate.notCurrent.${status}`, {}, field ? [{ field, message: `certificate.notCurrent.${status}` }] : []);
    }
  }

  // Sharing with consent

  /**
   * The holder consents to a department seeing the certificate (for a later application, say).
   * The consent is recorded with who gave it and why, and audited; it holds until withdrawn.
   */
  async share(principal: SessionPrincipal, certificateId: string, input: ShareBody): Promise<ShareView> {
    const row = await this.ownCertificate(principal, certificateId);
    const purpose = (input.purpose ?? '').trim();
    const problems: FieldProblem[] = [];
    if (!purpose) problems.push({ field: '/purpose', message: 'certificate.purpose.required' });
    else if (purpose.length > MAX_PURPOSE) problems.push({ field: '/purpose', message: 'field.tooLong', params: { limit: MAX_PURPOSE } });
    const department = input.departmentId ? await this.identity.store.departmentById(input.departmentId) : undefined;
    if (!department) problems.push({ field: '/departmentId', message: 'certificate.department.choose' });
    if (problems.length) throw invalid('shareInvalid', problems);
    this.requireCurrent(row, '/certificateId');
    const share: ShareRow = {
      id: newId(),
      certificateId: row.id,
      departmentId: department!.id,
      kind: 'share',
      purpose,
      applicationId: input.applicationId ?? null,
      consentedByPersonId: principal.personId!,
      consentedAt: this.nowIso(),
      revokedAt: null,
    };
    await this.store.transaction(async (tx) => {
      await this.store.insertShare(tx, share);
      await this.platform.audit.record(
        {
          action: 'certificate.shared',
          actor: actorOf(principal),
          ...this.subjectOf(row),
          purpose,
          detail: { certificateId: row.id, shareId: share.id, departmentId: share.departmentId, applicationId: share.applicationId },
        },
        tx,
      );
    });
    return this.shareView(share, department!);
  }

  /** Withdraws a consent; the department can no longer read the certificate. Withdrawing twice changes nothing. */
  async revokeShare(principal: SessionPrincipal, certificateId: string, shareId: string): Promise<void> {
    const row = await this.ownCertificate(principal, certificateId);
    const share = await this.store.shareById(row.id, shareId);
    if (!share) throw notFound('shareNotFound', 'certificate.share.notFound');
    await this.store.transaction(async (tx) => {
      if (!(await this.store.revokeShare(tx, share.id, this.nowIso()))) return;
      await this.platform.audit.record(
        { action: 'certificate.shareRevoked', actor: actorOf(principal), ...this.subjectOf(row), detail: { certificateId: row.id, shareId: share.id, departmentId: share.departmentId } },
        tx,
      );
    });
  }

  async listShares(principal: SessionPrincipal, certificateId: string): Promise<ShareView[]> {
    const row = await this.ownCertificate(principal, certificateId);
    const shares = await this.store.sharesOf(row.id);
    const departments = await this.departments(shares.map((s) => s.departmentId));
    return shares.map((s) => this.shareView(s, departments.get(s.departmentId)));
  }

  private shareView(share: ShareRow, department: Department | undefined): ShareView {
    return {
      id: share.id,
      certificateId: share.certificateId,
      department: { id: share.departmentId, name: { 'zh-CN': department?.nameZh ?? '', en: department?.nameEn ?? '' } },
      kind: share.kind,
      purpose: share.purpose,
      applicationId: share.applicationId,
      consentedAt: share.consentedAt,
      revokedAt: share.revokedAt,
      status: share.revokedAt ? 'revoked' : 'active',
    };
  }

  // The once-only principle

  /**
   * The holder's certificates of a type that are in force today (not revoked, not expired), newest
   * first. Pass `tx` when calling inside a transaction: on SQLite a read outside it would wait for
   * the commit forever.
   */
  async findReusable(holder: HolderRef, certificateType: string, tx?: Tx): Promise<CertificateView[]> {
    const rows = await this.store.current(holder, certificateType, this.today(), tx);
    const departments = await this.departments(rows.map((r) => r.issuedByDepartmentId), tx);
    return rows.map((row) => {
      const d = departments.get(row.issuedByDepartmentId);
      return this.view(row, { departmentId: row.issuedByDepartmentId, name: { 'zh-CN': d?.nameZh ?? '', en: d?.nameEn ?? '' } }, this.kidOf(row.jws));
    });
  }

  /**
   * Reuses a certificate as a material of an application, in the application's transaction: the
   * certificate must be the holder's and in force; the consent is recorded for the department
   * handling it; the returned snapshot is what the application keeps.
   */
  async useAsMaterial(
    tx: Tx,
    input: { certificateId: string; holder: HolderRef; departmentId: string; applicationId: string; consentedByPersonId: string },
  ): Promise<MaterialSnapshot> {
    const row = await this.store.byId(input.certificateId, tx);
    const holds =
      !!row && ('personId' in input.holder ? row.holderPersonId === input.holder.personId : row.holderEnterpriseId === input.holder.enterpriseId);
    if (!row || !holds) throw fieldInvalid('certificateNotFound', '/certificateId', 'certificate.notFound');
    this.requireCurrent(row, '/certificateId');
    const department = await new IdentityStore(tx).departmentById(input.departmentId);
    if (!department) throw fieldInvalid('departmentNotFound', '/departmentId', 'certificate.department.notFound');
    const share: ShareRow = {
      id: newId(),
      certificateId: row.id,
      departmentId: department.id,
      kind: 'material',
      purpose: `${row.titleZh} / ${row.titleEn}`,
      applicationId: input.applicationId,
      consentedByPersonId: input.consentedByPersonId,
      consentedAt: this.nowIso(),
      revokedAt: null,
    };
    await this.store.insertShare(tx, share);
    await this.platform.audit.record(
      {
        action: 'certificate.shared',
        actor: { type: 'person', id: input.consentedByPersonId },
        ...this.subjectOf(row),
        purpose: 'applicationMaterial',
        detail: { certificateId: row.id, shareId: share.id, departmentId: department.id, applicationId: input.applicationId, kind: 'material' },
      },
      tx,
    );
    return {
      certificateId: row.id,
      type: row.certificateType,
      number: row.number,
      verificationCode: groupCode(row.verificationCode),
      title: { 'zh-CN': row.titleZh, en: row.titleEn },
      validUntil: row.validUntil,
      fields: parseFields(row.fields),
    };
  }

  // Revocation

  /**
   * The issuing department withdraws a certificate (an officer or approver of it, with a reason).
   * It shows as revoked to every verifier at once. Staff of another department are refused (403)
   * and the attempt is audited.
   */
  async revoke(principal: SessionPrincipal, id: string, reason: string): Promise<CertificateView> {
    if (!principal.staffId || !principal.roles.some((role) => (HANDLING_ROLES as readonly string[]).includes(role))) throw forbidden('roleRequired');
    const row = await this.store.byId(id);
    if (!row) throw notFound('certificateNotFound', 'certificate.notFound');
    const department = principal.departmentId ? await this.identity.store.departmentById(principal.departmentId) : undefined;
    const actor = this.staffActor(principal, department);
    if (principal.departmentId !== row.issuedByDepartmentId) {
      await this.platform.audit.record({ action: 'certificate.revoked', actor, ...this.subjectOf(row), outcome: 'denied', detail: { certificateId: row.id, reason: 'otherDepartment' } });
      throw forbidden('notIssuingDepartment', 'certificate.revoke.otherDepartment');
    }
    const why = (reason ?? '').trim();
    if (!why) throw fieldInvalid('reasonRequired', '/reason', 'certificate.reason.required');
    if (why.length > MAX_REASON) throw fieldInvalid('reasonTooLong', '/reason', 'field.tooLong', { limit: MAX_REASON });
    const nowIso = this.nowIso();
    const change = { revokedAt: nowIso, revokedReason: why, revokedByStaffId: principal.staffId };
    await this.store.transaction(async (tx) => {
      if (!(await this.store.revoke(tx, row.id, change))) throw conflict('certificateAlreadyRevoked', 'certificate.alreadyRevoked');
      await this.platform.audit.record({ action: 'certificate.revoked', actor, ...this.subjectOf(row), detail: { certificateId: row.id, number: row.number, reason: why } }, tx);
    });
    return this.view({ ...row, status: 'revoked', ...change }, await this.issuerOf(row.issuedByDepartmentId), this.kidOf(row.jws));
  }

  // Pages

  /** Departments a holder can share with, for the share form. */
  async departmentChoices(): Promise<{ id: string; name: LocalizedText }[]> {
    const all = await this.identity.store.listDepartments();
    return all.map((d) => ({ id: d.id, name: { 'zh-CN': d.nameZh, en: d.nameEn } }));
  }
}
