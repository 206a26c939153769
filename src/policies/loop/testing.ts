import type { createTestApp } from '../../core/testing.js';
import type { Services } from '../../services.js';
import type { PolicyDocument } from '../format/schema.js';
import { policyFile, type policyDepartment } from '../testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;
type Officers = Awaited<ReturnType<typeof policyDepartment>>;

/** Imports the documents and has them published through the API: drafted by the author, approved by the reviewer. */
export async function publishPolicies(t: TestApp, officers: Officers, documents: PolicyDocument[]): Promise<void> {
  const imported = await t.app.inject({ method: 'POST', url: '/api/v1/policies/import', headers: { cookie: officers.author.cookie }, payload: policyFile(documents) });
  if (imported.statusCode !== 200) throw new Error(`import failed: ${imported.body}`);
  for (const { code } of documents) {
    const submitted = await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/submit`, headers: { cookie: officers.author.cookie }, payload: {} });
    if (submitted.statusCode !== 200) throw new Error(`submitting ${code} failed: ${submitted.body}`);
    const reviewed = await t.app.inject({ method: 'POST', url: `/api/v1/department/policies/${code}/review`, headers: { cookie: officers.reviewer.cookie }, payload: { approve: true } });
    if (reviewed.statusCode !== 200) throw new Error(`publishing ${code} failed: ${reviewed.body}`);
  }
}

/** A person's inbox messages of one kind, newest first, in English (read directly: test clocks outlive sessions). */
export async function inboxOf(services: Services, personId: string, kind: string): Promise<{ title: string; body: string; link: string | null }[]> {
  const { messages } = await services.inbox.list(personId, 'en', { limit: 100 });
  return messages.filter((m) => m.kind === kind);
}
