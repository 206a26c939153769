import type { SessionPrincipal } from '../../core/auth.js';
import { AppError, conflict, fieldInvalid, forbidden, invalid, notFound, type FieldProblem } from '../../core/errors.js';
import type { MessageKey } from '../../core/i18n.js';
import { newId } from '../../core/ids.js';
import { maskIdNumber } from '../../core/personal-data.js';
import type { Platform } from '../../core/platform.js';
import { isIsoDate, monthsBetween, shanghaiDate, toDayNumber } from '../../reference/dates.js';
import { getIndustry, industrySection, isKnownIndustryClass } from '../../reference/industries.js';
import { getRegion, isKnownRegion } from '../../reference/regions.js';
import { validateResidentId } from '../../reference/resident-id.js';
import { classifyEnterpriseSize, type SizeClass } from '../../reference/size-class.js';
import { entityTypeFromUscc, validateUscc, type EntityType } from '../../reference/uscc.js';
import { ACCESS_LOG_PAGE, actorOf, type IdentityService } from '../service.js';
import type { Person } from '../store.js';
import type { EnterpriseRegistry, RegisteredEnterprise, RegistryLookup } from './registry.js';
import {
  AGENT_SCOPES,
  ENTITY_TYPES,
  MAX_AGENT_YEARS,
  MAX_AMOUNT_YUAN,
  MAX_QUALIFICATION_LENGTH,
  MAX_QUALIFICATIONS,
  TAX_CREDIT_RATINGS,
  TAXPAYER_TYPES,
  type AgentScope,
  type AgentView,
  type EnterpriseRole,
  type EnterpriseView,
  type GrantAgentBody,
  type MyEnterprise,
  type ProfilePatch,
} from './schema.js';
import { EnterpriseStore, type AgentRow, type EnterpriseRow, type TaxCreditRating, type TaxpayerType } from './store.js';
import './messages.js';

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** What `authorize` answers: the enterprise and the capacity in which the caller acts for it. */
export interface EnterpriseAccess {
  enterprise: EnterpriseRow;
  role: EnterpriseRole;
  scopes: AgentScope[];
  /** For an agent, the instant the authorisation ends; null for the legal representative. */
  agencyExpiresAt: string | null;
}

/**
 * An enterprise profile as facts for policy eligibility rules. A value the enterprise has not
 * given is absent, never zero: "no revenue reported" must not read as "revenue 0".
 */
export interface EnterpriseFacts {
  region: string;
  industry?: string;
  industrySection?: string;
  entityType: EntityType;
  sizeClass?: SizeClass;
  establishedOn?: string;
  /** Whole months from establishment to today (Asia/Shanghai, on the platform clock). */
  ageMonths?: number;
  employees?: number;
  insuredEmployees?: number;
  /** Yuan. */
  operatingRevenue?: number;
  /** Yuan. */
  totalAssets?: number;
  taxpayerType?: TaxpayerType;
  taxCreditRating?: TaxCreditRating;
  qualifications: string[];
}

// The 2017 size standard classifies enterprises; individual businesses and farmers' cooperatives
// are classified by reference to it (参照执行). Public institutions and social organisations are not.
const SIZE_CLASSIFIED: ReadonlySet<EntityType> = new Set(['enterprise', 'individualBusiness', 'farmerCooperative']);

const fenToYuan = (fen: number | null): number | null => (fen === null ? null : Number(fen) / 100);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Yuan with at most two decimals, judged on the number's own decimal form so 0.1 + 0.2 style noise is refused. */
function yuanToFen(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_AMOUNT_YUAN) return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(String(value))) return undefined;
  return Math.round(value * 100);
}

/** The first instant after the given Shanghai calendar day. */
function endOfShanghaiDay(date: string): string {
  return new Date((toDayNumber(date) + 1) * MS_PER_DAY - SHANGHAI_OFFSET_MS).toISOString();
}

