import type { GovernmentDataset } from '../catalog/schema.js';
import { maskIdNumber } from '../core/personal-data.js';
import type { EnterpriseService } from '../identity/enterprises/service.js';
import type { IdentityService } from '../identity/service.js';
import { getRegion } from '../reference/regions.js';

/**
 * Data the government already holds, handed to an application with the applicant's consent so
 * that nobody is asked for it again (the once-only principle). In production each dataset comes
 * from the body that keeps it through the data-sharing exchange; the embedded exchange answers
 * what this platform itself holds (real-name identity, enterprise registration) and says plainly
 * that it does not hold the rest, so the applicant uploads those instead.
 */
export interface GovernmentDataRecord {
  dataset: GovernmentDataset;
  /** The body that keeps the data, shown to the applicant before they consent. */
  source: string;
  retrievedAt: string;
  fields: Record<string, string | number | boolean | null>;
}

export interface GovernmentDataExchange {
  fetch(dataset: GovernmentDataset, subject: { personId: string; enterpriseId: string | null }, now: Date): Promise<GovernmentDataRecord | null>;
}

export class EmbeddedGovernmentData implements GovernmentDataExchange {
  constructor(
    private readonly identity: IdentityService,
    private readonly enterprises: EnterpriseService,
  ) {}

  async fetch(dataset: GovernmentDataset, subject: { personId: string; enterpriseId: string | null }, now: Date): Promise<GovernmentDataRecord | null> {
    const retrievedAt = now.toISOString();
    if (dataset === 'residentIdentity' || dataset === 'householdRegistration') {
      const person = await this.identity.personById(subject.personId);
      if (!person || person.realNameLevel < 2) return null;
      if (dataset === 'residentIdentity') {
        return {
          dataset,
          source: 'national population registry (real-name verified)',
          retrievedAt,
          fields: { name: person.name, idNumber: maskIdNumber(this.identity.decryptIdNumber(person)), sex: person.sex, birthDate: person.birthDate, realNameLevel: person.realNameLevel },
        };
      }
      return {
        dataset,
        source: 'household registration (public security)',
        retrievedAt,
        fields: { name: person.name, registeredRegionCode: person.regionCode, registeredRegionName: getRegion(person.regionCode)?.name ?? null },
      };
    }
    if (dataset === 'businessRegistration' && subject.enterpriseId) {
      const facts = await this.enterprises.registrationRecord(subject.enterpriseId);
      if (!facts) return null;
      return { dataset, source: 'market regulation registry', retrievedAt, fields: facts };
    }
    if (dataset === 'socialInsurance' && subject.enterpriseId) {
      const facts = await this.enterprises.factsFor(subject.enterpriseId);
      if (facts.insuredEmployees === undefined) return null;
      return { dataset, source: 'social insurance registry', retrievedAt, fields: { insuredEmployees: facts.insuredEmployees } };
    }
    return null;
  }
}
