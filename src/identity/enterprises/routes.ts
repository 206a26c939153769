import { Type } from '@sinclair/typebox';
import { requirePerson } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import { AgentParams, AgentView, EnterpriseParams, EnterpriseView, GrantAgentBody, MyEnterprise, OpenEnterpriseBody, ProfilePatch } from './schema.js';
import type { EnterpriseService } from './service.js';
import { AccessLogEntry, AccessLogQuery } from '../schema.js';
import { sendAccessLog } from '../routes.js';

/** Enterprises and their agents, for signed-in persons. Thin: the service decides everything. */
export function enterpriseRoutes(app: HttpApp, enterprises: EnterpriseService): void {
  const tags = ['enterprises'];

  app.post(
    '/api/v1/enterprises',
    {
      schema: {
        tags,
        summary: 'Open an enterprise as its legal representative',
        description:
          'The USCC must be known to the enterprise registry with the signed-in person (real-name level 2 or more) as legal representative. ' +
          'The profile is copied from the registry. An enterprise opens once (409). Amounts are yuan.',
        body: OpenEnterpriseBody,
        response: { 201: EnterpriseView },
      },
    },
    async (request, reply) => reply.status(201).send(await enterprises.openEnterprise(requirePerson(request), request.body)),
  );

  app.get(
    '/api/v1/enterprises',
    { schema: { tags, summary: 'Enterprises I represent or am a live agent of, with my role and scopes', response: { 200: Type.Array(MyEnterprise) } } },
    async (request) => enterprises.myEnterprises(requirePerson(request)),
  );

  app.get(
    '/api/v1/enterprises/:id',
    {
      schema: {
        tags,
        summary: 'An enterprise profile with its derived size class',
        description: 'For the legal representative and live agents; 404 for anyone else, 403 with the reason for an expired or revoked agent.',
        params: EnterpriseParams,
        response: { 200: EnterpriseView },
      },
    },
    async (request) => enterprises.getEnterprise(requirePerson(request), request.params.id),
  );

  app.get(
    '/api/v1/enterprises/:id/access-log',
    {
      schema: {
        tags,
        summary: "Who in government looked at or acted on the enterprise's records",
        description:
          'Staff reads (applications, materials, certificates, questions), departmental clients and administrators, newest first; ' +
          'for the legal representative and live agents, 404 for anyone else. Keyset paged like /api/v1/identity/me/access-log.',
        params: EnterpriseParams,
        querystring: AccessLogQuery,
        response: { 200: Type.Array(AccessLogEntry) },
      },
    },
    async (request, reply) => sendAccessLog(request, reply, await enterprises.accessLog(requirePerson(request), request.params.id, request.query)),
  );

  app.patch(
    '/api/v1/enterprises/:id/profile',
    {
      schema: {
        tags,
        summary: 'Update the profile the enterprise maintains (legal representative or agent with scope "profile")',
        description: 'Send only the fields to change; null clears a value. operatingRevenue and totalAssets are yuan with at most two decimals.',
        params: EnterpriseParams,
        body: ProfilePatch,
        response: { 200: EnterpriseView },
      },
    },
    async (request) => enterprises.updateProfile(requirePerson(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/enterprises/:id/agents',
    {
      schema: {
        tags,
        summary: "The enterprise's agent authorisations",
        description: 'The legal representative sees every authorisation; an agent sees only their own.',
        params: EnterpriseParams,
        response: { 200: Type.Array(AgentView) },
      },
    },
    async (request) => enterprises.listAgents(requirePerson(request), request.params.id),
  );

  app.post(
    '/api/v1/enterprises/:id/agents',
    {
      schema: {
        tags,
        summary: 'Authorise a verified person as agent (legal representative only)',
        description: 'Scopes: profile, applications, policies, credit. The authorisation holds until the end of expiresOn (Asia/Shanghai), at most 3 years ahead.',
        params: EnterpriseParams,
        body: GrantAgentBody,
        response: { 201: AgentView },
      },
    },
    async (request, reply) => reply.status(201).send(await enterprises.grantAgent(requirePerson(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/v1/enterprises/:id/agents/:agentId',
    { schema: { tags, summary: 'Revoke an agent authorisation (legal representative only); it stops working at once', params: AgentParams } },
    async (request, reply) => {
      await enterprises.revokeAgent(requirePerson(request), request.params.id, request.params.agentId);
      return reply.status(204).send();
    },
  );
}