/** The Shanghai calendar day an authorisation last held, from its end instant. */
function lastDayBefore(instant: string): string {
  return shanghaiDate(new Date(new Date(instant).getTime() - 1));
}

function addYears(date: string, years: number): string {
  const year = Number(date.slice(0, 4)) + years;
  const monthDay = date.slice(5);
  // 29 February plus whole years lands on 28 February when the target year is not a leap year.
  const candidate = `${year}-${monthDay}`;
  return isIsoDate(candidate) ? candidate : `${year}-02-28`;
}

function parseScopes(json: string): AgentScope[] {
  const parsed = JSON.parse(json) as unknown;
  return Array.isArray(parsed) ? AGENT_SCOPES.filter((scope) => parsed.includes(scope)) : [];
}

function parseQualifications(json: string | null): string[] {
  if (!json) return [];
  const parsed = JSON.parse(json) as unknown;
  return Array.isArray(parsed) ? parsed.filter((q): q is string => typeof q === 'string') : [];
}

/**
 * Enterprises (legal persons) on the platform: opened by their legal representative after the
 * enterprise registry confirms who that is, with the profile the policy zone matches against, and
 * the agents the legal representative authorises. Every capability that acts for an enterprise
 * asks `authorize` first. Knows nothing of HTTP.
 */
export class EnterpriseService {
  readonly store: EnterpriseStore;

  constructor(
    private readonly platform: Platform,
    private readonly identity: IdentityService,
    readonly registry: EnterpriseRegistry,
  ) {
    this.store = new EnterpriseStore(platform.db);
  }

  private nowIso(): string {
    return this.platform.clock.now().toISOString();
  }

  private today(): string {
    return shanghaiDate(this.platform.clock.now());
  }

  private async personOf(principal: SessionPrincipal): Promise<Person> {
    if (!principal.personId) throw forbidden('personOnly');
    const person = await this.identity.personById(principal.personId);
    if (!person) throw forbidden('personOnly');
    return person;
  }

  // Opening

