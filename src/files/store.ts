import type { Db, Tx } from '../core/db.js';
import type { FileKind } from './sniff.js';

export interface FileContentsTable {
  sha256: string;
  bytes: Buffer;
  size: number;
  createdAt: string;
  lastUsedAt: string;
}

export interface FileUploadsTable {
  id: string;
  ownerAccountId: string;
  sha256: string;
  kind: FileKind;
  size: number;
  filename: string;
  createdAt: string;
  attachedTo: string | null;
}

declare module '../core/db.js' {
  interface Tables {
    fileContents: FileContentsTable;
    fileUploads: FileUploadsTable;
  }
}

export type UploadRow = FileUploadsTable;

/** The SQL of uploaded files; nothing outside this folder touches these tables. */
export class FileStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /**
   * Keeps the bytes under their hash. Bytes already stored are not sent to the database again;
   * only their last use is brought forward, which also takes the row lock that makes a
   * concurrent clean-up skip them.
   */
  async putContent(tx: Tx, content: { sha256: string; bytes: Buffer; nowIso: string }): Promise<void> {
    const touched = await tx
      .updateTable('fileContents')
      .set({ lastUsedAt: content.nowIso })
      .where('sha256', '=', content.sha256)
      .executeTakeFirst();
    if (Number(touched.numUpdatedRows) > 0) return;
    await tx
      .insertInto('fileContents')
      .values({ sha256: content.sha256, bytes: content.bytes, size: content.bytes.length, createdAt: content.nowIso, lastUsedAt: content.nowIso })
      .onConflict((oc) => oc.column('sha256').doUpdateSet({ lastUsedAt: content.nowIso }))
      .execute();
  }

  async insertUpload(tx: Tx, upload: UploadRow): Promise<void> {
    await tx.insertInto('fileUploads').values(upload).execute();
  }

  upload(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('fileUploads').selectAll().where('id', '=', id).executeTakeFirst();
  }

  uploadsAttachedTo(applicationId: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('fileUploads').selectAll().where('attachedTo', '=', applicationId).orderBy('createdAt').orderBy('id').execute();
  }

  uploadsAttachedToAny(ownerIds: string[]) {
    if (ownerIds.length === 0) return Promise.resolve([] as UploadRow[]);
    return this.db.selectFrom('fileUploads').selectAll().where('attachedTo', 'in', ownerIds).orderBy('createdAt').orderBy('id').execute();
  }

  async content(sha256: string): Promise<Buffer | undefined> {
    const row = await this.db.selectFrom('fileContents').select('bytes').where('sha256', '=', sha256).executeTakeFirst();
    return row ? Buffer.from(row.bytes) : undefined;
  }

  async countUnattachedSince(ownerAccountId: string, sinceIso: string, tx: Tx | Db = this.db): Promise<number> {
    const row = await tx
      .selectFrom('fileUploads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ownerAccountId', '=', ownerAccountId)
      .where('createdAt', '>=', sinceIso)
      .where('attachedTo', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Ties uploads to an application; only uploads still free, or already tied to this same
   * application (a retried submit), are taken. Answers how many rows now belong to it.
   */
  async attach(tx: Tx, ids: string[], applicationId: string): Promise<number> {
    if (ids.length === 0) return 0;
    await tx.updateTable('fileUploads').set({ attachedTo: applicationId }).where('id', 'in', ids).where('attachedTo', 'is', null).execute();
    const row = await tx
      .selectFrom('fileUploads')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('id', 'in', ids)
      .where('attachedTo', '=', applicationId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Removes uploads never attached and created before the cut-off, then contents nobody points at. */
  async deleteOrphans(beforeIso: string): Promise<{ uploads: number; contents: number }> {
    return this.db.transaction().execute(async (tx) => {
      const uploads = await tx.deleteFrom('fileUploads').where('attachedTo', 'is', null).where('createdAt', '<', beforeIso).executeTakeFirst();
      const contents = await tx
        .deleteFrom('fileContents')
        .where('lastUsedAt', '<', beforeIso)
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('fileUploads as u').select('u.id').whereRef('u.sha256', '=', 'fileContents.sha256'))),
        )
        .executeTakeFirst();
      return { uploads: Number(uploads.numDeletedRows), contents: Number(contents.numDeletedRows) };
    });
  }
}
