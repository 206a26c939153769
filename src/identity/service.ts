import { createHash, createHmac, timingSafeEqual, randomInt } from 'node:crypto';
import argon2 from 'argon2';
import * as OTPAuth from 'otpauth';
import type { AuditActor } from '../core/audit.js';
import type { Role, SessionPrincipal } from '../core/auth.js';
import { AppError, conflict, fieldInvalid, forbidden, notFound, tooManyRequests, unauthorized } from '../core/errors.js';
import { newId, newToken } from '../core/ids.js';
import { translate, type Locale, type MessageKey } from '../core/i18n.js';
import { maskIdNumber, maskPhone } from '../core/personal-data.js';
import type { Platform } from '../core/platform.js';
import { fromBool, toBool, type Tx } from '../core/db.js';
import { Outbox } from '../notifications/outbox.js';
import { validateResidentId } from '../reference/resident-id.js';
import { shanghaiDate } from '../reference/calendar.js';
import type { PopulationRegistry } from './registry.js';
import { IdentityStore, type Account, type Person, type SessionView } from './store.js';
import './messages.js';

export const SESSION_COOKIE = 'tb_session';
const OTP_TTL_MINUTES = 5;
const OTP_MAX_ATTEMPTS = 5;
const OTP_MAX_PER_HOUR = 5;
/** After this many failures a login is slowed down, doubling each time, up to the lock-out. */
const FREE_FAILURES = 3;
const LOCKOUT_FAILURES = 10;
const LOCKOUT_SECONDS = 15 * 60;
const THROTTLE_RESET_MS = 24 * 3_600_000;
const TOUCH_INTERVAL_MS = 60_000;

const PHONE_PATTERN = /^1[3-9]\d{9}$/;
const COMMON_PASSWORDS = new Set([
  '1234567890', '12345678910', 'qwertyuiop', 'password123', 'password1234', 'a123456789', '1qaz2wsx3edc',
  'qwerty123456', 'abc1234567', 'iloveyou123', '0123456789', '1111111111', '5201314520', 'woaini1314',
]);

/**
 * argon2id with OWASP's first recommended setting (19 MiB, two passes, one lane): about 13 ms a
 * hash here. The library's own default (64 MiB, three passes, four lanes) costs six times the time
 * and memory for each login, which a national login service pays millions of times a day.
 */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface RegistrationInput {
  name: string;
  idNumber: string;
  phone: string;
  password: string;
}

export interface LoginInput {
  login: string;
  password: string;
  userAgent?: string;
  ip?: string;
}

export interface NewSession {
  token: string;
  sessionId: string;
  csrfToken: string;
  mfaRequired: boolean;
  mfaEnrollmentRequired: boolean;
  expiresAt: string;
}

export interface AccountProfile {
  accountId: string;
  kind: 'person' | 'staff';
  name: string;
  idNumberMasked: string | null;
  phoneMasked: string | null;
  birthDate: string | null;
  sex: 'male' | 'female' | null;
  regionCode: string | null;
  realNameLevel: number | null;
  roles: Role[];
  departmentId: string | null;
  mfaEnrolled: boolean;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

export function sessionIdFromToken(token: string): string {
  return sha256(`session\u0000${token}`);
}

/** Normalises what a person types as a login: ID numbers upper-case, phone numbers as digits. */
function normaliseLogin(login: string): string {
  return login.trim().replace(/\s+/g, '').toUpperCase();
}

function idNumberProblem(value: string, today: string): { normalized: string; birthDate: string; sex: 'male' | 'female'; region: string } {
  const result = validateResidentId(value, { today });
  if (!result.valid) throw fieldInvalid('invalidIdNumber', '/idNumber', `identity.idNumber.${result.reason}` as MessageKey);
  return { normalized: result.normalized, birthDate: result.info.birthDate, sex: result.info.sex, region: result.info.region };
}

export function checkPassword(password: string, identity: string[]): void {
  if (password.length < 10) throw fieldInvalid('weakPassword', '/password', 'identity.password.tooShort');
  if (password.length > 128) throw fieldInvalid('weakPassword', '/password', 'identity.password.tooLong');
  const lower = password.toLowerCase();
  if (identity.some((part) => part.length >= 6 && lower.includes(part.toLowerCase()))) {
    throw fieldInvalid('weakPassword', '/password', 'identity.password.containsIdentity');
  }
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) throw fieldInvalid('weakPassword', '/password', 'identity.password.tooCommon');
}

/**
 * Real-name identity: registration against the population registry, phone confirmation, password
 * and TOTP login with back-off, and server-side sessions. Knows nothing of HTTP.
 */
