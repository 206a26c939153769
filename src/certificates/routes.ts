import { Type } from '@sinclair/typebox';
import { STAFF_ROLES, requireAccount, requirePerson, requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import {
  CertificateParams,
  CertificateView,
  CodeParams,
  JwsBody,
  PublicVerification,
  RevocationBody,
  ShareBody,
  ShareParams,
  ShareView,
} from './schema.js';
import type { CertificateService } from './service.js';

/** Electronic certificates: public verification, the holder's own, staff revocation. Thin: the service decides. */
export function certificateRoutes(app: HttpApp, certificates: CertificateService): void {
  const tags = ['certificates'];

  app.get(
    '/api/v1/certificates/verification/:code',
    {
      schema: {
        tags,
        summary: 'Verify a certificate by its verification code (public, no sign-in)',
        description: 'Dashes, spaces and case are ignored. Shows only the fields marked public and the holder name masked. Unknown code: 404.',
        params: CodeParams,
        response: { 200: PublicVerification },
      },
    },
    async (request) => certificates.verify(request.params.code),
  );

  app.post(
    '/api/v1/certificates/verification',
    {
      schema: {
        tags,
        summary: 'Verify a certificate JWS (public, no sign-in)',
        description:
          'Checks the EdDSA signature against the platform keys (also published at /oidc/jwks for offline checks) and answers the current status from the register. ' +
          'A changed or foreign JWS: 400 with code signatureInvalid.',
        body: JwsBody,
        response: { 200: PublicVerification },
      },
    },
    async (request) => certificates.verifyJws(request.body.jws),
  );

  app.get(
    '/api/v1/certificates',
    {
      schema: {
        tags,
        summary: "My certificates and those of the enterprises I act for (legal representative, or agent with scope 'applications')",
        response: { 200: Type.Array(CertificateView) },
      },
    },
    async (request) => certificates.listForHolder(requirePerson(request)),
  );

  app.get(
    '/api/v1/certificates/:id',
    {
      schema: {
        tags,
        summary: 'A certificate in full',
        description:
          'For its holder. Staff of the issuing department, or of a department the holder shared it with, may read it too; each staff read is audited. Anyone else: 404.',
        params: CertificateParams,
        response: { 200: CertificateView },
      },
    },
    async (request) => {
      const principal = requireAccount(request);
      // Staff act only past their second factor.
      if (principal.staffId) requireRole(request, ...STAFF_ROLES);
      return certificates.get(principal, request.params.id);
    },
  );

  app.get(
    '/api/v1/certificates/:id/shares',
    { schema: { tags, summary: 'The departments I let see this certificate, live and withdrawn', params: CertificateParams, response: { 200: Type.Array(ShareView) } } },
    async (request) => certificates.listShares(requirePerson(request), request.params.id),
  );

  app.post(
    '/api/v1/certificates/:id/shares',
    {
      schema: {
        tags,
        summary: 'Consent to a department seeing this certificate',
        description: 'The consent is recorded and audited; staff of that department can then read the certificate (each read audited) until it is withdrawn.',
        params: CertificateParams,
        body: ShareBody,
        response: { 201: ShareView },
      },
    },
    async (request, reply) => reply.status(201).send(await certificates.share(requirePerson(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/certificates/:id/shares/:shareId',
    { schema: { tags, summary: 'Withdraw a consent to share; it stops working at once', params: ShareParams } },
    async (request, reply) => {
      await certificates.revokeShare(requirePerson(request), request.params.id, request.params.shareId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/certificates/:id/revocation',
    {
      schema: {
        tags,
        summary: 'Revoke a certificate (officer or approver of the issuing department)',
        description: 'Staff of another department: 403 (audited). Already revoked: 409.',
        params: CertificateParams,
        body: RevocationBody,
        response: { 200: CertificateView },
      },
    },
    async (request) => certificates.revoke(requireRole(request, 'officer', 'approver'), request.params.id, request.body.reason),
  );
}
