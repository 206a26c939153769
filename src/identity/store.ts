import { preparedQuery, type Db, type Tx } from '../core/db.js';
import type { Role } from '../core/auth.js';

export interface DepartmentsTable {
  id: string;
  code: string;
  nameZh: string;
  nameEn: string;
  level: 'national' | 'provincial' | 'city' | 'county';
  regionCode: string;
  createdAt: string;
}

export interface PersonsTable {
  id: string;
  name: string;
  idNumberEnc: string;
  idNumberHash: string;
  phoneEnc: string | null;
  phoneHash: string | null;
  birthDate: string;
  sex: 'male' | 'female';
  regionCode: string;
  /** 1: name and ID matched the population registry; 2: and phone confirmed; 3: and seen in person or by face. */
  realNameLevel: number;
  createdAt: string;
  updatedAt: string;
}

export interface StaffTable {
  id: string;
  name: string;
  departmentId: string | null;
  regionCode: string;
  roles: string;
  createdAt: string;
}

export interface AccountsTable {
  id: string;
  personId: string | null;
  staffId: string | null;
  username: string | null;
  passwordHash: string;
  totpSecretEnc: string | null;
  totpEnrolledAt: string | null;
  totpLastStep: number | null;
  status: 'active' | 'disabled';
  createdAt: string;
}

export interface SessionsTable {
  id: string;
  accountId: string;
  csrfToken: string;
  mfaPassed: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
  userAgent: string | null;
  ipHint: string | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  lastFailureAt: string;
  blockedUntil: string | null;
}

export interface PhoneChallengesTable {
  id: string;
  purpose: 'register' | 'login';
  phoneHash: string;
  phoneEnc: string;
  personId: string | null;
  codeHash: string;
  attempts: number;
  createdAt: string;
  expiresAt: string;
  consumedAt: string | null;
}

export interface RegistryResidentsTable {
  idNumberHash: string;
  name: string;
  status: 'active' | 'deceased' | 'cancelled';
}

declare module '../core/db.js' {
  interface Tables {
    departments: DepartmentsTable;
    persons: PersonsTable;
    staff: StaffTable;
    accounts: AccountsTable;
    sessions: SessionsTable;
    loginThrottle: LoginThrottleTable;
    phoneChallenges: PhoneChallengesTable;
    registryResidents: RegistryResidentsTable;
  }
}

export type Person = PersonsTable;
export type Account = AccountsTable;
export type Session = SessionsTable;
export type Department = DepartmentsTable;

/** What a valid session resolves to in one query: the session, its account, person and staff. */
export interface SessionView {
  session: Session;
  account: Account;
  personName: string | null;
  staff: { id: string; name: string; departmentId: string | null; regionCode: string; roles: Role[] } | null;
}

/** The SQL of the identity capability; nothing outside this file touches these tables. */
// The verification API and login look persons up by ID hash thousands of times a second.
const personByIdHashQuery = preparedQuery((db, hash: string) => db.selectFrom('persons').selectAll().where('idNumberHash', '=', hash));