  /**
   * Opens an enterprise for the signed-in person. The USCC must be valid and known to the
   * enterprise registry, and the registry's legal representative must be this person (same ID
   * number, compared by keyed hash, and same name). The profile is copied from the registry.
   * An enterprise opens once; a refusal writes nothing but an audit entry.
   */
  async openEnterprise(principal: SessionPrincipal, input: { uscc: string }): Promise<EnterpriseView> {
    const code = validateUscc(input.uscc);
    if (!code.valid) throw fieldInvalid('invalidUscc', '/uscc', `enterprise.uscc.${code.reason}` as MessageKey);
    const uscc = code.normalized;
    const person = await this.personOf(principal);
    if (person.realNameLevel < 2) throw forbidden('realNameLevelRequired', 'enterprise.realNameLevelRequired');

    let answer: RegistryLookup | undefined;
    try {
      answer = await this.registry.lookup(uscc, this.identity.decryptIdNumber(person));
    } catch {
      throw new AppError(503, 'enterpriseRegistryUnavailable', 'error.unavailable.title', 'enterprise.registry.unavailable');
    }
    if (!answer) throw this.unprocessable('enterpriseNotRegistered', 'enterprise.registry.notFound');
    const registered = answer.enterprise;
    if (registered.status !== 'active') throw this.unprocessable('enterpriseInactive', 'enterprise.registry.inactive');

    const refusal = !answer.idNumberIsLegalRepresentative
      ? ({ code: 'notLegalRepresentative', key: 'enterprise.notLegalRepresentative' } as const)
      : registered.legalRepresentativeName.trim() !== person.name
        ? ({ code: 'legalRepNameMismatch', key: 'enterprise.legalRepNameMismatch' } as const)
        : undefined;
    if (refusal) {
      await this.platform.audit.record({
        action: 'enterprise.opened',
        actor: actorOf(principal),
        subjectPersonId: person.id,
        outcome: 'denied',
        detail: { uscc, reason: refusal.code },
      });
      throw forbidden(refusal.code, refusal.key);
    }

    const entityType = (registered.entityType && ENTITY_TYPES.includes(registered.entityType) ? registered.entityType : undefined) ?? entityTypeFromUscc(uscc);
    if (!entityType) throw this.unprocessable('entityTypeUnsupported', 'enterprise.entityTypeUnsupported');

    // Checked after the registry, so that only the legal representative learns it is already open.
    if (await this.store.byUscc(uscc)) throw conflict('enterpriseAlreadyOpened', 'enterprise.alreadyOpened', {}, [{ field: '/uscc', message: 'enterprise.alreadyOpened' }]);

    const nowIso = this.nowIso();
    const enterprise: EnterpriseRow = {
      id: newId(),
      uscc,
      name: registered.name,
      regionCode: registered.regionCode,
      entityType,
      ...this.profileFromRegistry(registered),
      legalRepPersonId: person.id,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
    try {
      await this.store.transaction(async (tx) => {
        await this.store.insert(tx, enterprise);
        await this.platform.audit.record(
          { action: 'enterprise.opened', actor: actorOf(principal), subjectPersonId: person.id, subjectEnterpriseId: enterprise.id, detail: { uscc } },
          tx,
        );
      });
    } catch (error) {
      // Two openings racing: the unique index on the USCC decides.
      if (await this.store.byUscc(uscc)) throw conflict('enterpriseAlreadyOpened', 'enterprise.alreadyOpened');
      throw error;
    }
    return this.view({ enterprise, role: 'legalRepresentative', scopes: [...AGENT_SCOPES], agencyExpiresAt: null }, person.name);
  }

  private unprocessable(code: string, key: MessageKey): AppError {
    return new AppError(422, code, 'error.validation.title', key, {}, [{ field: '/uscc', message: key }]);
  }

  /** The registry's optional figures, kept only where they are well-formed (a remote registry is not trusted blindly). */
  private profileFromRegistry(registered: RegisteredEnterprise) {
    const count = (value: unknown) => (isCount(value) ? value : null);
    return {
      industryCode: registered.industryCode && isKnownIndustryClass(registered.industryCode) ? registered.industryCode : null,
      establishedOn: isIsoDate(registered.establishedOn) ? registered.establishedOn : null,
      employees: count(registered.employees),
      insuredEmployees: count(registered.insuredEmployees),
      operatingRevenueFen: count(registered.operatingRevenueFen),
      totalAssetsFen: count(registered.totalAssetsFen),
      taxpayerType: registered.taxpayerType && TAXPAYER_TYPES.includes(registered.taxpayerType) ? registered.taxpayerType : null,
      taxCreditRating: registered.taxCreditRating && TAX_CREDIT_RATINGS.includes(registered.taxCreditRating) ? registered.taxCreditRating : null,
      qualifications: JSON.stringify(
        (registered.qualifications ?? []).filter((q) => typeof q === 'string' && q.trim() && q.length <= MAX_QUALIFICATION_LENGTH).slice(0, MAX_QUALIFICATIONS),
      ),
    };
  }

  // Reading

  /**
   * Enterprises the signed-in person may act for: those she represents legally and those she is
   * an agent of right now (not revoked, not expired on the platform clock), with her role and scopes.
   */
  async myEnterprises(principal: SessionPrincipal): Promise<MyEnterprise[]> {
    if (!principal.personId) return [];
    const represented = await this.store.representedBy(principal.personId);
    const agencies = await this.store.liveAgenciesOf(principal.personId, this.nowIso());
    const mine: MyEnterprise[] = represented.map((e) => ({
      id: e.id,
      uscc: e.uscc,
      name: e.name,
      entityType: e.entityType,
      regionCode: e.regionCode,
      role: 'legalRepresentative',
      scopes: [...AGENT_SCOPES],
      agencyExpiresAt: null,
    }));
    for (const agency of agencies) {
      if (mine.some((m) => m.id === agency.id)) continue;
      mine.push({
        id: agency.id,
        uscc: agency.uscc,
        name: agency.name,
        entityType: agency.entityType,
        regionCode: agency.regionCode,
        role: 'agent',
        scopes: parseScopes(agency.agentScopes),
        agencyExpiresAt: agency.agentExpiresAt,
      });
    }
    return mine;
  }

  /**
   * The enterprise profile with its derived size class, for its legal representative or a live
   * agent (any scope). Anyone else gets 404, so the platform does not reveal which enterprises are open.
   */
  async getEnterprise(principal: SessionPrincipal, enterpriseId: string): Promise<EnterpriseView> {
    return this.view(await this.authorize(principal, enterpriseId));
  }

  /**
   * The one check every capability makes before acting for an enterprise. The legal
   * representative holds every scope; an agent needs a live (not revoked, not expired) authorisation
   * that includes `scope` (any scope when omitted). No relation at all gives 404; a former agent
   * (revoked or expired) and an agent without the scope get 403 with the reason.
   */
  async authorize(principal: SessionPrincipal, enterpriseId: string, scope?: AgentScope): Promise<EnterpriseAccess> {
    const personId = principal.personId;
    const enterprise = personId ? await this.store.byId(enterpriseId) : undefined;
    if (!personId || !enterprise) throw notFound('enterpriseNotFound', 'enterprise.notFound');
    if (enterprise.legalRepPersonId === personId) {
      return { enterprise, role: 'legalRepresentative', scopes: [...AGENT_SCOPES], agencyExpiresAt: null };
    }
    const nowIso = this.nowIso();
    const agencies = await this.store.agenciesOf(enterpriseId, personId);
    const live = agencies.find((a) => !a.revokedAt && a.expiresAt > nowIso);
    if (!live) {
      const latest = agencies.at(-1);
      if (!latest) throw notFound('enterpriseNotFound', 'enterprise.notFound');
      if (latest.revokedAt) throw forbidden('agencyRevoked', 'enterprise.agency.revoked');
      throw forbidden('agencyExpired', 'enterprise.agency.expired', { date: lastDayBefore(latest.expiresAt) });
    }
    const scopes = parseScopes(live.scopes);
    if (scope && !scopes.includes(scope)) throw forbidden('agencyScopeRequired', 'enterprise.scopeRequired', { scope: `{enterprise.scope.${scope}}` });
    return { enterprise, role: 'agent', scopes, agencyExpiresAt: live.expiresAt };
  }

  private async view(access: EnterpriseAccess, legalRepresentativeName?: string): Promise<EnterpriseView> {
    const e = access.enterprise;
    const name = legalRepresentativeName ?? (await this.identity.personById(e.legalRepPersonId))?.name ?? '';
    return {
      id: e.id,
      uscc: e.uscc,
      name: e.name,
      regionCode: e.regionCode,
      regionName: getRegion(e.regionCode)?.name ?? null,
      industryCode: e.industryCode,
      industryName: e.industryCode ? (getIndustry(e.industryCode)?.name ?? null) : null,
      industrySection: e.industryCode ? (industrySection(e.industryCode) ?? null) : null,
      entityType: e.entityType,
      establishedOn: e.establishedOn,
      employees: e.employees,
      insuredEmployees: e.insuredEmployees,
      operatingRevenue: fenToYuan(e.operatingRevenueFen),
      totalAssets: fenToYuan(e.totalAssetsFen),
      taxpayerType: e.taxpayerType,
      taxCreditRating: e.taxCreditRating,
      qualifications: parseQualifications(e.qualifications),
      ...this.sizeOf(e),
      legalRepresentativeName: name,
      role: access.role,
      scopes: access.scopes,
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    };
  }

  /** The size class is derived on every read, so it follows the profile and never goes stale. */
  private sizeOf(e: EnterpriseRow): Pick<EnterpriseView, 'sizeClass' | 'sizeClassStatus' | 'sizeClassMissing'> {
    if (!SIZE_CLASSIFIED.has(e.entityType)) return { sizeClass: null, sizeClassStatus: 'notCovered', sizeClassMissing: [] };
    if (!e.industryCode) return { sizeClass: null, sizeClassStatus: 'insufficientData', sizeClassMissing: ['industry'] };
    const result = classifyEnterpriseSize({
      industry: e.industryCode,
      employees: e.employees ?? undefined,
      operatingRevenue: fenToYuan(e.operatingRevenueFen) ?? undefined,
      totalAssets: fenToYuan(e.totalAssetsFen) ?? undefined,
    });
    switch (result.status) {
      case 'classified':
        return { sizeClass: result.sizeClass, sizeClassStatus: 'classified', sizeClassMissing: [] };
      case 'insufficientData':
        return { sizeClass: null, sizeClassStatus: 'insufficientData', sizeClassMissing: result.missingIndicators };
      case 'notCovered':
        return { sizeClass: null, sizeClassStatus: 'notCovered', sizeClassMissing: [] };
      case 'invalidInput':
        return { sizeClass: null, sizeClassStatus: 'insufficientData', sizeClassMissing: [result.indicator] };
    }
  }

  // The profile

  /**
   * Updates the part of the profile the enterprise maintains itself (registry facts such as name,
   * USCC, entity type and establishment date stay as registered). Needs the legal representative
   * or an agent with scope 'profile'. `null` clears a value; every wrong field is named at once.
   */
  async updateProfile(principal: SessionPrincipal, enterpriseId: string, patch: ProfilePatch): Promise<EnterpriseView> {
    const access = await this.authorize(principal, enterpriseId, 'profile');
    const changes = this.validatePatch(patch);
    const fields = Object.keys(changes);
    if (fields.length === 0) return this.view(access);
    const nowIso = this.nowIso();
    await this.store.transaction(async (tx) => {
      await this.store.update(tx, enterpriseId, { ...changes, updatedAt: nowIso });
      await this.platform.audit.record(
        { action: 'enterprise.profileUpdated', actor: actorOf(principal), subjectEnterpriseId: enterpriseId, detail: { fields } },
        tx,
      );
    });
    const enterprise = await this.store.byId(enterpriseId);
    return this.view({ ...access, enterprise: enterprise! });
  }

  private validatePatch(patch: ProfilePatch): Partial<EnterpriseRow> {
    const problems: FieldProblem[] = [];
    const changes: Partial<EnterpriseRow> = {};
    const has = (key: keyof ProfilePatch) => Object.prototype.hasOwnProperty.call(patch, key) && patch[key] !== undefined;

    if (has('regionCode')) {
      if (typeof patch.regionCode === 'string' && isKnownRegion(patch.regionCode)) changes.regionCode = patch.regionCode;
      else problems.push({ field: '/regionCode', message: 'enterprise.region.unknown' });
    }
    if (has('industryCode')) {
      if (patch.industryCode === null) changes.industryCode = null;
      else if (typeof patch.industryCode === 'string' && isKnownIndustryClass(patch.industryCode)) changes.industryCode = patch.industryCode;
      else problems.push({ field: '/industryCode', message: 'enterprise.industry.unknown' });
    }
    for (const key of ['employees', 'insuredEmployees'] as const) {
      if (!has(key)) continue;
      const value = patch[key];
      if (value === null || isCount(value)) changes[key] = value ?? null;
      else problems.push({ field: `/${key}`, message: 'enterprise.count.invalid' });
    }
    for (const [key, column] of [
      ['operatingRevenue', 'operatingRevenueFen'],
      ['totalAssets', 'totalAssetsFen'],
    ] as const) {
      if (!has(key)) continue;
      const value = patch[key];
      const fen = value === null ? null : yuanToFen(value);
      if (fen === undefined) problems.push({ field: `/${key}`, message: 'enterprise.amount.invalid' });
      else changes[column] = fen;
    }
    if (has('taxpayerType')) {
      const value = patch.taxpayerType;
      if (value === null || TAXPAYER_TYPES.includes(value as TaxpayerType)) changes.taxpayerType = value ?? null;
      else problems.push({ field: '/taxpayerType', message: 'field.enum' });
    }
    if (has('taxCreditRating')) {
      const value = patch.taxCreditRating;
      if (value === null || TAX_CREDIT_RATINGS.includes(value as TaxCreditRating)) changes.taxCreditRating = value ?? null;
      else problems.push({ field: '/taxCreditRating', message: 'field.enum' });
    }
    if (has('qualifications')) {
      const list = patch.qualifications;
      if (!Array.isArray(list)) {
        problems.push({ field: '/qualifications', message: 'field.type', params: { expected: '{type.array}' } });
      } else {
        const cleaned = [...new Set(list.map((q) => (typeof q === 'string' ? q.trim() : '')))];
        const bad = cleaned.findIndex((q) => q.length === 0 || q.length > MAX_QUALIFICATION_LENGTH);
        if (bad >= 0) {
          const original = list.findIndex((q) => typeof q !== 'string' || q.trim() === cleaned[bad]);
          problems.push({ field: `/qualifications/${Math.max(original, 0)}`, message: 'enterprise.qualifications.invalid', params: { limit: MAX_QUALIFICATION_LENGTH } });
        } else if (cleaned.length > MAX_QUALIFICATIONS) {
          problems.push({ field: '/qualifications', message: 'enterprise.qualifications.tooMany', params: { limit: MAX_QUALIFICATIONS } });
        } else {
          changes.qualifications = JSON.stringify(cleaned);
        }
      }
    }
    if (problems.length) throw invalid('invalidProfile', problems);
    return changes;
  }

  /**
   * The profile as facts for policy eligibility (the policy zone's matching reads this).
   * Missing values are omitted, not zero; amounts are yuan; `ageMonths` counts on the platform clock.
   */
  async factsFor(enterpriseId: string): Promise<EnterpriseFacts> {
    const e = await this.store.byId(enterpriseId);
    if (!e) throw notFound('enterpriseNotFound', 'enterprise.notFound');
    const facts: EnterpriseFacts = { region: e.regionCode, entityType: e.entityType, qualifications: parseQualifications(e.qualifications) };
    if (e.industryCode) {
      facts.industry = e.industryCode;
      const section = industrySection(e.industryCode);
      if (section) facts.industrySection = section;
    }
    const size = this.sizeOf(e);
    if (size.sizeClass) facts.sizeClass = size.sizeClass;
    if (e.establishedOn) {
      facts.establishedOn = e.establishedOn;
      const today = this.today();
      if (e.establishedOn <= today) facts.ageMonths = monthsBetween(e.establishedOn, today);
    }
    if (e.employees !== null) facts.employees = e.employees;
    if (e.insuredEmployees !== null) facts.insuredEmployees = e.insuredEmployees;
    const revenue = fenToYuan(e.operatingRevenueFen);
    if (revenue !== null) facts.operatingRevenue = revenue;
    const assets = fenToYuan(e.totalAssetsFen);
    if (assets !== null) facts.totalAssets = assets;
    if (e.taxpayerType) facts.taxpayerType = e.taxpayerType;
    if (e.taxCreditRating) facts.taxCreditRating = e.taxCreditRating;
    return facts;
  }

  /**
   * The registration record as the registry keeps it (name, code, type, place, date), for reuse in
   * applications instead of asking the enterprise for a copy of its licence.
   */
  async registrationRecord(enterpriseId: string): Promise<Record<string, string | null> | null> {
    const e = await this.store.byId(enterpriseId);
    if (!e) return null;
    return { name: e.name, uscc: e.uscc, entityType: e.entityType, regionCode: e.regionCode, establishedOn: e.establishedOn, industryCode: e.industryCode };
  }

  // Agents

  /**
   * The legal representative authorises a real-name-verified person (level 2 or more, name and ID
   * number matching) to act for the enterprise with the given scopes until the end of `expiresOn`
   * (Asia/Shanghai), at most MAX_AGENT_YEARS ahead. One live authorisation per person: to change
   * it, revoke and grant again.
   */
  async grantAgent(principal: SessionPrincipal, enterpriseId: string, input: GrantAgentBody): Promise<AgentView> {
    const access = await this.requireLegalRepresentative(principal, enterpriseId);
    const today = this.today();
    const problems: FieldProblem[] = [];

    const id = validateResidentId(typeof input.idNumber === 'string' ? input.idNumber : '', { today });
    if (!id.valid) problems.push({ field: '/idNumber', message: `identity.idNumber.${id.reason}` as MessageKey });
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) problems.push({ field: '/name', message: 'field.required' });

    const requested = Array.isArray(input.scopes) ? input.scopes : [];
    const scopes = AGENT_SCOPES.filter((scope) => requested.includes(scope));
    if (requested.some((scope) => !(AGENT_SCOPES as readonly string[]).includes(scope))) problems.push({ field: '/scopes', message: 'field.enum' });
    else if (scopes.length === 0) problems.push({ field: '/scopes', message: 'enterprise.agent.scopesRequired' });

    const latest = addYears(today, MAX_AGENT_YEARS);
    if (!isIsoDate(input.expiresOn)) problems.push({ field: '/expiresOn', message: 'enterprise.agent.expiresOn.invalid' });
    else if (input.expiresOn <= today) problems.push({ field: '/expiresOn', message: 'enterprise.agent.expiresOn.notFuture' });
    else if (input.expiresOn > latest) problems.push({ field: '/expiresOn', message: 'enterprise.agent.expiresOn.tooFar', params: { years: MAX_AGENT_YEARS, date: latest } });
    if (problems.length) throw invalid('invalidAgentGrant', problems);

    const agent = await this.identity.findVerifiedPerson(name, input.idNumber);
    if (!agent) {
      throw new AppError(422, 'agentNotVerified', 'error.validation.title', 'enterprise.agent.notVerified', {}, [{ field: '/idNumber', message: 'enterprise.agent.notVerified' }]);
    }
    if (agent.realNameLevel < 2) {
      throw new AppError(422, 'agentRealNameLevelTooLow', 'error.validation.title', 'enterprise.agent.realNameLevelTooLow', {}, [
        { field: '/idNumber', message: 'enterprise.agent.realNameLevelTooLow' },
      ]);
    }
    if (agent.id === access.enterprise.legalRepPersonId) {
      throw new AppError(422, 'agentIsLegalRepresentative', 'error.validation.title', 'enterprise.agent.isLegalRepresentative', {}, [
        { field: '/idNumber', message: 'enterprise.agent.isLegalRepresentative' },
      ]);
    }
    const nowIso = this.nowIso();
    const row: AgentRow = {
      id: newId(),
      enterpriseId,
      personId: agent.id,
      scopes: JSON.stringify(scopes),
      expiresAt: endOfShanghaiDay(input.expiresOn),
      grantedByPersonId: access.enterprise.legalRepPersonId,
      grantedAt: nowIso,
      revokedAt: null,
    };
    await this.store.transaction(async (tx) => {
      // Checked under a lock, so two grants sent at once cannot both create a live authorisation.
      await this.platform.dialect.lockName(tx, `enterprise-agent:${enterpriseId}:${agent.id}`);
      const existing = await this.store.agenciesOf(enterpriseId, agent.id, tx);
      if (existing.some((a) => !a.revokedAt && a.expiresAt > nowIso)) throw conflict('agentAlreadyGranted', 'enterprise.agent.alreadyGranted');
      await this.store.insertAgent(tx, row);
      await this.platform.audit.record(
        {
          action: 'enterprise.agentGranted',
          actor: actorOf(principal),
          subjectEnterpriseId: enterpriseId,
          subjectPersonId: agent.id,
          detail: { agentId: row.id, scopes, expiresAt: row.expiresAt },
        },
        tx,
      );
    });
    return this.agentView(row, agent);
  }

