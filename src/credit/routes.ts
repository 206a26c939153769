import { Type } from '@sinclair/typebox';
import { requireClient, requirePerson, requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import { sendFileContent } from '../files/routes.js';
import { CREDIT_REPORT_SCOPE } from '../identity/oidc/schema.js';
import { importCreditCsv, IMPORT_MAX_BYTES } from './csv-import.js';
import {
  IdParams,
  ImportResult,
  LookupQuery,
  PublicLookup,
  RecordInput,
  RepairBody,
  RepairDecisionBody,
  RepairFileParams,
  RepairView,
  ReportResult,
  StaffQuery,
  SubjectRecords,
} from './schema.js';
import type { CreditService } from './service.js';

const tags = ['credit'];

/** Credit records: departments report, the public looks up, staff read (audited), subjects apply for repair. Thin. */
export function creditRoutes(app: HttpApp, credit: CreditService): void {
  if (!app.hasContentTypeParser('text/csv')) {
    app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) => done(null, body));
  }

  app.get(
    '/api/v1/credit/lookup',
    {
      schema: {
        tags,
        summary: 'Public credit lookup by USCC or enterprise name (no login)',
        description: 'Enterprises only; records in their public period; only the always-public fields and those the issuing department published.',
        querystring: LookupQuery,
        response: { 200: PublicLookup },
      },
    },
    async (request) => credit.publicLookup(request.query.q),
  );

  app.post(
    '/api/v1/credit/records',
    {
      schema: {
        tags,
        summary: "Report a credit record of the client's department (client credentials, scope credit:report)",
        description: 'Idempotent by (department, documentNumber): the same report again answers 200 with the existing record; a different report under a used number is 409 documentNumberTaken.',
        body: RecordInput,
        response: { 201: ReportResult, 200: ReportResult },
      },
    },
    async (request, reply) => {
      const result = await credit.reportFromClient(requireClient(request, CREDIT_REPORT_SCOPE), request.body);
      return reply.status(result.created ? 201 : 200).send(result);
    },
  );

  app.post(
    '/api/v1/credit/imports',
    {
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        tags,
        summary: 'Import credit records from CSV (client credentials, scope credit:report)',
        description: 'Content-Type text/csv, UTF-8 with or without BOM, header row (see docs/credit.md). All or nothing: 422 with every row-level problem, or 200 with the counts.',
        consumes: ['text/csv'],
        body: Type.String(),
        response: { 200: ImportResult, 422: ImportResult },
      },
    },
    async (request, reply) => {
      const client = requireClient(request, CREDIT_REPORT_SCOPE);
      const reporter = await credit.clientReporter(client, 'csv');
      const result = await importCreditCsv(credit, reporter, request.body, request.locale);
      return reply.status(result.errors.length ? 422 : 200).send(result);
    },
  );

  app.get(
    '/api/v1/credit/records',
    {
      schema: {
        tags,
        summary: "A subject's full credit records for authorised staff (audited with the purpose)",
        description: 'Supervisors see every record of subjects in their region; officers and approvers see the records their own department issued.',
        querystring: StaffQuery,
        response: { 200: SubjectRecords },
      },
    },
    async (request) => credit.staffRecords(requireRole(request, 'supervisor', 'officer', 'approver'), request.query, request.query.purpose),
  );

  app.get(
    '/api/v1/credit/me',
    { schema: { tags, summary: 'My own credit records (a person)', response: { 200: SubjectRecords } } },
    async (request) => credit.myRecords(requirePerson(request)),
  );

  app.get(
    '/api/v1/enterprises/:id/credit',
    {
      schema: { tags, summary: "An enterprise's credit records (its legal representative or an agent with scope credit)", params: IdParams, response: { 200: SubjectRecords } },
    },
    async (request) => {
      const { standing, records } = await credit.enterpriseRecords(requirePerson(request), request.params.id);
      return { standing, records };
    },
  );

  app.post(
    '/api/v1/credit/records/:id/repairs',
    {
      schema: {
        tags,
        summary: 'Apply for credit repair of a record (the person concerned, or for the enterprise with scope credit)',
        description: 'Only for penalties, broken commitments and listings, after the minimum period (409 repairTooEarly names the date); one pending application at a time.',
        params: IdParams,
        body: RepairBody,
        response: { 201: RepairView },
      },
    },
    async (request, reply) => reply.status(201).send(await credit.applyRepair(requirePerson(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/credit/repairs',
    {
      schema: {
        tags,
        summary: 'Repair applications to my department (officer or approver of the issuing department)',
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')])) }),
        response: { 200: Type.Array(RepairView) },
      },
    },
    async (request) => credit.departmentRepairs(requireRole(request, 'officer', 'approver'), request.query.status ?? 'pending'),
  );

  app.post(
    '/api/v1/credit/repairs/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approve or reject a repair application (issuing department)',
        description: 'Approved: the record is marked repaired and leaves the public view; a repaired listing leaves the list and the policy fact untrustworthy is cleared.',
        params: IdParams,
        body: RepairDecisionBody,
        response: { 200: RepairView },
      },
    },
    async (request) => credit.decideRepair(requireRole(request, 'officer', 'approver'), request.params.id, request.body),
  );

  app.get(
    '/api/v1/credit/repairs/:id/files/:fileId',
    {
      schema: {
        tags,
        summary: 'Download a scan of the evidence of a repair application (issuing department; the read is audited)',
        description: 'Sent as an attachment with its real type and X-Content-Type-Options: nosniff. 404 for a file of another application or department; the refused attempt is audited too.',
        params: RepairFileParams,
      },
    },
    async (request, reply) => sendFileContent(reply, await credit.repairFileForStaff(requireRole(request, 'officer', 'approver'), request.params.id, request.params.fileId)),
  );
}