export class IdentityStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async personByIdHash(hash: string, tx: Tx | Db = this.db): Promise<Person | undefined> {
    return (await personByIdHashQuery.execute(tx, hash))[0];
  }

  personByPhoneHash(hash: string) {
    return this.db.selectFrom('persons').selectAll().where('phoneHash', '=', hash).executeTakeFirst();
  }

  personsByIds(ids: string[]) {
    return this.db.selectFrom('persons').selectAll().where('id', 'in', ids).execute();
  }

  personById(id: string, tx: Tx | Db = this.db) {
    return tx.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertPerson(tx: Tx, person: Person, account: Account): Promise<void> {
    await tx.insertInto('persons').values(person).execute();
    await tx.insertInto('accounts').values(account).execute();
  }

  async updatePerson(tx: Tx | Db, id: string, changes: Partial<Omit<Person, 'id'>>): Promise<void> {
    await tx.updateTable('persons').set(changes).where('id', '=', id).execute();
  }

  /** Bulk import (migration from a legacy system, benchmarks): many persons with their accounts in one transaction. */
  async insertPersonsBulk(tx: Tx, persons: Person[], accounts: Account[]): Promise<void> {
    await tx.insertInto('persons').values(persons).execute();
    await tx.insertInto('accounts').values(accounts).execute();
  }

  accountById(id: string) {
    return this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  accountByPersonId(personId: string) {
    return this.db.selectFrom('accounts').selectAll().where('personId', '=', personId).executeTakeFirst();
  }

  accountByUsername(username: string) {
    return this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async updateAccount(id: string, changes: Partial<Omit<Account, 'id'>>, tx: Tx | Db = this.db): Promise<void> {
    await tx.updateTable('accounts').set(changes).where('id', '=', id).execute();
  }

  /** Records a TOTP step as used only if it is newer than the last one: a code works once. */
  async claimTotpStep(accountId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('accounts')
      .set({ totpLastStep: step })
      .where('id', '=', accountId)
      .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertStaff(tx: Tx, staff: StaffTable, account: Account): Promise<void> {
    await tx.insertInto('staff').values(staff).execute();
    await tx.insertInto('accounts').values(account).execute();
  }

  async insertDepartment(department: Department): Promise<void> {
    await this.db.insertInto('departments').values(department).execute();
  }

  /** The staff member's name with their department's, as the audit trail labels them. */
  staffWithDepartment(staffId: string, tx: Tx | Db = this.db) {
    return tx
      .selectFrom('staff')
      .leftJoin('departments', 'departments.id', 'staff.departmentId')
      .select(['staff.name', 'departments.nameZh as departmentName'])
      .where('staff.id', '=', staffId)
      .executeTakeFirst();
  }

  staffById(id: string) {
    return this.db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Staff with an active account in the given departments and/or regions; the caller picks roles
   * from the JSON `roles` list (a handful of rows per department or region).
   */
  staffOf(filter: { departmentIds?: string[]; regionCodes?: string[] }) {
    let query = this.db.selectFrom('staff as s').innerJoin('accounts as a', 'a.staffId', 's.id').selectAll('s').where('a.status', '=', 'active');
    if (filter.departmentIds) query = query.where('s.departmentId', 'in', filter.departmentIds.length ? filter.departmentIds : ['']);
    if (filter.regionCodes) query = query.where('s.regionCode', 'in', filter.regionCodes.length ? filter.regionCodes : ['']);
    return query.orderBy('s.id').execute();
  }

  departmentByCode(code: string) {
    return this.db.selectFrom('departments').selectAll().where('code', '=', code).executeTakeFirst();
  }

  departmentById(id: string) {
    return this.db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Directory entries of these departments (unknown ids left out), for views that name a few of many. */
  departmentsByIds(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('departments').select(['id', 'nameZh', 'nameEn', 'regionCode']).where('id', 'in', [...ids]).execute();
  }

  /** Directory entries of the departments seated at these region codes. */
  departmentsInRegions(regionCodes: readonly string[]) {
    if (regionCodes.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('departments').select(['id', 'nameZh', 'nameEn', 'regionCode']).where('regionCode', 'in', [...regionCodes]).execute();
  }

  listDepartments() {
    return this.db.selectFrom('departments').selectAll().orderBy('regionCode').orderBy('code').execute();
  }

  // Sessions

  async insertSession(session: Session): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async sessionView(id: string): Promise<SessionView | undefined> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.accountId')
      .leftJoin('persons', 'persons.id', 'accounts.personId')
      .leftJoin('staff', 'staff.id', 'accounts.staffId')
      .selectAll('sessions')
      .select([
        'accounts.personId',
        'accounts.staffId',
        'accounts.username',
        'accounts.passwordHash',
        'accounts.totpSecretEnc',
        'accounts.totpEnrolledAt',
        'accounts.totpLastStep',
        'accounts.status',
        'accounts.createdAt as accountCreatedAt',
        'persons.name as personName',
        'staff.name as staffName',
        'staff.departmentId',
        'staff.regionCode as staffRegionCode',
        'staff.roles as staffRoles',
      ])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      session: {
        id: row.id,
        accountId: row.accountId,
        csrfToken: row.csrfToken,
        mfaPassed: row.mfaPassed,
        createdAt: row.createdAt,
        lastSeenAt: row.lastSeenAt,
        expiresAt: row.expiresAt,
        revokedAt: row.revokedAt,
        userAgent: row.userAgent,
        ipHint: row.ipHint,
      },
      account: {
        id: row.accountId,
        personId: row.personId,
        staffId: row.staffId,
        username: row.username,
        passwordHash: row.passwordHash,
        totpSecretEnc: row.totpSecretEnc,
        totpEnrolledAt: row.totpEnrolledAt,
        totpLastStep: row.totpLastStep,
        status: row.status,
        createdAt: row.accountCreatedAt,
      },
      personName: row.personName,
      staff:
        row.staffId && row.staffName
          ? {
              id: row.staffId,
              name: row.staffName,
              departmentId: row.departmentId ?? null,
              regionCode: row.staffRegionCode ?? '',
              roles: JSON.parse(row.staffRoles ?? '[]') as Role[],
            }
          : null,
    };
  }

  async touchSession(id: string, lastSeenAt: string): Promise<void> {
    await this.db.updateTable('sessions').set({ lastSeenAt }).where('id', '=', id).execute();
  }

  async markSessionMfa(id: string): Promise<void> {
    await this.db.updateTable('sessions').set({ mfaPassed: 1 }).where('id', '=', id).execute();
  }

  activeSessions(accountId: string, nowIso: string) {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('revokedAt', 'is', null)
      .where('expiresAt', '>', nowIso)
      .orderBy('createdAt', 'desc')
      .orderBy('id', 'desc')
      .execute();
  }

  async revokeSession(accountId: string, sessionId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('sessions')
      .set({ revokedAt: at })
      .where('id', '=', sessionId)
      .where('accountId', '=', accountId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revokeAllSessions(accountId: string, at: string, exceptSessionId?: string): Promise<number> {
    let query = this.db.updateTable('sessions').set({ revokedAt: at }).where('accountId', '=', accountId).where('revokedAt', 'is', null);
    if (exceptSessionId) query = query.where('id', '!=', exceptSessionId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Housekeeping: sessions ended before `beforeIso`, stale back-off counters and spent codes. */
  async deleteStale(beforeIso: string): Promise<{ sessions: number; throttles: number; challenges: number }> {
    const sessions = await this.db
      .deleteFrom('sessions')
      .where((eb) => eb.or([eb('expiresAt', '<', beforeIso), eb('revokedAt', '<', beforeIso)]))
      .executeTakeFirst();
    const throttles = await this.db
      .deleteFrom('loginThrottle')
      .where('lastFailureAt', '<', beforeIso)
      .where((eb) => eb.or([eb('blockedUntil', 'is', null), eb('blockedUntil', '<', beforeIso)]))
      .executeTakeFirst();
    const challenges = await this.db.deleteFrom('phoneChallenges').where('expiresAt', '<', beforeIso).executeTakeFirst();
    return {
      sessions: Number(sessions.numDeletedRows),
      throttles: Number(throttles.numDeletedRows),
      challenges: Number(challenges.numDeletedRows),
    };
  }

  // Login throttling

  throttle(key: string) {
    return this.db.selectFrom('loginThrottle').selectAll().where('key', '=', key).executeTakeFirst();
  }

  async saveThrottle(row: LoginThrottleTable): Promise<void> {
    await this.db
      .insertInto('loginThrottle')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, lastFailureAt: row.lastFailureAt, blockedUntil: row.blockedUntil }))
      .execute();
  }

  async clearThrottle(key: string): Promise<void> {
    await this.db.deleteFrom('loginThrottle').where('key', '=', key).execute();
  }

  // Phone one-time codes

  async insertChallenge(tx: Tx | Db, challenge: PhoneChallengesTable): Promise<void> {
    await tx.insertInto('phoneChallenges').values(challenge).execute();
  }

  challengeById(id: string) {
    return this.db.selectFrom('phoneChallenges').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async countRecentChallenges(phoneHash: string, sinceIso: string, tx: Tx | Db = this.db): Promise<number> {
    const row = await tx
      .selectFrom('phoneChallenges')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('phoneHash', '=', phoneHash)
      .where('createdAt', '>', sinceIso)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async consumeChallenge(tx: Tx, id: string, at: string): Promise<void> {
    await tx.updateTable('phoneChallenges').set({ consumedAt: at }).where('id', '=', id).execute();
  }

  async updateChallenge(id: string, changes: Partial<PhoneChallengesTable>): Promise<void> {
    await this.db.updateTable('phoneChallenges').set(changes).where('id', '=', id).execute();
  }

  // The embedded population registry

  registryResident(idNumberHash: string) {
    return this.db.selectFrom('registryResidents').selectAll().where('idNumberHash', '=', idNumberHash).executeTakeFirst();
  }

  async insertRegistryResidents(rows: RegistryResidentsTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('registryResidents')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.column('idNumberHash').doNothing())
        .execute();
    }
  }
}