  /**
   * Authorisations of an enterprise, newest first, with their status. The legal representative
   * sees them all; an agent sees only their own (to know their scopes and expiry), and a former
   * agent is refused like everyone else by `authorize`.
   */
  async listAgents(principal: SessionPrincipal, enterpriseId: string): Promise<AgentView[]> {
    const access = await this.authorize(principal, enterpriseId);
    const rows = access.role === 'legalRepresentative' ? await this.store.agentsOf(enterpriseId) : await this.store.agenciesOf(enterpriseId, principal.personId!);
    const people = new Map((await this.identity.personsByIds(rows.map((row) => row.personId))).map((person) => [person.id, person]));
    const views: AgentView[] = [];
    for (const row of access.role === 'legalRepresentative' ? rows : rows.slice().reverse()) {
      const person = people.get(row.personId);
      if (person) views.push(this.agentView(row, person));
    }
    return views;
  }

  /**
   * Who in government looked at or acted on the enterprise's records (staff, administrators,
   * departmental clients), newest first, keyset paged: for its legal representative and live
   * agents, refused to everyone else exactly as `authorize` refuses them. Reads of the enterprise's
   * applications (whose purposes name tracking numbers) are left out for an agent without the
   * `applications` scope, who may not see those applications either.
   */
  async accessLog(principal: SessionPrincipal, enterpriseId: string, page: { before?: string; limit?: number } = {}) {
    const access = await this.authorize(principal, enterpriseId);
    return this.platform.audit.accessesOf(
      { enterpriseId },
      {
        before: page.before,
        limit: page.limit ?? ACCESS_LOG_PAGE,
        withoutApplications: !access.scopes.includes('applications'),
        // Who read or decided on the enterprise's credit is credit information.
        withoutActionsIn: access.scopes.includes('credit') ? [] : ['credit'],
      },
    );
  }

