import { createHash } from 'node:crypto';
import type { SessionPrincipal } from '../core/auth.js';
import type { Tx } from '../core/db.js';
import { AppError, conflict, fieldInvalid, notFound, tooManyRequests } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Platform } from '../core/platform.js';
import { actorOf } from '../identity/service.js';
import { MIME_OF, kindsMessageKey, sanitizeFilename, sniffKind, type FileKind, FILE_KINDS } from './sniff.js';
import { FileStore, type UploadRow } from './store.js';
import './messages.js';

const MB = 1024 * 1024;
/** No single upload is larger than this, whatever a material allows (the catalogue's maximum too). */
export const FILE_MAX_BYTES = 20 * MB;
/** One page post (text fields and files together) carries at most this much, whatever its files allow each. */
export const PAGE_UPLOAD_MAX_BYTES = 50 * MB;
/** Uploads not attached to an application within this time are removed. */
export const ORPHAN_AGE_MS = 24 * 3_600_000;
/** Unattached uploads one account may hold in a day: enough for any bundle, not enough to fill a disk. */
export const UNATTACHED_QUOTA = 200;

/** An upload as its owner and the application layer see it. */
export interface FileInfo {
  id: string;
  sha256: string;
  /** pdf, jpeg or png, judged from the content. */
  type: FileKind;
  mime: string;
  size: number;
  filename: string;
  createdAt: string;
  attachedTo: string | null;
}

export interface FileContent extends FileInfo {
  bytes: Buffer;
}

export interface StoreRequest {
  filename: string;
  bytes: Buffer;
  /** What this material accepts; all of pdf, jpeg and png when not given. */
  allowedTypes?: readonly FileKind[];
  /** This material's limit (its maxSizeMb); never above FILE_MAX_BYTES. */
  maxBytes?: number;
  /** The form field or JSON pointer to name in a problem; `/file` when not given. */
  field?: string;
}

/** What the application layer answers when staff ask for a material attached to an application. */
export interface StaffFileAccess {
  allowed: boolean;
  subjectPersonId?: string;
  subjectEnterpriseId?: string;
  purpose?: string;
}

function infoOf(row: UploadRow): FileInfo {
  return {
    id: row.id,
    sha256: row.sha256,
    type: row.kind,
    mime: MIME_OF[row.kind],
    size: row.size,
    filename: row.filename,
    createdAt: row.createdAt,
    attachedTo: row.attachedTo,
  };
}

const megabytes = (bytes: number) => Math.floor(bytes / MB);

export function fileTooLarge(field: string, limitBytes: number): AppError {
  return new AppError(413, 'fileTooLarge', 'error.bodyTooLarge.title', 'files.tooLarge.detail', {}, [
    { field, message: 'files.tooLarge', params: { limit: megabytes(limitBytes) } },
  ]);
}

export function fileTypeNotAllowed(field: string, allowed: readonly FileKind[]): AppError {
  return new AppError(415, 'fileTypeNotAllowed', 'error.unsupportedMediaType.title', 'files.type.detail', {}, [
    { field, message: 'files.type.notAllowed', params: { types: `{${kindsMessageKey(allowed)}}` } },
  ]);
}

/**
 * Uploaded materials: sniffed, size-checked, stored once per content, owned by the account that
 * uploaded them until the application layer attaches them to an application.
 */
export class FileService {
  private readonly rows: FileStore;

  /**
   * `subjectsOfOwner` names whom the owner of attached files (an application, a credit repair
   * application) concerns, so that a refused staff read is audited against them whichever route
   * was tried, also when the route's own check does not know that owner.
   */
  constructor(
    private readonly platform: Platform,
    private readonly subjectsOfOwner: (ownerId: string) => Promise<{ subjectPersonId?: string; subjectEnterpriseId?: string }> = async () => ({}),
  ) {
    this.rows = new FileStore(platform.db);
  }

  private nowIso(): string {
    return this.platform.clock.now().toISOString();
  }

  /**
   * Checks an upload against a material's rules without storing it: the size first (413), then
   * the content's real type (415). Each problem names `field`.
   */
  async check(request: StoreRequest): Promise<FileKind> {
    const field = request.field ?? '/file';
    const allowed = request.allowedTypes?.length ? request.allowedTypes : FILE_KINDS;
    const maxBytes = Math.min(request.maxBytes ?? FILE_MAX_BYTES, FILE_MAX_BYTES);
    if (request.bytes.length > maxBytes) throw fileTooLarge(field, maxBytes);
    if (request.bytes.length === 0) throw fieldInvalid('fileEmpty', field, 'files.empty');
    const kind = await sniffKind(request.bytes);
    if (!kind || !allowed.includes(kind)) throw fileTypeNotAllowed(field, allowed);
    return kind;
  }

  /** Stores an upload for its owner. Nothing is written unless every check passes. */
  async store(ownerAccountId: string, request: StoreRequest): Promise<FileInfo> {
    const kind = await this.check(request);
    const sha256 = createHash('sha256').update(request.bytes).digest('hex');
    const nowIso = this.nowIso();
    const row: UploadRow = {
      id: newId(),
      ownerAccountId,
      sha256,
      kind,
      size: request.bytes.length,
      filename: sanitizeFilename(request.filename, kind),
      createdAt: nowIso,
      attachedTo: null,
    };
    const since = new Date(this.platform.clock.now().getTime() - ORPHAN_AGE_MS).toISOString();
    await this.rows.transaction(async (tx) => {
      if ((await this.rows.countUnattachedSince(ownerAccountId, since, tx)) >= UNATTACHED_QUOTA) {
        throw new AppError(429, 'uploadQuota', 'error.tooManyRequests.title', 'files.quota', { limit: UNATTACHED_QUOTA });
      }
      await this.rows.putContent(tx, { sha256, bytes: request.bytes, nowIso });
      await this.rows.insertUpload(tx, row);
    });
    return infoOf(row);
  }

