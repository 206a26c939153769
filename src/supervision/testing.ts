import type { createTestApp } from '../core/testing.js';
import type { Services } from '../services.js';
import { TINY_PNG } from '../applications/testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A person's application submitted through the API and accepted by the department's officer: its clock starts that day. */
export async function acceptedApplication(t: TestApp, services: Services, person: { accountId: string; cookie: string }, itemId: string, officerCookie: string): Promise<string> {
  const file = await services.files.store(person.accountId, { filename: 'lease.png', bytes: TINY_PNG, allowedTypes: ['png', 'pdf', 'jpeg'] });
  const draft = await t.app.inject({ method: 'POST', url: '/api/v1/applications/drafts', headers: { cookie: person.cookie }, payload: { itemId } });
  if (draft.statusCode !== 201) throw new Error(`draft failed: ${draft.body}`);
  const id = draft.json().id as string;
  const submitted = await t.app.inject({
    method: 'POST',
    url: `/api/v1/applications/${id}/submission`,
    headers: { cookie: person.cookie },
    payload: { form: { businessName: '测试小店', organisation: 'personal', employees: 2, premisesRegion: '310115' }, materials: { identity: { governmentData: true, consent: true }, premises: { fileIds: [file.id] } } },
  });
  if (submitted.statusCode !== 200) throw new Error(`submission failed: ${submitted.body}`);
  await act(t, officerCookie, id, 'accept', { opinion: '材料齐全，予以受理' });
  return id;
}

/** An officer's (or approver's) step on an application through the workbench API. */
export async function act(t: TestApp, cookie: string, id: string, action: string, payload: object = {}): Promise<void> {
  const response = await t.app.inject({ method: 'POST', url: `/api/v1/workbench/applications/${id}/actions/${action}`, headers: { cookie }, payload });
  if (response.statusCode !== 200) throw new Error(`${action} failed: ${response.body}`);
}