  /** The legal representative ends an authorisation; it stops working at once. Revoking twice changes nothing. */
  async revokeAgent(principal: SessionPrincipal, enterpriseId: string, agentId: string): Promise<void> {
    await this.requireLegalRepresentative(principal, enterpriseId);
    const agent = await this.store.agentById(enterpriseId, agentId);
    if (!agent) throw notFound('agentNotFound', 'enterprise.agent.notFound');
    const nowIso = this.nowIso();
    await this.store.transaction(async (tx) => {
      if (!(await this.store.revokeAgent(tx, agent.id, nowIso))) return;
      await this.platform.audit.record(
        { action: 'enterprise.agentRevoked', actor: actorOf(principal), subjectEnterpriseId: enterpriseId, subjectPersonId: agent.personId, detail: { agentId: agent.id } },
        tx,
      );
    });
  }

  private async requireLegalRepresentative(principal: SessionPrincipal, enterpriseId: string): Promise<EnterpriseAccess> {
    const access = await this.authorize(principal, enterpriseId);
    if (access.role !== 'legalRepresentative') throw forbidden('legalRepresentativeOnly', 'enterprise.legalRepresentativeOnly');
    return access;
  }

  private agentView(row: AgentRow, person: Person): AgentView {
    const nowIso = this.nowIso();
    return {
      id: row.id,
      name: person.name,
      idNumberMasked: maskIdNumber(this.identity.decryptIdNumber(person)),
      scopes: parseScopes(row.scopes),
      expiresOn: lastDayBefore(row.expiresAt),
      expiresAt: row.expiresAt,
      grantedAt: row.grantedAt,
      revokedAt: row.revokedAt,
      status: row.revokedAt ? 'revoked' : row.expiresAt <= nowIso ? 'expired' : 'active',
    };
  }
}