  /** Metadata of an upload, for its owner only (404 for anyone else, so ids reveal nothing). */
  async get(ownerAccountId: string, id: string): Promise<FileInfo> {
    const row = await this.rows.upload(id);
    if (!row || row.ownerAccountId !== ownerAccountId) throw notFound('fileNotFound', 'files.notFound');
    return infoOf(row);
  }

  /** An upload of this account that is not yet a material of any application, or null. */
  async ownUpload(accountId: string, fileId: string): Promise<FileInfo | null> {
    const row = await this.rows.upload(fileId);
    return row && row.ownerAccountId === accountId && row.attachedTo === null ? infoOf(row) : null;
  }

  /**
   * Makes uploads materials of an application (or the evidence of a credit repair application:
   * `applicationId` is whatever owns them; ids are unique across tables), in the caller's
   * transaction. Refused (409, nothing changed once the caller rolls back) when one is gone
   * (cleaned up) or belongs to another application; attaching again to the same application is
   * allowed (a retried submit).
   */
  async attach(tx: Tx, fileIds: string[], applicationId: string): Promise<void> {
    const ids = [...new Set(fileIds)];
    const attached = await this.rows.attach(tx, ids, applicationId);
    if (attached !== ids.length) throw conflict('fileNotAvailable', 'files.notAvailable');
  }

  /**
   * A second upload row for the same stored content, in the caller's transaction: a bundle gives
   * each department's application its own copy of a material asked once (the bytes are not copied).
   */
  async copyUpload(tx: Tx, fileId: string, ownerAccountId: string): Promise<FileInfo> {
    const row = await this.rows.upload(fileId, tx);
    if (!row || row.ownerAccountId !== ownerAccountId) throw conflict('fileNotAvailable', 'files.notAvailable');
    const copy: UploadRow = { ...row, id: newId(), attachedTo: null, createdAt: this.nowIso() };
    await this.rows.insertUpload(tx, copy);
    return infoOf(copy);
  }

  /** The materials attached to an application, oldest first. */
  async attachedTo(applicationId: string, tx?: Tx): Promise<FileInfo[]> {
    return (await this.rows.uploadsAttachedTo(applicationId, tx)).map(infoOf);
  }

  /** The files attached to each of these (applications or credit repair applications), oldest first. */
  async attachedToEach(ownerIds: string[]): Promise<Map<string, FileInfo[]>> {
    const byOwner = new Map<string, FileInfo[]>(ownerIds.map((id) => [id, []]));
    for (const row of await this.rows.uploadsAttachedToAny([...new Set(ownerIds)])) byOwner.get(row.attachedTo!)?.push(infoOf(row));
    return byOwner;
  }

  private async withBytes(row: UploadRow): Promise<FileContent> {
    const bytes = await this.rows.content(row.sha256);
    if (!bytes) throw notFound('fileNotFound', 'files.notFound');
    return { ...infoOf(row), bytes };
  }

  /** The bytes of an upload, for its owner. */
  async readContent(ownerAccountId: string, id: string): Promise<FileContent> {
    const row = await this.rows.upload(id);
    if (!row || row.ownerAccountId !== ownerAccountId) throw notFound('fileNotFound', 'files.notFound');
    return this.withBytes(row);
  }

  /**
   * The bytes of a material attached to this application, for whoever the application layer has
   * already let see that application (the applicant, the enterprise's legal representative).
   */
  async readAttached(applicationId: string, id: string): Promise<FileContent> {
    const row = await this.rows.upload(id);
    if (!row || row.attachedTo !== applicationId) throw notFound('fileNotFound', 'files.notFound');
    return this.withBytes(row);
  }

  /**
   * A material read by staff. `check` (from the application layer) decides whether this staff
   * member may see the application the file is attached to, and names whom it concerns (also when
   * refusing, so that the applicant sees the attempt); the read, or the refusal, is audited either
   * way. Files not attached to any application are never shown to staff (and concern no application).
   */
  async readForStaff(principal: SessionPrincipal, id: string, check: (applicationId: string, upload: { filename: string }) => Promise<StaffFileAccess>): Promise<FileContent> {
    const row = await this.rows.upload(id);
    const checked: StaffFileAccess = row?.attachedTo ? await check(row.attachedTo, { filename: row.filename }) : { allowed: false };
    const named = checked.allowed || checked.subjectPersonId || checked.subjectEnterpriseId || !row?.attachedTo;
    const access = named ? checked : { ...checked, ...(await this.subjectsOfOwner(row.attachedTo!)) };
    await this.platform.audit.record({
      action: 'files.read',
      actor: actorOf(principal),
      subjectPersonId: access.subjectPersonId,
      subjectEnterpriseId: access.subjectEnterpriseId,
      purpose: access.purpose,
      outcome: access.allowed ? 'success' : 'denied',
      detail: { fileId: id, applicationId: row?.attachedTo ?? null },
    });
    if (!row || !access.allowed) throw notFound('fileNotFound', 'files.notFound');
    return this.withBytes(row);
  }

  /** Removes uploads that never became materials within a day, and contents no upload uses. */
  async cleanUp(): Promise<{ uploads: number; contents: number }> {
    const before = new Date(this.platform.clock.now().getTime() - ORPHAN_AGE_MS).toISOString();
    const removed = await this.rows.deleteOrphans(before);
    if (removed.uploads || removed.contents) this.platform.logger.info(removed, 'removed unattached uploads');
    return removed;
  }
}
