import { Type } from '@sinclair/typebox';
import { requireAccount, requirePerson, requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import {
  ActionParams,
  ApplicantCreditSchema,
  BrokenCommitmentBody,
  CommitmentParams,
  ApplicationContent,
  ApplicationParams,
  ApplicationViewSchema,
  ApplyBody,
  BundleApplyBody,
  BundleSubmissionSchema,
  DraftBody,
  IdempotencyHeaders,
  OfficerActionBody,
  QueueQuery,
  QueueRowSchema,
  WithdrawBody,
} from './schema.js';
import type { ApplicationService, MaterialInput } from './service.js';

type MaterialsBody = Record<string, MaterialInput | null> | undefined;

/** Applications for applicants and the officer workbench. Thin: the service decides everything. */
export function applicationRoutes(app: HttpApp, applications: ApplicationService): void {
  const tags = ['applications'];
  const workbench = ['workbench'];

  app.post(
    '/api/v1/applications/drafts',
    {
      schema: {
        tags,
        summary: 'Start a draft application, prefilled from your real-name or enterprise profile',
        body: DraftBody,
        response: { 201: ApplicationViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await applications.startDraft(requirePerson(request), request.body)),
  );

  app.patch(
    '/api/v1/applications/:id',
    { schema: { tags, summary: 'Save answers and materials on a draft', params: ApplicationParams, body: ApplicationContent, response: { 200: ApplicationViewSchema } } },
    async (request) => applications.saveDraft(requirePerson(request), request.params.id, { ...request.body, materials: request.body.materials as MaterialsBody }),
  );

  app.post(
    '/api/v1/applications/:id/submission',
    {
      schema: {
        tags,
        summary: 'Submit a draft',
        description: 'Idempotent: submitting an application again returns it unchanged, with the same tracking number.',
        params: ApplicationParams,
        body: Type.Optional(ApplicationContent),
        response: { 200: ApplicationViewSchema },
      },
    },
    async (request) => applications.submit(requirePerson(request), request.params.id, { ...request.body, materials: request.body?.materials as MaterialsBody }),
  );

  app.post(
    '/api/v1/applications',
    {
      schema: {
        tags,
        summary: 'Apply in one request (draft and submission at once)',
        description: 'Needs an Idempotency-Key header: a retry with the same key returns the application the first request created (200) instead of a second one (201).',
        headers: IdempotencyHeaders,
        body: ApplyBody,
        response: { 200: ApplicationViewSchema, 201: ApplicationViewSchema },
      },
    },
    async (request, reply) => {
      const result = await applications.apply(requirePerson(request), { ...request.body, materials: request.body.materials as MaterialsBody }, request.headers['idempotency-key']);
      return reply.status(result.created ? 201 : 200).send(result.application);
    },
  );

  app.get(
    '/api/v1/applications',
    { schema: { tags, summary: "My applications and those of enterprises I act for", response: { 200: Type.Array(QueueRowSchema) } } },
    async (request) => applications.listMine(requirePerson(request)),
  );

  app.get(
    '/api/v1/applications/:id',
    {
      schema: {
        tags,
        summary: 'One application with its history and time limits',
        description: 'For the applicant (or an agent of the applying enterprise) and officers of the handling or collecting department; staff reads are audited. 404 for anyone else.',
        params: ApplicationParams,
        response: { 200: ApplicationViewSchema },
      },
    },
    async (request) => {
      const principal = requireAccount(request);
      // Staff read applicants' personal data here: only officers and approvers past their second factor.
      if (principal.staffId) requireRole(request, 'officer', 'approver');
      return applications.get(principal, request.params.id);
    },
  );

  app.post(
    '/api/v1/applications/:id/supplement',
    { schema: { tags, summary: 'Answer a supplement request, all in one go', params: ApplicationParams, body: ApplicationContent, response: { 200: ApplicationViewSchema } } },
    async (request) => applications.supplement(requirePerson(request), request.params.id, { ...request.body, materials: request.body.materials as MaterialsBody }),
  );

  app.post(
    '/api/v1/applications/:id/withdrawal',
    { schema: { tags, summary: 'Withdraw an application not yet decided', params: ApplicationParams, body: Type.Optional(WithdrawBody), response: { 200: ApplicationViewSchema } } },
    async (request) => applications.withdraw(requirePerson(request), request.params.id, request.body?.reason),
  );

  app.post(
    '/api/v1/bundle-applications',
    {
      schema: {
        tags,
        summary: 'Apply for a "one thing" bundle: one form, one submission, an application at each department',
        headers: IdempotencyHeaders,
        body: BundleApplyBody,
        response: { 200: BundleSubmissionSchema, 201: BundleSubmissionSchema },
      },
    },
    async (request, reply) => {
      const result = await applications.applyBundle(requirePerson(request), { ...request.body, materials: request.body.materials as MaterialsBody }, request.headers['idempotency-key']);
      return reply.status(result.created ? 201 : 200).send(result.bundle);
    },
  );

  app.get(
    '/api/v1/bundle-applications',
    { schema: { tags, summary: 'My bundle submissions with their combined status', response: { 200: Type.Array(BundleSubmissionSchema) } } },
    async (request) => applications.listMyBundles(requirePerson(request)),
  );

  app.get(
    '/api/v1/bundle-applications/:id',
    { schema: { tags, summary: 'One bundle submission: combined status and results', params: ApplicationParams, response: { 200: BundleSubmissionSchema } } },
    async (request) => applications.getBundleSubmission(requirePerson(request), request.params.id),
  );

  app.get(
    '/api/v1/workbench/applications',
    {
      schema: {
        tags: workbench,
        summary: "The department's queue, least time left first",
        querystring: QueueQuery,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(QueueRowSchema) }) },
      },
    },
    async (request) => applications.queue(requireRole(request, 'officer', 'approver'), request.query),
  );

  app.get(
    '/api/v1/workbench/collected',
    { schema: { tags: workbench, summary: 'Applications this department took in for other regions (异地代收)', response: { 200: Type.Array(QueueRowSchema) } } },
    async (request) => applications.collected(requireRole(request, 'officer', 'approver')),
  );

  app.post(
    '/api/v1/workbench/applications/:id/claim',
    { schema: { tags: workbench, summary: 'Claim an application', params: ApplicationParams, response: { 200: ApplicationViewSchema } } },
    async (request) => applications.claim(requireRole(request, 'officer', 'approver'), request.params.id),
  );

  app.post(
    '/api/v1/workbench/applications/:id/actions/:action',
    {
      schema: {
        tags: workbench,
        summary: 'Take a step of the handling flow',
        description:
          'Only roles the item version’s flow names for the step may act (403); an action the current status does not allow is 409. ' +
          'refuse, reject and requestSupplement need an opinion; requestSupplement lists every missing material and field at once.',
        params: ActionParams,
        body: Type.Optional(OfficerActionBody),
        response: { 200: ApplicationViewSchema },
      },
    },
    async (request) => applications.act(requireRole(request, 'officer', 'approver'), request.params.id, request.params.action, request.body ?? {}),
  );

  app.get(
    '/api/v1/workbench/applications/:id/credit',
    {
      schema: {
        tags: workbench,
        summary: "The applicant's credit standing and the credit commitments made in this application",
        description: 'For officers and approvers of the handling or collecting department; each read is audited against the applicant (person or enterprise).',
        params: ApplicationParams,
        response: { 200: ApplicantCreditSchema },
      },
    },
    async (request) => applications.applicantCredit(requireRole(request, 'officer', 'approver'), request.params.id),
  );

  app.post(
    '/api/v1/workbench/applications/:id/commitments/:materialKey/breach',
    {
      schema: {
        tags: workbench,
        summary: 'Record that a credit commitment was false (承诺不实)',
        description:
          'The handling department, on an open or concluded application: the breach becomes a credit record of the applicant in the same transaction as the event. ' +
          'With requireMaterial the material itself is required at once (a supplement request listing it, even after an earlier one); 409 when the status allows no supplement request.',
        params: CommitmentParams,
        body: BrokenCommitmentBody,
        response: { 200: ApplicationViewSchema },
      },
    },
    async (request) => applications.recordBrokenCommitment(requireRole(request, 'officer', 'approver'), request.params.id, request.params.materialKey, request.body),
  );
}
