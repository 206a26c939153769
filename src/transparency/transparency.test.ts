import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifiedPerson } from '../applications/testing.js';
import { ManualClock } from '../core/clock.js';
import { createTestApp } from '../core/testing.js';
import { staffSession } from '../identity/testing.js';
import { createServices, scheduleRecurringJobs, type Services } from '../services.js';
import { AUDIT_CHECKPOINT_JOB, AUDIT_CHECKPOINT_JWS_TYPE, AuditCheckpoints, describeReport } from './checkpoints.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

describe('signed checkpoints of the audit trail', () => {
  let t: TestApp;
  let services: Services;
  const dir = mkdtempSync(path.join(tmpdir(), 'tongban-checkpoints-'));

  const addEvents = async (n: number) => {
    for (let i = 0; i < n; i++) await t.platform.audit.record({ action: 'test.event', actor: { type: 'system' }, detail: { i } });
  };
  const checkpointRows = () => t.platform.db.selectFrom('auditCheckpoints').selectAll().orderBy('seq').execute();

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')), env: { AUDIT_CHECKPOINT_DIR: dir } });
    services = createServices(t.platform);
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs nothing while the trail is empty, and says a clean chain without checkpoints cannot show a cut tail', async () => {
    await t.platform.db.deleteFrom('auditEvents').execute();
    expect(await services.transparency.checkpoints.write()).toEqual({ created: false, checkpoint: null });
    const report = await services.transparency.checkpoints.verify();
    expect(report.ok).toBe(true);
    expect(describeReport(report).lines.join('\n')).toContain('No signed checkpoints yet');
  });

  it('writes one checkpoint per head through the recurring job: running again with the same head writes none', async () => {
    await addEvents(5);
    await scheduleRecurringJobs(services);
    const job = await t.platform.db.selectFrom('jobs').select(['kind', 'runAt']).where('kind', '=', AUDIT_CHECKPOINT_JOB).executeTakeFirstOrThrow();
    t.clock.set(new Date(new Date(job.runAt).getTime() + 1000));
    await services.jobs.runDue();
    const rows = await checkpointRows();
    expect(rows).toHaveLength(1);
    const head = (await t.platform.audit.head())!;
    expect(rows[0]).toMatchObject({ headHash: head.hash });
    expect(Number(rows[0]!.seq)).toBe(head.seq);
    // Same head, any number of runs, on any number of copies: still one.
    expect((await services.transparency.checkpoints.write()).created).toBe(false);
    expect((await createServices(t.platform).transparency.checkpoints.write()).created).toBe(false);
    expect(await checkpointRows()).toHaveLength(1);
    // The external copy is a file named after its position.
    expect(readdirSync(dir)).toEqual([`audit-checkpoint-${String(head.seq).padStart(12, '0')}.jws`]);
    // New events: the next run signs the new head.
    await addEvents(3);
    expect((await services.transparency.checkpoints.write()).created).toBe(true);
    expect(await checkpointRows()).toHaveLength(2);
  });

  it('passes a clean chain with its checkpoints', async () => {
    await addEvents(2);
    const report = await services.transparency.checkpoints.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    // Two rows, and their two files in AUDIT_CHECKPOINT_DIR.
    expect(report.checkpoints).toBe(4);
    expect(describeReport(report).lines.join('\n')).toMatch(/4 signed checkpoint\(s\) verified/);
  });

  it('detects a tail cut off after a checkpoint, though the shorter chain is itself intact', async () => {
    const [, latest] = await checkpointRows();
    const head = (await t.platform.audit.head())!;
    const saved = await t.platform.db.selectFrom('auditEvents').selectAll().where('seq', '>', Number(latest!.seq) - 2).orderBy('seq').execute();
    await t.platform.db.deleteFrom('auditEvents').where('seq', '>', Number(latest!.seq) - 2).execute();
    const report = await services.transparency.checkpoints.verify();
    expect(report.chain.ok).toBe(true);
    expect(report.ok).toBe(false);
    const file = path.join(dir, `audit-checkpoint-${String(latest!.seq).padStart(12, '0')}.jws`);
    expect(report.problems).toEqual([
      { source: `checkpoint #${latest!.seq}`, problem: 'truncated', seq: Number(latest!.seq), chainEndsAt: Number(latest!.seq) - 2 },
      { source: file, problem: 'truncated', seq: Number(latest!.seq), chainEndsAt: Number(latest!.seq) - 2 },
    ]);
    expect(describeReport(report).lines.join('\n')).toContain('tail truncated');

    // Signing the shortened chain is refused (loudly), rather than covering the cut with a fresh signature.
    const refused = await services.transparency.checkpoints.write();
    expect(refused).toMatchObject({ created: false, refused: { problem: 'truncated', seq: Number(latest!.seq) } });

    // Deleting the checkpoint rows too hides the cut from the database alone, but not from the files in AUDIT_CHECKPOINT_DIR.
    const rows = await checkpointRows();
    await t.platform.db.deleteFrom('auditCheckpoints').where('seq', '>=', Number(latest!.seq)).execute();
    const fromDir = await services.transparency.checkpoints.verify();
    expect(fromDir.ok).toBe(false);
    expect(fromDir.problems).toEqual([expect.objectContaining({ source: file, problem: 'truncated' })]);
    const withoutDir = new AuditCheckpoints(t.platform);
    expect((await withoutDir.verify()).ok).toBe(true);
    const withCopy = await withoutDir.verify([{ source: file, jws: readFileSync(file, 'utf8') }]);
    expect(withCopy.ok).toBe(false);
    expect(withCopy.problems).toEqual([expect.objectContaining({ source: file, problem: 'truncated' })]);
    // The same file named explicitly and found in the directory is checked once.
    expect((await services.transparency.checkpoints.verify([{ source: file, jws: readFileSync(file, 'utf8') }])).problems).toHaveLength(1);

    // Put everything back for the next tests.
    await t.platform.db.insertInto('auditEvents').values(saved).execute();
    await t.platform.db.insertInto('auditCheckpoints').values(rows.filter((row) => Number(row.seq) >= Number(latest!.seq))).execute();
    expect((await t.platform.audit.head())!.seq).toBe(head.seq);
    expect((await services.transparency.checkpoints.verify()).ok).toBe(true);
  });

  it('detects a forged checkpoint (signed with another key) and an altered one', async () => {
    const head = (await t.platform.audit.head())!;
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const forgedJws = await new CompactSign(new TextEncoder().encode(JSON.stringify({ iss: 'http://localhost:3000', seq: head.seq + 50, headHash: 'a'.repeat(64), at: '2026-03-02T02:00:00.000Z' })))
      .setProtectedHeader({ alg: 'EdDSA', kid: String((await exportJWK(privateKey)).x), typ: AUDIT_CHECKPOINT_JWS_TYPE })
      .sign(privateKey);
    await t.platform.db.insertInto('auditCheckpoints').values({ id: 'forged', seq: head.seq + 50, headHash: 'a'.repeat(64), createdAt: '2026-03-02T02:00:00.000Z', kid: 'x', jws: forgedJws }).execute();
    const forged = await services.transparency.checkpoints.verify();
    expect(forged.ok).toBe(false);
    expect(forged.problems).toEqual([expect.objectContaining({ problem: 'badSignature', seq: head.seq + 50 })]);
    expect(describeReport(forged).lines.join('\n')).toContain('forged');
    // The forged row "covers" every head to come: the job refuses to sign and says why, instead of going quiet.
    const errors: unknown[] = [];
    const logError = t.platform.logger.error.bind(t.platform.logger);
    t.platform.logger.error = ((...args: unknown[]) => void errors.push(args[0])) as typeof t.platform.logger.error;
    try {
      await addEvents(1);
      expect(await services.transparency.checkpoints.write()).toMatchObject({ created: false, checkpoint: null, refused: { problem: 'badSignature', seq: head.seq + 50 } });
      expect(errors).toEqual([{ auditCheckpointRefused: expect.objectContaining({ problem: 'badSignature' }) }]);
    } finally {
      t.platform.logger.error = logError;
    }
    await t.platform.db.deleteFrom('auditCheckpoints').where('id', '=', 'forged').execute();
    // Once the forged row is gone, the next run signs the head again.
    expect((await services.transparency.checkpoints.write()).created).toBe(true);

    // A genuine checkpoint whose row was edited to claim a shorter chain.
    const [first] = await checkpointRows();
    await t.platform.db.updateTable('auditCheckpoints').set({ seq: Number(first!.seq) - 1 }).where('id', '=', first!.id).execute();
    const altered = await services.transparency.checkpoints.verify();
    expect(altered.problems).toEqual([expect.objectContaining({ problem: 'rowAltered' })]);
    await t.platform.db.updateTable('auditCheckpoints').set({ seq: first!.seq }).where('id', '=', first!.id).execute();
    expect((await services.transparency.checkpoints.verify()).ok).toBe(true);
  });

  it('detects a chain rewritten from some point on with fresh hashes', async () => {
    const [first] = await checkpointRows();
    const row = await t.platform.db.selectFrom('auditEvents').selectAll().where('seq', '=', Number(first!.seq)).executeTakeFirstOrThrow();
    await t.platform.db.updateTable('auditEvents').set({ hash: 'b'.repeat(64) }).where('seq', '=', row.seq).execute();
    const report = await services.transparency.checkpoints.verify();
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ problem: 'rewritten', seq: Number(first!.seq) })]));
    await t.platform.db.updateTable('auditEvents').set({ hash: row.hash }).where('seq', '=', row.seq).execute();
  });
});

