import type { PersonalDataVault } from '../core/personal-data.js';
import type { IdentityStore } from './store.js';

export type RegistryAnswer = 'match' | 'nameMismatch' | 'notFound' | 'inactive';

/**
 * The national population registry, reached through an adapter: the platform never keeps a copy
 * of it. Embedded mode uses a table of synthetic residents; production points at the real service.
 */
export interface PopulationRegistry {
  check(name: string, idNumber: string): Promise<RegistryAnswer>;
}

export class EmbeddedPopulationRegistry implements PopulationRegistry {
  constructor(
    private readonly store: IdentityStore,
    private readonly vault: PersonalDataVault,
  ) {}

  async check(name: string, idNumber: string): Promise<RegistryAnswer> {
    const resident = await this.store.registryResident(this.vault.lookupHash('resident-id', idNumber));
    if (!resident) return 'notFound';
    if (resident.status !== 'active') return 'inactive';
    return resident.name === name ? 'match' : 'nameMismatch';
  }

  /** Loads synthetic residents (demo data, tests, benchmarks). */
  async add(residents: { name: string; idNumber: string; status?: 'active' | 'deceased' | 'cancelled' }[]): Promise<void> {
    await this.store.insertRegistryResidents(
      residents.map((r) => ({ idNumberHash: this.vault.lookupHash('resident-id', r.idNumber), name: r.name, status: r.status ?? 'active' })),
    );
  }
}

/**
 * A registry reached over HTTPS: `POST {url}` with `{"name", "idNumber"}` answering
 * `{"result": "match" | "nameMismatch" | "notFound" | "inactive"}`.
 */
export class HttpPopulationRegistry implements PopulationRegistry {
  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 3000,
  ) {}

  async check(name: string, idNumber: string): Promise<RegistryAnswer> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ name, idNumber }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw new Error(`population registry answered ${response.status}`);
    const body = (await response.json()) as { result?: string };
    if (body.result === 'match' || body.result === 'nameMismatch' || body.result === 'notFound' || body.result === 'inactive') return body.result;
    throw new Error('population registry gave an unexpected answer');
  }
}
