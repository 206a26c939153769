import { requireAccount, requireRole } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import type { PolicyAnalyticsService } from './analytics.js';
import type { PolicyInquiryService } from './inquiries.js';
import { loopPages } from './pages/routes.js';
import type { PolicyPushService } from './push.js';
import {
  AnalyticsOverview,
  AnswerBody,
  AskBody,
  CodeParams,
  DepartmentInquiryQuery,
  EnterpriseInquiryParams,
  EnterpriseInquiryQuery,
  EnterpriseParams,
  FeedbackBody,
  FeedbackView,
  InquiryList,
  InquiryParams,
  InquiryView,
  PolicyAnalyticsView,
  PushSettingsBody,
  PushSettingsView,
  RateBody,
} from './schema.js';

export interface PolicyLoopRouteServices {
  policyPush: PolicyPushService;
  policyInquiries: PolicyInquiryService;
  policyAnalytics: PolicyAnalyticsService;
}

/** Routes whose successful GET is one reading of a published policy (the public API and page). */
const POLICY_VIEW_ROUTES = new Set(['/api/v1/policies/:code', '/policies/:code']);

/** Push settings, inquiries and feedback, the owner's analytics (API and pages), and view counting. */
export function policyLoopRoutes(app: HttpApp, services: PolicyLoopRouteServices): void {
  const { policyPush, policyInquiries, policyAnalytics } = services;
  const tags = ['policies'];

  // Counted after the answer is sent, so a reader never waits for it and a failed count never
  // turns into a failed reading.
  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'GET' || reply.statusCode !== 200 || !POLICY_VIEW_ROUTES.has(request.routeOptions.url ?? '')) return;
    const code = (request.params as { code?: unknown }).code;
    if (typeof code !== 'string') return;
    await policyAnalytics.countView(code).catch((error: unknown) => request.log.warn({ err: error, code }, 'counting a policy view failed'));
  });

  // The enterprise

  app.get(
    '/api/v1/enterprises/:id/policy-push-settings',
    {
      schema: {
        tags,
        summary: 'Which categories of policy the enterprise is told about when it becomes eligible',
        description: 'Every category is on until the enterprise opts out. For the legal representative or an agent with the `policies` scope.',
        params: EnterpriseParams,
        response: { 200: PushSettingsView },
      },
    },
    async (request) => policyPush.settings(requireAccount(request), request.params.id),
  );

  app.put(
    '/api/v1/enterprises/:id/policy-push-settings',
    {
      schema: {
        tags,
        summary: 'Opt out of (or back into) notifications per policy category',
        description: 'Replaces the list of categories the enterprise is not told about.',
        params: EnterpriseParams,
        body: PushSettingsBody,
        response: { 200: PushSettingsView },
      },
    },
    async (request) => policyPush.updateSettings(requireAccount(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/enterprises/:id/policy-inquiries',
    { schema: { tags, summary: "The enterprise's questions about policies and the answers", params: EnterpriseParams, querystring: EnterpriseInquiryQuery, response: { 200: InquiryList } } },
    async (request) => policyInquiries.forEnterprise(requireAccount(request), request.params.id, request.query),
  );

  app.post(
    '/api/v1/enterprises/:id/policy-inquiries',
    {
      schema: {
        tags,
        summary: 'Ask the issuing department a question about a published policy',
        description: 'The department answers within INQUIRY_WORKING_DAYS (5) working days of the official calendar; `dueOn` is the last day.',
        params: EnterpriseParams,
        body: AskBody,
        response: { 201: InquiryView },
      },
    },
    async (request, reply) => reply.status(201).send(await policyInquiries.ask(requireAccount(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/enterprises/:id/policy-inquiries/:inquiryId',
    { schema: { tags, summary: "One of the enterprise's questions, with the answer", params: EnterpriseInquiryParams, response: { 200: InquiryView } } },
    async (request) => policyInquiries.inquiryOfEnterprise(requireAccount(request), request.params.id, request.params.inquiryId),
  );

  app.post(
    '/api/v1/enterprises/:id/policy-inquiries/:inquiryId/rating',
    {
      schema: {
        tags,
        summary: 'Rate an answer (once), and optionally the policy',
        description: '409 notAnswered before the answer, 409 alreadyRated after a rating.',
        params: EnterpriseInquiryParams,
        body: RateBody,
        response: { 200: InquiryView },
      },
    },
    async (request) => policyInquiries.rate(requireAccount(request), request.params.id, request.params.inquiryId, request.body),
  );

  app.put(
    '/api/v1/enterprises/:id/policy-feedback',
    {
      schema: { tags, summary: "The enterprise's satisfaction with a policy; a later one replaces it", params: EnterpriseParams, body: FeedbackBody, response: { 200: FeedbackView } },
    },
    async (request) => policyInquiries.feedback(requireAccount(request), request.params.id, request.body),
  );

  // Policy officers

  app.get(
    '/api/v1/department/policy-inquiries',
    {
      schema: {
        tags,
        summary: "Questions about the department's policies: open ones soonest due first, each flagged when overdue",
        querystring: DepartmentInquiryQuery,
        response: { 200: InquiryList },
      },
    },
    async (request) => policyInquiries.forDepartment(requireRole(request, 'policyOfficer'), request.query),
  );

  app.get(
    '/api/v1/department/policy-inquiries/:inquiryId',
    { schema: { tags, summary: 'One question about a policy of the department', params: InquiryParams, response: { 200: InquiryView } } },
    async (request) => policyInquiries.forOfficer(requireRole(request, 'policyOfficer'), request.params.inquiryId),
  );

  app.post(
    '/api/v1/department/policy-inquiries/:inquiryId/answer',
    {
      schema: {
        tags,
        summary: 'Answer a question (once); the enterprise is told',
        description: '409 alreadyAnswered when answered before; 403 otherDepartment for another department’s policy.',
        params: InquiryParams,
        body: AnswerBody,
        response: { 200: InquiryView },
      },
    },
    async (request) => policyInquiries.answer(requireRole(request, 'policyOfficer'), request.params.inquiryId, request.body),
  );

  app.get(
    '/api/v1/department/policy-analytics',
    { schema: { tags, summary: "Headline figures of each of the department's policies", response: { 200: AnalyticsOverview } } },
    async (request) => policyAnalytics.overview(requireRole(request, 'policyOfficer')),
  );

  app.get(
    '/api/v1/department/policies/:code/analytics',
    {
      schema: {
        tags,
        summary: 'Analytics of one of the department’s policies',
        description:
          'Views, matches by outcome, near misses by the one condition they failed (most excluding first), claims and grants, uptake rate ((claims + grants) ÷ eligible), inquiries, satisfaction.',
        params: CodeParams,
        response: { 200: PolicyAnalyticsView },
      },
    },
    async (request) => policyAnalytics.forPolicy(requireRole(request, 'policyOfficer'), request.params.code),
  );

  loopPages(app, services);
}
