import { Type } from '@sinclair/typebox';
import { requireAccount, requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import type { PolicyLibraryService } from './library/service.js';
import type { PolicyMatchingService } from './matching/service.js';
import {
  CodeParams,
  DeclareBody,
  EnterpriseMatchReportSchema,
  EnterpriseParams,
  ExportQuery,
  ImportReportSchema,
  MatchReportSchema,
  OnQuery,
  PolicyFileSchema,
  PolicyListQuery,
  PolicySummarySchema,
  PolicyVersionSchema,
  ReviewBody,
  ScreenBody,
} from './schema.js';

/**
 * Match reports are large (every condition of every policy that applies, explained) and made of
 * unions (a fact's value is a string, a number, a flag or a list), which the schema-driven
 * serializer checks alternative by alternative; the engine's own JSON.stringify writes them many
 * times faster. The schema still documents the answer.
 */
const plainJson = () => (data: unknown) => JSON.stringify(data);

/** A whole library of 1,262 policies with examples fits comfortably; larger files are split. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export interface PolicyRouteServices {
  policyLibrary: PolicyLibraryService;
  policyMatching: PolicyMatchingService;
}

/** The policy zone's API: the public library and screener, enterprises' matches, officers' library work. */
export function policyRoutes(app: HttpApp, { policyLibrary, policyMatching }: PolicyRouteServices): void {
  const tags = ['policies'];

  app.get(
    '/api/v1/policies',
    { schema: { tags, summary: 'Published policies', querystring: PolicyListQuery, response: { 200: Type.Array(PolicySummarySchema) } } },
    async (request) => policyLibrary.listPublished(request.query),
  );

  app.get(
    '/api/v1/policies/export',
    {
      schema: {
        tags,
        summary: 'Published policies in the interchange format (docs/policy-format.md)',
        querystring: ExportQuery,
        response: { 200: PolicyFileSchema },
      },
    },
    async (request) => policyLibrary.exportFile({ codes: request.query.codes?.split(',').map((c) => c.trim()).filter(Boolean) }),
  );

  app.get(
    '/api/v1/policies/:code',
    { schema: { tags, summary: 'A published policy, as currently in force', params: CodeParams, response: { 200: PolicyVersionSchema } } },
    async (request) => policyLibrary.published(request.params.code),
  );

  app.post(
    '/api/v1/policies/screen',
    {
      serializerCompiler: plainJson,
      schema: {
        tags,
        summary: 'Anonymous screener: match answers against the published policies',
        description:
          'Nothing is stored. Each result explains every condition (pass, fail, unknown); facts not given stay unknown (never zero) and come back as questions.',
        body: ScreenBody,
        response: { 200: MatchReportSchema },
      },
    },
    async (request) => policyMatching.screen(request.body.answers, { on: request.body.on }),
  );

  app.get(
    '/api/v1/enterprises/:id/policy-matches',
    {
      serializerCompiler: plainJson,
      schema: {
        tags,
        summary: "Match the enterprise's own profile against the published policies",
        description: 'For the legal representative or an agent with the `policies` scope.',
        params: EnterpriseParams,
        querystring: OnQuery,
        response: { 200: EnterpriseMatchReportSchema },
      },
    },
    async (request) => policyMatching.forEnterprise(requireAccount(request), request.params.id, { on: request.query.on }),
  );

  app.put(
    '/api/v1/enterprises/:id/policy-facts',
    {
      schema: {
        tags,
        summary: 'Answer the questions a match asked (facts the authorities do not hold); null withdraws an answer',
        params: EnterpriseParams,
        body: DeclareBody,
      },
    },
    async (request, reply) => {
      await policyMatching.declare(requireAccount(request), request.params.id, request.body.answers);
      return reply.status(204).send();
    },
  );

  // Policy officers

  app.post(
    '/api/v1/policies/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: "Import policies in the interchange format into the officer's department",
        description:
          'New codes become draft policies and changed documents new draft versions. One problem anywhere imports nothing: the 422 answer lists every problem with its JSON path.',
        body: Type.Unknown({ description: 'A file {"format": "tongban-policy/1", "policies": [...]} (docs/policy-format.schema.json)' }),
        response: { 200: ImportReportSchema },
      },
    },
    async (request) => policyLibrary.importFile(requireRole(request, 'policyOfficer'), request.body),
  );

  app.get(
    '/api/v1/department/policies/export',
    {
      schema: { tags, summary: "The latest versions of the department's own policies, drafts included", querystring: ExportQuery, response: { 200: PolicyFileSchema } },
    },
    async (request) =>
      policyLibrary.exportFile({ latestOf: requireRole(request, 'policyOfficer'), codes: request.query.codes?.split(',').map((c) => c.trim()).filter(Boolean) }),
  );

  app.get(
    '/api/v1/department/policies/:code',
    { schema: { tags, summary: 'The latest version of one of the department’s policies', params: CodeParams, response: { 200: PolicyVersionSchema } } },
    async (request) => policyLibrary.latestView(request.params.code, requireRole(request, 'policyOfficer')),
  );

  app.post(
    '/api/v1/department/policies/:code/submit',
    { schema: { tags, summary: 'Submit the latest draft for review', params: CodeParams, response: { 200: PolicyVersionSchema } } },
    async (request) => policyLibrary.submitForReview(requireRole(request, 'policyOfficer'), request.params.code),
  );

  app.post(
    '/api/v1/department/policies/:code/review',
    {
      schema: {
        tags,
        summary: 'Approve (publish) or reject the version under review',
        description:
          'By a policy officer of the department other than its author. Publishing checks that the examples give their expected outcomes, an apply-mode policy names a published service item, and an automatic one reads only facts authorities hold.',
        params: CodeParams,
        body: ReviewBody,
        response: { 200: PolicyVersionSchema },
      },
    },
    async (request) => policyLibrary.review(requireRole(request, 'policyOfficer'), request.params.code, request.body),
  );

  app.post(
    '/api/v1/department/policies/:code/withdraw',
    { schema: { tags, summary: 'Withdraw a published policy', params: CodeParams } },
    async (request, reply) => {
      await policyLibrary.withdraw(requireRole(request, 'policyOfficer'), request.params.code);
      return reply.status(204).send();
    },
  );
}
