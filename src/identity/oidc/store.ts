import { preparedQuery, type Dialect, type Db } from '../../core/db.js';
import type { OidcClientsTable, OidcConsentsTable, OidcPayloadsTable } from './migrations.js';

/** The SQL of single sign-on: provider payloads, registered clients and remembered consents. */
export class OidcStore {
  constructor(
    private readonly db: Db,
    private readonly dialect: Dialect,
  ) {}

  async upsertPayload(row: OidcPayloadsTable): Promise<void> {
    await this.db
      .insertInto('oidcPayloads')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['model', 'id']).doUpdateSet({
          payload: row.payload,
          grantId: row.grantId,
          userCode: row.userCode,
          uid: row.uid,
          expiresAt: row.expiresAt,
        }),
      )
      .execute();
  }

  payload(model: string, by: 'id' | 'uid' | 'userCode', value: string) {
    return this.db.selectFrom('oidcPayloads').selectAll().where('model', '=', model).where(by, '=', value).executeTakeFirst();
  }

  async consume(model: string, id: string, at: string): Promise<void> {
    await this.db.updateTable('oidcPayloads').set({ consumedAt: at }).where('model', '=', model).where('id', '=', id).execute();
  }

  async destroy(model: string, id: string): Promise<void> {
    await this.db.deleteFrom('oidcPayloads').where('model', '=', model).where('id', '=', id).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db.deleteFrom('oidcPayloads').where('grantId', '=', grantId).execute();
  }

  /** Housekeeping: expired payloads are of no use to anyone. */
  async deleteExpired(nowIso: string): Promise<number> {
    const result = await this.db.deleteFrom('oidcPayloads').where('expiresAt', '<', nowIso).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertClient(row: OidcClientsTable): Promise<void> {
    await this.db.insertInto('oidcClients').values(row).execute();
  }

  client(clientId: string) {
    return this.db.selectFrom('oidcClients').selectAll().where('clientId', '=', clientId).executeTakeFirst();
  }

  /** The client with its department's names in one query: the verification API's hot path. */
  /**
   * A client-credentials access token with the client and department it belongs to, in one read:
   * this runs on every call of the verification API.
   */
  // Every departmental API call resolves its token: compiled once, run with each token.
  private readonly clientCredentialQuery = preparedQuery((db, token: string) =>
    db
      .selectFrom('oidcPayloads')
      .innerJoin('oidcClients', (join) => join.on('oidcClients.clientId', '=', this.dialect.jsonText('oidcPayloads.payload', 'clientId')))
      .leftJoin('departments', 'departments.id', 'oidcClients.departmentId')
      .select([
        'oidcPayloads.payload',
        'oidcPayloads.expiresAt',
        'oidcClients.clientId',
        'oidcClients.name',
        'oidcClients.departmentId',
        'oidcClients.disabledAt',
        'departments.nameZh as departmentNameZh',
      ])
      .where('oidcPayloads.model', '=', 'ClientCredentials')
      .where('oidcPayloads.id', '=', token),
  );

  async clientCredential(token: string) {
    return (await this.clientCredentialQuery.execute(this.db, token))[0];
  }

  clientWithDepartment(clientId: string) {
    return this.db
      .selectFrom('oidcClients')
      .leftJoin('departments', 'departments.id', 'oidcClients.departmentId')
      .select(['oidcClients.clientId', 'oidcClients.name', 'oidcClients.departmentId', 'oidcClients.disabledAt', 'departments.nameZh as departmentNameZh', 'departments.nameEn as departmentNameEn'])
      .where('oidcClients.clientId', '=', clientId)
      .executeTakeFirst();
  }

  listClients() {
    return this.db.selectFrom('oidcClients').selectAll().orderBy('createdAt').orderBy('clientId').execute();
  }

  async disableClient(clientId: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('oidcClients').set({ disabledAt: at }).where('clientId', '=', clientId).where('disabledAt', 'is', null).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  consent(personId: string, clientId: string) {
    return this.db.selectFrom('oidcConsents').selectAll().where('personId', '=', personId).where('clientId', '=', clientId).executeTakeFirst();
  }

  async saveConsent(row: OidcConsentsTable): Promise<void> {
    await this.db
      .insertInto('oidcConsents')
      .values(row)
      .onConflict((oc) => oc.columns(['personId', 'clientId']).doUpdateSet({ scopes: row.scopes, grantedAt: row.grantedAt }))
      .execute();
  }
}