export class IdentityService {
  readonly store: IdentityStore;
  readonly outbox: Outbox;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly platform: Platform,
    readonly registry: PopulationRegistry,
    outbox: Outbox,
  ) {
    this.store = new IdentityStore(platform.db);
    this.outbox = outbox;
    platform.audit.labelStaffWith(async (staffId, tx) => {
      const staff = await this.store.staffWithDepartment(staffId, tx);
      return staff ? staffLabel(staff.departmentName, staff.name) : undefined;
    });
  }

  private now(): Date {
    return this.platform.clock.now();
  }

  private hash(kind: 'resident-id' | 'phone', value: string): string {
    return this.platform.vault.lookupHash(kind, value);
  }

  private codeHash(challengeId: string, code: string): string {
    return createHmac('sha256', this.platform.config.secrets.sessionSecret).update(`otp\u0000${challengeId}\u0000${code}`).digest('base64url');
  }

  // Registration

  /**
   * Step one: name and ID number must match the population registry, then the account is created
   * at real-name level 1 and a code goes to the phone. A failed check creates nothing.
   */
  async register(input: RegistrationInput, locale: Locale): Promise<{ personId: string; challengeId: string }> {
    const name = input.name.trim();
    if (!/^[\p{Script=Han}·•\p{L} ]{2,40}$/u.test(name)) throw fieldInvalid('invalidName', '/name', 'identity.name.invalid');
    const id = idNumberProblem(input.idNumber, shanghaiDate(this.now()));
    const phone = input.phone.trim();
    if (!PHONE_PATTERN.test(phone)) throw fieldInvalid('invalidPhone', '/phone', 'identity.phone.invalid');
    checkPassword(input.password, [id.normalized, phone]);

    const idHash = this.hash('resident-id', id.normalized);
    if (await this.store.personByIdHash(idHash)) throw conflict('alreadyRegistered', 'identity.alreadyRegistered', {}, [{ field: '/idNumber', message: 'identity.alreadyRegistered' }]);

    let answer;
    try {
      answer = await this.registry.check(name, id.normalized);
    } catch {
      throw new AppError(503, 'registryUnavailable', 'error.unavailable.title', 'identity.realName.unavailable');
    }
    const subject = { type: 'anonymous' as const };
    if (answer !== 'match') {
      await this.platform.audit.record({ action: 'identity.register', actor: subject, outcome: 'failure', detail: { reason: answer } });
      const field = answer === 'nameMismatch' ? '/name' : '/idNumber';
      throw new AppError(422, `realName.${answer}`, 'error.validation.title', `identity.realName.${answer}`, {}, [
        { field, message: `identity.realName.${answer}` },
      ]);
    }

    const passwordHash = await argon2.hash(input.password, ARGON2_OPTIONS);
    const nowIso = this.now().toISOString();
    const person = this.newPerson(name, id, null, 1, nowIso);
    const account = personAccount(person.id, passwordHash, nowIso);
    let challengeId = '';
    try {
      await this.store.transaction(async (tx) => {
        await this.store.insertPerson(tx, person, account);
        challengeId = await this.createChallenge(tx, 'register', phone, person.id, locale);
        await this.platform.audit.record(
          { action: 'identity.register', actor: { type: 'person', id: person.id, label: name }, subjectPersonId: person.id, detail: { realNameLevel: 1 } },
          tx,
        );
      });
    } catch (error) {
      // Two registrations of one ID number racing: the unique index decides, the loser is told plainly.
      if (await this.store.personByIdHash(idHash)) throw conflict('alreadyRegistered', 'identity.alreadyRegistered');
      throw error;
    }
    await this.outbox.deliverPending();
    return { personId: person.id, challengeId };
  }

  private async createChallenge(tx: Parameters<IdentityStore['insertChallenge']>[0], purpose: 'register' | 'login', phone: string, personId: string | null, locale: Locale): Promise<string> {
    const phoneHash = this.hash('phone', phone);
    const since = new Date(this.now().getTime() - 3_600_000).toISOString();
    if ((await this.store.countRecentChallenges(phoneHash, since, tx)) >= OTP_MAX_PER_HOUR) {
      throw tooManyRequests('tooManyCodes', 3600, 'identity.challenge.tooMany');
    }
    const id = newId();
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.store.insertChallenge(tx, {
      id,
      purpose,
      phoneHash,
      phoneEnc: this.platform.vault.encrypt(phone),
      personId,
      codeHash: this.codeHash(id, code),
      attempts: 0,
      createdAt: this.now().toISOString(),
      expiresAt: new Date(this.now().getTime() + OTP_TTL_MINUTES * 60_000).toISOString(),
      consumedAt: null,
    });
    await this.outbox.enqueue(tx, {
      channel: 'sms',
      recipient: phone,
      recipientMasked: maskPhone(phone),
      body: translate(locale, 'identity.sms.code', { code, minutes: OTP_TTL_MINUTES }),
    });
    return id;
  }

  /**
   * Sends a fresh code for a registration whose phone is not yet confirmed (the first expired or
   * was used up). The new challenge goes to the same phone; the hourly limit per phone still holds.
   */
  async resendRegistrationCode(challengeId: string, locale: Locale): Promise<{ challengeId: string }> {
    const previous = await this.store.challengeById(challengeId);
    if (!previous || previous.purpose !== 'register' || previous.consumedAt || !previous.personId) {
      throw notFound('challengeNotFound', 'identity.challenge.notFound');
    }
    const person = await this.store.personById(previous.personId);
    if (!person || person.realNameLevel >= 2) throw notFound('challengeNotFound', 'identity.challenge.notFound');
    const phone = this.platform.vault.decrypt(previous.phoneEnc);
    let id = '';
    await this.store.transaction(async (tx) => {
      // The old code stops working: only the newest one confirms the phone.
      await this.store.consumeChallenge(tx, previous.id, this.now().toISOString());
      id = await this.createChallenge(tx, 'register', phone, previous.personId, locale);
    });
    await this.outbox.deliverPending();
    return { challengeId: id };
  }

  /** Step two: the code from the SMS confirms the phone and raises the real-name level to 2. */
  async confirmPhone(challengeId: string, code: string): Promise<{ personId: string }> {
    const challenge = await this.store.challengeById(challengeId);
    if (!challenge || challenge.consumedAt || !challenge.personId) throw notFound('challengeNotFound', 'identity.challenge.notFound');
    if (challenge.expiresAt <= this.now().toISOString()) throw new AppError(410, 'challengeExpired', 'error.validation.title', 'identity.challenge.expired');
    if (challenge.attempts >= OTP_MAX_ATTEMPTS) throw new AppError(410, 'challengeExhausted', 'error.validation.title', 'identity.challenge.tooManyAttempts');
    const expected = Buffer.from(challenge.codeHash);
    const given = Buffer.from(this.codeHash(challenge.id, code.trim()));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      const attempts = challenge.attempts + 1;
      await this.store.updateChallenge(challenge.id, { attempts });
      const remaining = OTP_MAX_ATTEMPTS - attempts;
      if (remaining <= 0) throw new AppError(410, 'challengeExhausted', 'error.validation.title', 'identity.challenge.tooManyAttempts');
      throw fieldInvalid('wrongCode', '/code', 'identity.challenge.wrongCode', { remaining });
    }
    const holder = await this.store.personByPhoneHash(challenge.phoneHash);
    if (holder && holder.id !== challenge.personId) throw conflict('phoneInUse', 'identity.phoneInUse');
    const nowIso = this.now().toISOString();
    await this.store.transaction(async (tx) => {
      await this.store.consumeChallenge(tx, challenge.id, nowIso);
      await this.store.updatePerson(tx, challenge.personId!, {
        phoneEnc: challenge.phoneEnc,
        phoneHash: challenge.phoneHash,
        realNameLevel: 2,
        updatedAt: nowIso,
      });
      await this.platform.audit.record(
        { action: 'identity.phoneConfirmed', actor: { type: 'person', id: challenge.personId! }, subjectPersonId: challenge.personId!, detail: { realNameLevel: 2 } },
        tx,
      );
    });
    return { personId: challenge.personId };
  }

  // Login

  private async findAccountForLogin(login: string): Promise<Account | undefined> {
    if (/^\d{17}[\dX]$/.test(login) || /^\d{15}$/.test(login)) {
      const id = validateResidentId(login, { today: shanghaiDate(this.now()) });
      if (!id.valid) return undefined;
      const person = await this.store.personByIdHash(this.hash('resident-id', id.normalized));
      return person ? this.store.accountByPersonId(person.id) : undefined;
    }
    if (PHONE_PATTERN.test(login)) {
      const person = await this.store.personByPhoneHash(this.hash('phone', login));
      return person ? this.store.accountByPersonId(person.id) : undefined;
    }
    return this.store.accountByUsername(login.toLowerCase());
  }

  /**
   * Progressive back-off: the first few failures cost nothing, then each doubles the wait, and
   * the tenth locks the login for 15 minutes. The counter is keyed by what was typed, so a login
   * that does not exist behaves exactly like one that does.
   */
  private async checkThrottle(key: string): Promise<void> {
    const row = await this.store.throttle(key);
    if (!row?.blockedUntil) return;
    const waitMs = new Date(row.blockedUntil).getTime() - this.now().getTime();
    if (waitMs > 0) throw tooManyRequests('loginThrottled', Math.ceil(waitMs / 1000), 'identity.login.throttled');
  }

  private async recordFailure(key: string): Promise<void> {
    const now = this.now();
    const row = await this.store.throttle(key);
    const stale = row && now.getTime() - new Date(row.lastFailureAt).getTime() > THROTTLE_RESET_MS;
    const failures = (stale || !row ? 0 : row.failures) + 1;
    let blockSeconds = 0;
    if (failures >= LOCKOUT_FAILURES) blockSeconds = LOCKOUT_SECONDS;
    else if (failures > FREE_FAILURES) blockSeconds = 2 ** (failures - FREE_FAILURES);
    await this.store.saveThrottle({
      key,
      failures,
      lastFailureAt: now.toISOString(),
      blockedUntil: blockSeconds ? new Date(now.getTime() + blockSeconds * 1000).toISOString() : null,
    });
  }

  async login(input: LoginInput): Promise<NewSession> {
    const login = normaliseLogin(input.login);
    const throttleKey = sha256(`login\u0000${login}`);
    await this.checkThrottle(throttleKey);
    const account = await this.findAccountForLogin(login);
    // Verify against a dummy hash when there is no account, so timing does not reveal which logins exist.
    this.dummyHash ??= argon2.hash(newToken(), ARGON2_OPTIONS);
    const passwordOk = await argon2.verify(account?.passwordHash ?? (await this.dummyHash), input.password).catch(() => false);
    if (!account || !passwordOk || account.status !== 'active') {
      await this.recordFailure(throttleKey);
      await this.platform.audit.record({
        action: 'identity.login',
        actor: account ? { type: account.staffId ? 'staff' : 'person', id: account.personId ?? account.staffId ?? undefined } : { type: 'anonymous' },
        subjectPersonId: account?.personId ?? undefined,
        outcome: 'failure',
      });
      throw unauthorized('loginFailed', 'identity.login.failed');
    }
    await this.store.clearThrottle(throttleKey);
    const session = await this.createSession(account, input);
    await this.platform.audit.record({
      action: 'identity.login',
      actor: { type: account.staffId ? 'staff' : 'person', id: account.personId ?? account.staffId ?? undefined },
      subjectPersonId: account.personId ?? undefined,
      detail: { sessionId: session.sessionId.slice(0, 8), mfaRequired: session.mfaRequired },
    });
    return session;
  }

  private async createSession(account: Account, input: { userAgent?: string; ip?: string }): Promise<NewSession> {
    const token = newToken();
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.platform.config.sessionAbsoluteHours * 3_600_000).toISOString();
    const mfaEnrolled = Boolean(account.totpEnrolledAt);
    const sessionId = sessionIdFromToken(token);
    const csrfToken = newToken(24);
    await this.store.insertSession({
      id: sessionId,
      accountId: account.id,
      csrfToken,
      mfaPassed: fromBool(false),
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt,
      revokedAt: null,
      userAgent: input.userAgent?.slice(0, 200) ?? null,
      ipHint: input.ip ? input.ip.replace(/(\d+\.\d+)\.\d+\.\d+$/, '$1.*.*') : null,
    });
    return {
      token,
      sessionId,
      csrfToken,
      mfaRequired: mfaEnrolled,
      mfaEnrollmentRequired: !mfaEnrolled && Boolean(account.staffId),
      expiresAt,
    };
  }

  /**
   * Resolves a session cookie. Expired (idle or absolute) and revoked sessions are refused at
   * once; last-seen is written at most once a minute to keep reads cheap.
   */
  async resolveSession(token: string): Promise<SessionPrincipal | null> {
    const view = await this.store.sessionView(sessionIdFromToken(token));
    if (!view || !this.sessionIsLive(view)) return null;
    const now = this.now();
    if (now.getTime() - new Date(view.session.lastSeenAt).getTime() > TOUCH_INTERVAL_MS) {
      await this.store.touchSession(view.session.id, now.toISOString());
    }
    return this.principalOf(view);
  }

  private sessionIsLive(view: SessionView): boolean {
    const now = this.now().getTime();
    if (view.session.revokedAt || view.account.status !== 'active') return false;
    if (new Date(view.session.expiresAt).getTime() <= now) return false;
    const idleMs = this.platform.config.sessionIdleMinutes * 60_000;
    return now - new Date(view.session.lastSeenAt).getTime() <= idleMs;
  }

  private principalOf(view: SessionView): SessionPrincipal {
    const roles: Role[] = view.staff ? view.staff.roles : ['person'];
    return {
      kind: 'account',
      accountId: view.account.id,
      sessionId: view.session.id,
      personId: view.account.personId,
      staffId: view.account.staffId,
      roles,
      displayName: view.personName ?? view.staff?.name ?? '',
      departmentId: view.staff?.departmentId ?? null,
      regionCode: view.staff?.regionCode ?? null,
      mfaPassed: toBool(view.session.mfaPassed),
      mfaEnrolled: Boolean(view.account.totpEnrolledAt),
      csrfToken: view.session.csrfToken,
    };
  }

  async logout(principal: SessionPrincipal): Promise<void> {
    await this.store.revokeSession(principal.accountId, principal.sessionId, this.now().toISOString());
    await this.platform.audit.record({ action: 'identity.logout', actor: actorOf(principal), subjectPersonId: principal.personId ?? undefined });
  }

  async listSessions(principal: SessionPrincipal) {
    const sessions = await this.store.activeSessions(principal.accountId, this.now().toISOString());
    const idleMs = this.platform.config.sessionIdleMinutes * 60_000;
    return sessions
      .filter((s) => this.now().getTime() - new Date(s.lastSeenAt).getTime() <= idleMs)
      .map((s) => ({
        id: s.id,
        current: s.id === principal.sessionId,
        createdAt: s.createdAt,
        lastSeenAt: s.lastSeenAt,
        expiresAt: s.expiresAt,
        userAgent: s.userAgent,
        ipHint: s.ipHint,
      }));
  }

  async revokeSession(principal: SessionPrincipal, sessionId: string): Promise<void> {
    const revoked = await this.store.revokeSession(principal.accountId, sessionId, this.now().toISOString());
    if (!revoked) throw notFound('sessionNotFound', 'identity.session.notFound');
    await this.platform.audit.record({ action: 'identity.sessionRevoked', actor: actorOf(principal), subjectPersonId: principal.personId ?? undefined });
  }

  /** Logout everywhere, this session included. */
  async revokeAllSessions(principal: SessionPrincipal): Promise<number> {
    const count = await this.store.revokeAllSessions(principal.accountId, this.now().toISOString());
    await this.platform.audit.record({ action: 'identity.allSessionsRevoked', actor: actorOf(principal), subjectPersonId: principal.personId ?? undefined, detail: { count } });
    return count;
  }

  /**
   * Removes sessions that ended (expired or revoked) over a day ago, back-off counters whose last
   * failure is older than the reset window, and expired phone codes. Logins stay in the audit trail.
   */
  cleanUp() {
    return this.store.deleteStale(new Date(this.now().getTime() - THROTTLE_RESET_MS).toISOString());
  }

  // Second factor (TOTP, RFC 6238)

  private totp(secret: string, label: string): OTPAuth.TOTP {
    return new OTPAuth.TOTP({ issuer: 'Tongban 通办', label, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
  }

  /** Starts enrolment: a new secret, stored encrypted, that only counts once a code from it is confirmed. */
  async startTotpEnrolment(principal: SessionPrincipal): Promise<{ secret: string; uri: string }> {
    const account = await this.store.accountById(principal.accountId);
    if (!account) throw unauthorized();
    if (account.totpEnrolledAt) throw conflict('mfaAlreadyEnrolled', 'identity.mfa.alreadyEnrolled');
    const secret = new OTPAuth.Secret({ size: 20 }).base32;
    await this.store.updateAccount(account.id, { totpSecretEnc: this.platform.vault.encrypt(secret) });
    return { secret, uri: this.totp(secret, principal.displayName || account.username || 'account').toString() };
  }

  private async checkTotp(account: Account, code: string): Promise<boolean> {
    if (!account.totpSecretEnc || !/^\d{6}$/.test(code.trim())) return false;
    const totp = this.totp(this.platform.vault.decrypt(account.totpSecretEnc), 'x');
    const timestamp = this.now().getTime();
    const delta = totp.validate({ token: code.trim(), timestamp, window: 1 });
    if (delta === null) return false;
    const step = Math.floor(timestamp / 30_000) + delta;
    return this.store.claimTotpStep(account.id, step);
  }

  async confirmTotpEnrolment(principal: SessionPrincipal, code: string): Promise<void> {
    const account = await this.store.accountById(principal.accountId);
    if (!account?.totpSecretEnc) throw conflict('mfaNotStarted', 'identity.mfa.notEnrolled');
    if (account.totpEnrolledAt) throw conflict('mfaAlreadyEnrolled', 'identity.mfa.alreadyEnrolled');
    if (!(await this.checkTotp(account, code))) throw fieldInvalid('wrongTotp', '/code', 'identity.mfa.wrongCode');
    await this.store.updateAccount(account.id, { totpEnrolledAt: this.now().toISOString() });
    await this.store.markSessionMfa(principal.sessionId);
    await this.platform.audit.record({ action: 'identity.mfaEnrolled', actor: actorOf(principal), subjectPersonId: principal.personId ?? undefined });
  }

  /** The second step of login for an account with TOTP. Wrong codes count towards the same back-off. */
  async passTotp(principal: SessionPrincipal, code: string): Promise<void> {
    if (principal.mfaPassed) throw conflict('mfaNotPending', 'identity.mfa.notPending');
    const account = await this.store.accountById(principal.accountId);
    if (!account?.totpEnrolledAt) throw conflict('mfaNotEnrolled', 'identity.mfa.notEnrolled');
    const key = sha256(`totp\u0000${account.id}`);
    await this.checkThrottle(key);
    if (!(await this.checkTotp(account, code))) {
      await this.recordFailure(key);
      await this.platform.audit.record({ action: 'identity.mfa', actor: actorOf(principal), outcome: 'failure', subjectPersonId: principal.personId ?? undefined });
      throw fieldInvalid('wrongTotp', '/code', 'identity.mfa.wrongCode');
    }
    await this.store.clearThrottle(key);
    await this.store.markSessionMfa(principal.sessionId);
    await this.platform.audit.record({ action: 'identity.mfa', actor: actorOf(principal), subjectPersonId: principal.personId ?? undefined });
  }

  // Profiles and personal data

  async profile(principal: SessionPrincipal): Promise<AccountProfile> {
    const account = await this.store.accountById(principal.accountId);
    if (!account) throw unauthorized();
    if (account.personId) {
      const person = await this.store.personById(account.personId);
      if (!person) throw unauthorized();
      const vault = this.platform.vault;
      return {
        accountId: account.id,
        kind: 'person',
        name: person.name,
        idNumberMasked: maskIdNumber(vault.decrypt(person.idNumberEnc)),
        phoneMasked: person.phoneEnc ? maskPhone(vault.decrypt(person.phoneEnc)) : null,
        birthDate: person.birthDate,
        sex: person.sex,
        regionCode: person.regionCode,
        realNameLevel: person.realNameLevel,
        roles: principal.roles,
        departmentId: null,
        mfaEnrolled: Boolean(account.totpEnrolledAt),
      };
    }
    return {
      accountId: account.id,
      kind: 'staff',
      name: principal.displayName,
      idNumberMasked: null,
      phoneMasked: null,
      birthDate: null,
      sex: null,
      regionCode: principal.regionCode,
      realNameLevel: null,
      roles: principal.roles,
      departmentId: principal.departmentId,
      mfaEnrolled: Boolean(account.totpEnrolledAt),
    };
  }

  /**
   * A staff read of someone's personal data, in full. Needs a stated purpose and is written to
   * the audit trail, where the person sees it on their account page.
   */
  async readPersonForStaff(principal: SessionPrincipal, personId: string, purpose: string) {
    if (!principal.staffId) throw forbidden();
    if (!purpose.trim()) throw fieldInvalid('purposeRequired', '/querystring/purpose', 'identity.purpose.required');
    const person = await this.store.personById(personId);
    if (!person) throw notFound('personNotFound', 'identity.person.notFound');
    const department = principal.departmentId ? await this.store.departmentById(principal.departmentId) : undefined;
    await this.platform.audit.record({
      action: 'personalData.read',
      actor: { type: 'staff', id: principal.staffId, label: `${department?.nameZh ?? ''} · ${principal.displayName}` },
      subjectPersonId: person.id,
      purpose: purpose.trim().slice(0, 200),
      detail: { fields: ['name', 'idNumber', 'phone'] },
    });
    return {
      id: person.id,
      name: person.name,
      idNumber: this.platform.vault.decrypt(person.idNumberEnc),
      phone: person.phoneEnc ? this.platform.vault.decrypt(person.phoneEnc) : null,
      birthDate: person.birthDate,
      sex: person.sex,
      regionCode: person.regionCode,
      realNameLevel: person.realNameLevel,
    };
  }

  /**
   * "Who verified or looked at my data": everything staff, administrators and departmental clients
   * did with this person's data (reads, verifications, single sign-on releases, decisions), newest
   * first, one keyset page at a time.
   */
  async accessLog(principal: SessionPrincipal, page: { before?: string; limit?: number } = {}) {
    if (!principal.personId) return { entries: [], next: null };
    return this.platform.audit.accessesOf({ personId: principal.personId }, { before: page.before, limit: page.limit ?? ACCESS_LOG_PAGE });
  }

  // Staff and departments (administration and demo data)

  audit(entry: Parameters<Platform['audit']['record']>[0]): Promise<void> {
    return this.platform.audit.record(entry);
  }

  async createDepartment(input: { code: string; nameZh: string; nameEn: string; level: 'national' | 'provincial' | 'city' | 'county'; regionCode: string }) {
    const existing = await this.store.departmentByCode(input.code);
    if (existing) return existing;
    const department = { id: newId(), ...input, createdAt: this.now().toISOString() };
    await this.store.insertDepartment(department);
    return department;
  }

  async createStaff(input: { name: string; username: string; password: string; departmentId: string | null; regionCode: string; roles: Role[] }, actor: AuditActor) {
    const username = input.username.trim().toLowerCase();
    if (!/^[a-z][a-z0-9._-]{2,39}$/.test(username)) throw fieldInvalid('invalidUsername', '/username', 'field.pattern');
    if (await this.store.accountByUsername(username)) throw conflict('usernameTaken', 'error.conflict.title', {}, [{ field: '/username', message: 'field.invalid' }]);
    checkPassword(input.password, [username]);
    const nowIso = this.now().toISOString();
    const staffId = newId();
    const accountId = newId();
    await this.store.transaction(async (tx) => {
      await this.store.insertStaff(
        tx,
        { id: staffId, name: input.name, departmentId: input.departmentId, regionCode: input.regionCode, roles: JSON.stringify(input.roles), createdAt: nowIso },
        {
          id: accountId,
          personId: null,
          staffId,
          username,
          passwordHash: await argon2.hash(input.password, ARGON2_OPTIONS),
          totpSecretEnc: null,
          totpEnrolledAt: null,
          totpLastStep: null,
          status: 'active',
          createdAt: nowIso,
        },
      );
      await this.platform.audit.record({ action: 'admin.staffCreated', actor, detail: { staffId, roles: input.roles } }, tx);
    });
    return { staffId, accountId };
  }

  /** Sets a known TOTP secret (demo accounts print theirs so a newcomer can log in). */
  async enrolTotpWithSecret(accountId: string, secret: string): Promise<void> {
    await this.store.updateAccount(accountId, { totpSecretEnc: this.platform.vault.encrypt(secret), totpEnrolledAt: this.now().toISOString() });
  }

  /** Creates a person directly at a given real-name level (demo data, tests, benchmarks). */
  async createVerifiedPerson(input: { name: string; idNumber: string; phone: string; password?: string; passwordHash?: string; realNameLevel?: number }) {
    const id = idNumberProblem(input.idNumber, shanghaiDate(this.now()));
    const nowIso = this.now().toISOString();
    const person = this.newPerson(input.name, id, input.phone, input.realNameLevel ?? 2, nowIso);
    const account = personAccount(person.id, input.passwordHash ?? (await argon2.hash(input.password ?? newToken(), ARGON2_OPTIONS)), nowIso);
    await this.store.transaction((tx) => this.store.insertPerson(tx, person, account));
    return { personId: person.id, accountId: account.id };
  }

  /**
   * Imports persons already verified elsewhere (a legacy system's accounts, benchmarks), in
   * batches of 500 per transaction. They share the given password hash until they change it.
   */
  async importVerifiedPersons(inputs: { name: string; idNumber: string; phone: string }[], passwordHash: string): Promise<number> {
    const nowIso = this.now().toISOString();
    const today = shanghaiDate(this.now());
    for (let start = 0; start < inputs.length; start += 500) {
      const persons: Person[] = [];
      const accounts: Account[] = [];
      for (const input of inputs.slice(start, start + 500)) {
        const person = this.newPerson(input.name, idNumberProblem(input.idNumber, today), input.phone, 2, nowIso);
        persons.push(person);
        accounts.push(personAccount(person.id, passwordHash, nowIso));
      }
      await this.store.transaction((tx) => this.store.insertPersonsBulk(tx, persons, accounts));
    }
    return inputs.length;
  }

  /** A person row with the ID number (and phone, once confirmed) sealed and hashed for lookup. */
  private newPerson(name: string, id: ReturnType<typeof idNumberProblem>, phone: string | null, realNameLevel: number, nowIso: string): Person {
    return {
      id: newId(),
      name,
      idNumberEnc: this.platform.vault.encrypt(id.normalized),
      idNumberHash: this.hash('resident-id', id.normalized),
      phoneEnc: phone ? this.platform.vault.encrypt(phone) : null,
      phoneHash: phone ? this.hash('phone', phone) : null,
      birthDate: id.birthDate,
      sex: id.sex,
      regionCode: id.region,
      realNameLevel,
      createdAt: nowIso,
      updatedAt: nowIso,
    };
  }

  static hashPassword(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  /** The person registered with this (valid, normalised) ID number, found by its keyed hash; the audit trail needs it for failed verifications. */
  personByIdNumber(normalizedIdNumber: string): Promise<Person | undefined> {
    return this.store.personByIdHash(this.hash('resident-id', normalizedIdNumber));
  }

  /** Finds a real-name-verified person by name and ID number (the verification API and SSO need this). */
  /**
   * Whether a name and an ID number belong to a real-name-verified person, recorded against the
   * person the ID number names (matched or not) as an `identity.verification` by `actor`: nobody
   * learns unseen whether a name and an ID number belong together. `idNumber` is already valid.
   */
  async verifyRecorded(actor: AuditActor, name: string, idNumber: string, purpose: string | undefined): Promise<Person | undefined> {
    const person = await this.findVerifiedPerson(name, idNumber);
    // A failed check with a real person's ID number (a wrong name, or not yet verified) is still an
    // attempt on their identity: it is recorded against them.
    const subject = person ?? (await this.personByIdNumber(idNumber));
    await this.platform.audit.record({
      action: 'identity.verification',
      actor,
      subjectPersonId: subject?.id,
      purpose,
      outcome: person ? 'success' : 'failure',
      detail: { match: Boolean(person) },
    });
    return person;
  }

  async findVerifiedPerson(name: string, idNumber: string): Promise<Person | undefined> {
    const id = validateResidentId(idNumber, { today: shanghaiDate(this.now()) });
    if (!id.valid) return undefined;
    const person = await this.personByIdNumber(id.normalized);
    return person && person.name === name.trim() ? person : undefined;
  }

  /** A person by id (other capabilities, e.g. enterprises, need the name and real-name level). */
  /** Several persons in one read (lists of agents, of applicants). */
  async personsByIds(personIds: string[]): Promise<Person[]> {
    return personIds.length ? this.store.personsByIds([...new Set(personIds)]) : [];
  }

  /** A department by id (its names, level and region), for the capabilities that route work to it. */
  department(departmentId: string) {
    return this.store.departmentById(departmentId);
  }

  /** Directory entries (id, names, region) of these departments in one read; unknown ids left out. */
  departmentsByIds(departmentIds: readonly string[]) {
    return this.store.departmentsByIds(departmentIds);
  }

  /** Directory entries of the departments seated at these region codes. */
  departmentsInRegions(regionCodes: readonly string[]) {
    return this.store.departmentsInRegions(regionCodes);
  }

  personById(personId: string): Promise<Person | undefined> {
    return this.store.personById(personId);
  }

  decryptIdNumber(person: Person): string {
    return this.platform.vault.decrypt(person.idNumberEnc);
  }

  decryptPhone(person: Person): string | null {
    return person.phoneEnc ? this.platform.vault.decrypt(person.phoneEnc) : null;
  }

  /**
   * Where to reach a person with a notification, read in the caller's transaction (on SQLite a
   * read outside it would wait for it). Only a confirmed phone is kept; persons have no email.
   */
  async notificationContact(personId: string, tx?: Tx): Promise<{ phone: string | null; email: string | null } | undefined> {
    const person = await this.store.personById(personId, tx);
    return person ? { phone: this.decryptPhone(person), email: null } : undefined;
  }
}

function personAccount(personId: string, passwordHash: string, nowIso: string): Account {
  return { id: newId(), personId, staffId: null, username: null, passwordHash, totpSecretEnc: null, totpEnrolledAt: null, totpLastStep: null, status: 'active', createdAt: nowIso };
}

/** Lines of the access log per page unless the caller asks for another number (at most 100). */
export const ACCESS_LOG_PAGE = 20;

/** "上海市浦东新区市场监督管理局 · 王芳": how a staff member appears to the people whose data they read. */
export function staffLabel(departmentName: string | null | undefined, staffName: string): string {
  return departmentName ? `${departmentName} · ${staffName}` : staffName;
}

export function actorOf(principal: SessionPrincipal): AuditActor {
  return { type: principal.staffId ? 'staff' : 'person', id: principal.staffId ?? principal.personId ?? undefined, label: principal.displayName };
}
