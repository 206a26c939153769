import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { requireAccount, requirePerson, requireRole } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import { translate, type Locale } from '../../core/i18n.js';
import type { MaterialInput } from '../../applications/service.js';
import type { PolicyClaimService } from './claims.js';
import { csvLine, UTF8_BOM } from './csv.js';
import type { BatchView, PolicyGrantService } from './grants.js';
import { yuanText } from './money.js';
import { BatchPageQuery, BatchPageSchema, BatchParams, BatchSchema, ClaimBody, ClaimHeaders, ClaimSchema, CodeParams, EnterpriseParams, GrantSchema } from './schema.js';

export interface BenefitRouteServices {
  policyClaims: PolicyClaimService;
  policyGrants: PolicyGrantService;
}

/** The CSV of a batch, streamed a chunk at a time: a header in the reader's language, then one line per enterprise. */
export function batchCsv(locale: Locale, chunks: AsyncGenerator<{ uscc: string; name: string | null; amountFen: number | null }[]>): Readable {
  async function* lines() {
    yield UTF8_BOM + csvLine([translate(locale, 'policies.benefits.csv.uscc'), translate(locale, 'policies.benefits.csv.name'), translate(locale, 'policies.benefits.csv.amount')]);
    for await (const rows of chunks) {
      // The amount is written as the number it is (two decimals at most), never as formula-like text.
      yield rows.map((row) => csvLine([row.uscc, row.name, row.amountFen === null ? null : Number(yuanText(row.amountFen))])).join('');
    }
  }
  return Readable.from(lines());
}

export const batchCsvFilename = (batch: BatchView) => `grants-${batch.policy.code}-v${batch.policy.version}-${batch.scannedOn}.csv`;

/** Claims and grants: enterprises claim and see theirs; policy officers scan, review, approve and export. */
export function policyBenefitRoutes(app: HttpApp, { policyClaims, policyGrants }: BenefitRouteServices): void {
  const tags = ['policies'];

  app.post(
    '/api/v1/enterprises/:id/policy-claims',
    {
      schema: {
        tags,
        summary: 'Claim an apply-mode policy in one step (one-stop claim)',
        description:
          "Eligibility is checked again on the enterprise's facts now; 409 with every failing or unknown condition when it is not eligible. An eligible claim becomes an application on the policy's service item, prefilled from the profile and submitted to the department. Needs an Idempotency-Key: a retry returns the first claim (200). For the legal representative, or an agent with the `policies` and `applications` scopes.",
        params: EnterpriseParams,
        headers: ClaimHeaders,
        body: ClaimBody,
        response: { 200: ClaimSchema, 201: ClaimSchema },
      },
    },
    async (request, reply) => {
      const { policyCode, form, materials, reuseHeldMaterials } = request.body;
      const result = await policyClaims.claim(
        requirePerson(request),
        request.params.id,
        policyCode,
        { ...(form ? { form } : {}), ...(materials ? { materials: materials as Record<string, MaterialInput | null> } : {}), reuseHeldMaterials: reuseHeldMaterials ?? false },
        request.headers['idempotency-key'],
      );
      return reply.status(result.created ? 201 : 200).send(result.claim);
    },
  );

  app.get(
    '/api/v1/enterprises/:id/policy-claims',
    { schema: { tags, summary: "The enterprise's claims, newest first, with their applications' status", params: EnterpriseParams, response: { 200: Type.Array(ClaimSchema) } } },
    async (request) => policyClaims.claimsOf(requireAccount(request), request.params.id),
  );

  app.get(
    '/api/v1/enterprises/:id/policy-grants',
    { schema: { tags, summary: 'Grants the enterprise received without applying (免申即享), newest first', params: EnterpriseParams, response: { 200: Type.Array(GrantSchema) } } },
    async (request) => policyGrants.grantsOf(requireAccount(request), request.params.id),
  );

  app.post(
    '/api/v1/department/policies/:code/grant-batches',
    {
      schema: {
        tags,
        summary: 'Scan the population for an automatic policy: a batch of eligible enterprises with amounts, for review',
        description: 'The published rule, compiled to SQL, over every enterprise profile within the policy’s regions; enterprises granted under the version already are left out.',
        params: CodeParams,
        response: { 201: BatchSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await policyGrants.scan(requireRole(request, 'policyOfficer'), request.params.code)),
  );

  app.get(
    '/api/v1/department/policies/:code/grant-batches',
    { schema: { tags, summary: "The policy's grant batches, newest first", params: CodeParams, response: { 200: Type.Array(BatchSchema) } } },
    async (request) => policyGrants.batches(requireRole(request, 'policyOfficer'), request.params.code),
  );

  app.get(
    '/api/v1/department/policy-grant-batches/:id',
    { schema: { tags, summary: 'A batch and one page of its enterprises (by USCC)', params: BatchParams, querystring: BatchPageQuery, response: { 200: BatchPageSchema } } },
    async (request) => policyGrants.batch(requireRole(request, 'policyOfficer'), request.params.id, request.query),
  );

  app.post(
    '/api/v1/department/policy-grant-batches/:id/approval',
    {
      schema: {
        tags,
        summary: 'Approve a reviewed batch: one grant per enterprise and version, each enterprise notified once',
        params: BatchParams,
        response: { 200: BatchSchema },
      },
    },
    async (request) => policyGrants.approve(requireRole(request, 'policyOfficer'), request.params.id),
  );

  app.post(
    '/api/v1/department/policy-grant-batches/:id/discard',
    { schema: { tags, summary: 'Discard a batch without granting anything', params: BatchParams, response: { 200: BatchSchema } } },
    async (request) => policyGrants.discard(requireRole(request, 'policyOfficer'), request.params.id),
  );

  app.get(
    '/api/v1/department/policy-grant-batches/:id/export',
    {
      schema: {
        tags,
        summary: 'The batch as CSV (UTF-8 with a byte order mark, for Excel)',
        params: BatchParams,
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const { batch, chunks } = await policyGrants.exportRows(requireRole(request, 'policyOfficer'), request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${batchCsvFilename(batch)}"`)
        .header('cache-control', 'no-store')
        .send(batchCsv(request.locale ?? 'zh-CN', chunks));
    },
  );
}
