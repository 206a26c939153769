import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PersonalDataVault } from '../../core/personal-data.js';
import type { OidcStore } from './store.js';

/**
 * oidc-provider's storage, in our database: sessions, interactions, codes, tokens and grants live
 * in one table, so any server copy can continue what another began. Registered clients are read
 * from their own table, with the secret decrypted only here.
 */
export function databaseAdapter(store: OidcStore, vault: PersonalDataVault) {
  return class DatabaseAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
      await store.upsertPayload({
        id,
        model: this.model,
        payload: JSON.stringify(payload),
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
        consumedAt: null,
      });
    }

    private async load(by: 'id' | 'uid' | 'userCode', value: string): Promise<AdapterPayload | undefined> {
      const row = await store.payload(this.model, by, value);
      if (!row) return undefined;
      if (row.expiresAt && row.expiresAt <= new Date().toISOString()) return undefined;
      const payload = JSON.parse(row.payload) as AdapterPayload;
      return row.consumedAt ? { ...payload, consumed: Math.floor(new Date(row.consumedAt).getTime() / 1000) } : payload;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      if (this.model === 'Client') return findClient(id);
      return this.load('id', id);
    }

    findByUid(uid: string) {
      return this.load('uid', uid);
    }

    findByUserCode(userCode: string) {
      return this.load('userCode', userCode);
    }

    async consume(id: string): Promise<void> {
      await store.consume(this.model, id, new Date().toISOString());
    }

    async destroy(id: string): Promise<void> {
      await store.destroy(this.model, id);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await store.revokeByGrantId(grantId);
    }
  };

  async function findClient(clientId: string): Promise<AdapterPayload | undefined> {
    const row = await store.client(clientId);
    if (!row || row.disabledAt) return undefined;
    return { ...(JSON.parse(row.metadata) as AdapterPayload), client_id: row.clientId, client_secret: vault.decrypt(row.secretEnc), client_name: row.name };
  }
}
