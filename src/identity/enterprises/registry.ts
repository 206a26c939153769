import type { PersonalDataVault } from '../../core/personal-data.js';
import type { EntityType } from '../../reference/uscc.js';
import type { EnterpriseStore, TaxCreditRating, TaxpayerType } from './store.js';

/** What the enterprise registry holds about one registered body. Money in integer fen. */
export interface RegisteredEnterprise {
  uscc: string;
  name: string;
  status: 'active' | 'revoked' | 'cancelled';
  legalRepresentativeName: string;
  regionCode: string;
  industryCode?: string;
  entityType?: EntityType;
  establishedOn?: string;
  employees?: number;
  insuredEmployees?: number;
  operatingRevenueFen?: number;
  totalAssetsFen?: number;
  taxpayerType?: TaxpayerType;
  taxCreditRating?: TaxCreditRating;
  qualifications?: string[];
}

export interface RegistryLookup {
  enterprise: RegisteredEnterprise;
  /** Whether the ID number given with the question is the legal representative's. */
  idNumberIsLegalRepresentative: boolean;
}

/**
 * The national enterprise registry (market regulation and the other registration authorities),
 * reached through an adapter: the platform copies a profile when an enterprise is opened and
 * never keeps the registry itself. Embedded mode uses a table of synthetic enterprises.
 */
export interface EnterpriseRegistry {
  /**
   * Looks up a normalised USCC and says whether `idNumber` (a normalised resident ID number) is
   * its legal representative's. Undefined when the registry does not know the code.
   */
  lookup(uscc: string, idNumber: string): Promise<RegistryLookup | undefined>;
}

/** A synthetic enterprise for demo data and tests; the legal representative's ID in plain text. */
export interface SyntheticEnterprise extends Omit<RegisteredEnterprise, 'status'> {
  status?: RegisteredEnterprise['status'];
  legalRepresentativeIdNumber: string;
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value);
const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export class EmbeddedEnterpriseRegistry implements EnterpriseRegistry {
  constructor(
    private readonly store: EnterpriseStore,
    private readonly vault: PersonalDataVault,
  ) {}

  async lookup(uscc: string, idNumber: string): Promise<RegistryLookup | undefined> {
    const row = await this.store.registryEnterprise(uscc);
    if (!row) return undefined;
    // Compares keyed hashes: the registry table never holds an ID number in the clear.
    const idNumberIsLegalRepresentative = this.vault.lookupHash('resident-id', idNumber) === row.legalRepIdHash;
    return {
      idNumberIsLegalRepresentative,
      enterprise: {
        uscc: row.uscc,
        name: row.name,
        status: row.status,
        legalRepresentativeName: row.legalRepName,
        regionCode: row.regionCode,
        industryCode: orUndefined(row.industryCode),
        entityType: orUndefined(row.entityType),
        establishedOn: orUndefined(row.establishedOn),
        employees: orUndefined(row.employees),
        insuredEmployees: orUndefined(row.insuredEmployees),
        operatingRevenueFen: orUndefined(row.operatingRevenueFen),
        totalAssetsFen: orUndefined(row.totalAssetsFen),
        taxpayerType: orUndefined(row.taxpayerType),
        taxCreditRating: orUndefined(row.taxCreditRating),
        qualifications: row.qualifications ? (JSON.parse(row.qualifications) as string[]) : undefined,
      },
    };
  }

  /** Loads synthetic enterprises (demo data, tests, benchmarks); a code already present is kept. */
  async add(enterprises: SyntheticEnterprise[]): Promise<void> {
    await this.store.insertRegistryEnterprises(
      enterprises.map((e) => ({
        uscc: e.uscc,
        name: e.name,
        legalRepName: e.legalRepresentativeName,
        legalRepIdHash: this.vault.lookupHash('resident-id', e.legalRepresentativeIdNumber),
        status: e.status ?? 'active',
        regionCode: e.regionCode,
        industryCode: orNull(e.industryCode),
        entityType: orNull(e.entityType),
        establishedOn: orNull(e.establishedOn),
        employees: orNull(e.employees),
        insuredEmployees: orNull(e.insuredEmployees),
        operatingRevenueFen: orNull(e.operatingRevenueFen),
        totalAssetsFen: orNull(e.totalAssetsFen),
        taxpayerType: orNull(e.taxpayerType),
        taxCreditRating: orNull(e.taxCreditRating),
        qualifications: e.qualifications ? JSON.stringify(e.qualifications) : null,
      })),
    );
  }
}

/**
 * A registry reached over HTTPS: `POST {url}` with `{"uscc", "idNumber"}` (in the body, so the ID
 * number stays out of URLs and access logs), answering `404` for an unknown code or `200` with
 * `{"enterprise": RegisteredEnterprise, "idNumberIsLegalRepresentative": boolean}`.
 */
export class HttpEnterpriseRegistry implements EnterpriseRegistry {
  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 3000,
  ) {}

  async lookup(uscc: string, idNumber: string): Promise<RegistryLookup | undefined> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ uscc, idNumber }),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`enterprise registry answered ${response.status}`);
    const body = (await response.json()) as Partial<RegistryLookup>;
    const enterprise = body.enterprise;
    if (
      !enterprise ||
      typeof body.idNumberIsLegalRepresentative !== 'boolean' ||
      enterprise.uscc !== uscc ||
      typeof enterprise.name !== 'string' ||
      typeof enterprise.legalRepresentativeName !== 'string' ||
      typeof enterprise.regionCode !== 'string' ||
      !['active', 'revoked', 'cancelled'].includes(enterprise.status)
    ) {
      throw new Error('enterprise registry gave an unexpected answer');
    }
    return { enterprise, idNumberIsLegalRepresentative: body.idNumberIsLegalRepresentative };
  }
}