describe('administrators search the audit trail', () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof staffSession>>;
  let auditor: Awaited<ReturnType<typeof staffSession>>;
  let officer: Awaited<ReturnType<typeof staffSession>>;
  let wang: Awaited<ReturnType<typeof verifiedPerson>>;

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  type Result = { items: { seq: number; action: string; actorId: string | null; actorLabel: string | null; subjectPersonId: string | null; outcome: string; detail: Record<string, unknown> }[]; next: string | null };

  beforeAll(async () => {
    t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T02:00:00Z')) });
    admin = await staffSession(t, { roles: ['admin'], name: '管理员' });
    auditor = await staffSession(t, { roles: ['auditor'], departmentId: admin.departmentId, name: '审计员' });
    officer = await staffSession(t, { roles: ['officer'], departmentId: admin.departmentId, name: '受理员' });
    wang = await verifiedPerson(t, '王芳');
    for (const purpose of ['核对一', '核对二', '核对三']) {
      expect((await get(`/api/v1/identity/persons/${wang.personId}?purpose=${encodeURIComponent(purpose)}`, officer.cookie)).statusCode).toBe(200);
    }
    // A refused read stamped the next day (the clock then goes back, so that the sessions stay alive).
    t.clock.set('2026-03-03T02:00:00Z');
    await t.platform.audit.record({ action: 'personalData.read', actor: { type: 'staff', id: officer.staffId }, subjectPersonId: wang.personId, outcome: 'denied', purpose: '越权' });
    t.clock.set('2026-03-02T02:00:00Z');
  });
  afterAll(async () => t.close());

  it('is for administrators and auditors only', async () => {
    expect((await get('/api/v1/admin/audit-events', officer.cookie)).statusCode).toBe(403);
    expect((await get('/api/v1/admin/audit-events', wang.cookie)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/audit-events' })).statusCode).toBe(401);
    expect((await get('/api/v1/admin/audit-events', auditor.cookie)).statusCode).toBe(200);
    // The auditor can do nothing else an administrator can.
    expect((await get('/api/v1/admin/oidc-clients', auditor.cookie)).statusCode).toBe(403);
    expect((await get('/admin/audit', officer.cookie)).statusCode).toBe(403);
  });

  it('filters by subject, action, actor, outcome and period, newest first', async () => {
    const reads = (await get(`/api/v1/admin/audit-events?subjectPersonId=${wang.personId}&purpose=${encodeURIComponent('核查')}&action=personalData.read`, admin.cookie)).json() as Result;
    expect(reads.items.map((e) => e.outcome)).toEqual(['denied', 'success', 'success', 'success']);
    expect(reads.items.every((e) => e.actorLabel === '测试部门310115 · 受理员')).toBe(true);
    const byActor = (await get(`/api/v1/admin/audit-events?actor=${encodeURIComponent('受理')}&actorType=staff&outcome=success`, admin.cookie)).json() as Result;
    expect(byActor.items.length).toBeGreaterThanOrEqual(3);
    expect(byActor.items.every((e) => e.actorLabel?.includes('受理员') && e.outcome === 'success')).toBe(true);
    const literal = (await get(`/api/v1/admin/audit-events?actor=${encodeURIComponent('%')}&actorType=staff`, admin.cookie)).json() as Result;
    expect(literal.items).toEqual([]);
    const day = (await get(`/api/v1/admin/audit-events?from=2026-03-03&to=2026-03-03&subjectPersonId=${wang.personId}&purpose=${encodeURIComponent('核查')}`, admin.cookie)).json() as Result;
    expect(day.items.map((e) => e.outcome)).toEqual(['denied']);
    const bad = await get('/api/v1/admin/audit-events?from=2026-03-05&to=2026-03-01', admin.cookie);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('/querystring/to');
    expect((await get('/api/v1/admin/audit-events?from=2026-02-30', admin.cookie)).statusCode).toBe(400);
  });

  it('pages by keyset without gaps or repeats', async () => {
    const seen: number[] = [];
    let before = '';
    for (;;) {
      const page = (await get(`/api/v1/admin/audit-events?limit=4${before ? `&before=${before}` : ''}&to=2026-03-03`, admin.cookie)).json() as Result;
      seen.push(...page.items.map((e) => e.seq));
      if (!page.next) break;
      before = page.next;
    }
    // Each page's own search is audited after it, above the cursor: the pages still join up exactly.
    const all = (await get('/api/v1/admin/audit-events?limit=200', admin.cookie)).json() as Result;
    expect(seen).toEqual(all.items.map((e) => e.seq).filter((seq) => seq <= seen[0]!));
    expect(seen.length).toBeGreaterThan(8);
  });

  it('records every search, and a search about a person shows on their page', async () => {
    await get(`/api/v1/admin/audit-events?subjectPersonId=${wang.personId}&purpose=${encodeURIComponent('投诉 2026-018')}`, auditor.cookie);
    const searches = (await get('/api/v1/admin/audit-events?action=audit.searched&limit=1', admin.cookie)).json() as Result;
    expect(searches.items[0]).toMatchObject({ action: 'audit.searched', subjectPersonId: wang.personId, actorLabel: '测试部门310115 · 审计员' });
    const log = (await get('/api/v1/identity/me/access-log', wang.cookie)).json() as { action: string; who: string; purpose: string }[];
    expect(log[0]).toMatchObject({ action: 'audit.searched', who: '测试部门310115 · 审计员', purpose: '投诉 2026-018' });
    expect((await get('/account', wang.cookie)).body).toContain('检索了与此有关的审计记录');
  });

  it("requires a purpose to look someone up, and records a search of what a person did with that person as subject", async () => {
    const noPurpose = await get(`/api/v1/admin/audit-events?subjectEnterpriseId=${wang.personId}`, auditor.cookie);
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json()).toMatchObject({ code: 'purposeRequired', errors: [expect.objectContaining({ field: '/querystring/purpose' })] });
    expect((await get(`/api/v1/admin/audit-events.csv?subjectPersonId=${wang.personId}&purpose=%20`, auditor.cookie)).statusCode).toBe(400);
    expect((await get(`/api/v1/admin/audit-events?actorType=person&actorId=${wang.personId}`, auditor.cookie)).statusCode).toBe(400);
    expect((await get(`/api/v1/admin/audit-events?actorId=${wang.personId}`, auditor.cookie)).statusCode).toBe(400);
    // Filtering by a staff actor is about the officer's work, not a citizen's data: no purpose needed.
    expect((await get(`/api/v1/admin/audit-events?actorType=staff&actorId=${officer.staffId}`, auditor.cookie)).statusCode).toBe(200);
    const page = await get('/admin/audit?run=1&subjectPersonId=' + wang.personId, auditor.cookie);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('href="#purpose"');

    const byActor = await get(`/api/v1/admin/audit-events?actorType=person&actorId=${wang.personId}&purpose=${encodeURIComponent('信访 2026-031')}`, auditor.cookie);
    expect(byActor.statusCode).toBe(200);
    const [search] = ((await get('/api/v1/admin/audit-events?action=audit.searched&limit=1', admin.cookie)).json() as Result).items;
    expect(search).toMatchObject({ subjectPersonId: wang.personId, detail: { filters: { actorType: 'person', actorId: wang.personId } } });
    const log = (await get('/api/v1/identity/me/access-log', wang.cookie)).json() as { action: string; purpose: string }[];
    expect(log[0]).toMatchObject({ action: 'audit.searched', purpose: '信访 2026-031' });

    // A person's events carry their name: searching by a name needs a purpose, and whoever it found sees the search.
    await t.platform.audit.record({ action: 'enterprise.agentGranted', actor: { type: 'person', id: wang.personId, label: '王芳' } });
    const name = encodeURIComponent('王芳');
    expect((await get(`/api/v1/admin/audit-events?actor=${name}`, auditor.cookie)).statusCode).toBe(400);
    expect((await get(`/api/v1/admin/audit-events?actor=${name}&actorType=staff`, auditor.cookie)).statusCode).toBe(200);
    const byName = await get(`/api/v1/admin/audit-events?actor=${name}&purpose=${encodeURIComponent('信访 2026-032')}`, auditor.cookie);
    expect(byName.statusCode).toBe(200);
    expect((byName.json() as Result).items.some((e) => e.actorId === wang.personId)).toBe(true);
    const afterName = (await get('/api/v1/identity/me/access-log', wang.cookie)).json() as { action: string; purpose: string }[];
    expect(afterName[0]).toMatchObject({ action: 'audit.searched', purpose: '信访 2026-032' });
  });

  it('exports the search as CSV, audited', async () => {
    const csv = await get(`/api/v1/admin/audit-events.csv?subjectPersonId=${wang.personId}&purpose=${encodeURIComponent('核查')}&action=personalData.read`, admin.cookie);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('序号,时间,操作,操作人类型,操作人编号,操作人,当事人,当事企业,事由,结果,详情,哈希');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toContain('denied');
    const exports = (await get('/api/v1/admin/audit-events?action=audit.exported', admin.cookie)).json() as Result;
    expect(exports.items).toHaveLength(1);
  });

  it('has a page with the filters as a plain GET form, the results as a table, and the latest checkpoint', async () => {
    const empty = await get('/admin/audit', admin.cookie);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('action="/admin/audit" method="get"');
    expect(empty.body).toContain('<label class="label" for="subjectPersonId">');
    expect(empty.body).not.toContain('<caption');
    const before = ((await get('/api/v1/admin/audit-events?action=audit.searched&limit=200', admin.cookie)).json() as Result).items.length;
    const found = await get(`/admin/audit?run=1&subjectPersonId=${wang.personId}&purpose=${encodeURIComponent('核查')}&action=personalData.read&from=&to=`, admin.cookie);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('<caption class="table__caption">审计记录，最新的在前</caption>');
    expect(found.body).toContain('测试部门310115 · 受理员');
    expect(found.body).toContain('被拒绝');
    expect(found.body).toContain('/api/v1/admin/audit-events.csv?');
    const after = ((await get('/api/v1/admin/audit-events?action=audit.searched&limit=200', admin.cookie)).json() as Result).items.length;
    expect(after).toBe(before + 2);
    const wrong = await get('/admin/audit?run=1&from=yesterday', admin.cookie);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('href="#from"');
    const en = await get('/admin/audit?lang=en', admin.cookie);
    expect(en.body).toContain('Search the audit trail');
    expect(en.body).toContain('No signed checkpoint yet.');
  });
});
