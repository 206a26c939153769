import { Type } from '@sinclair/typebox';
import { requirePerson, requireRole } from '../core/auth.js';
import type { HttpApp } from '../core/http.js';
import {
  AppealBody,
  AppealQuery,
  ApplicantContact,
  DecisionBody,
  DepartmentParams,
  IdParams,
  ItemParams,
  RectificationList,
  RectificationQuery,
  RectificationRatingBody,
  RectificationView,
  ResponseBody,
  ReviewBody,
  ReviewView,
  SatisfactionView,
} from './schema.js';
import type { EvaluationService } from './service.js';

/** Good/bad reviews: the applicant's, the department's, the supervisor's and the public's routes. Thin. */
export function evaluationRoutes(app: HttpApp, evaluation: EvaluationService): void {
  const tags = ['evaluation'];

  app.post(
    '/api/v1/applications/:id/review',
    {
      schema: {
        tags,
        summary: 'Rate a concluded application (its applicant, once)',
        description:
          'Only when the application is concluded or delivered (409 applicationNotConcluded); a second review is 409 alreadyReviewed. ' +
          'A rating of 1 or 2 needs a comment and opens a rectification case for the handling department, due in RECTIFICATION_WORKING_DAYS working days.',
        params: IdParams,
        body: ReviewBody,
        response: { 201: ReviewView },
      },
    },
    async (request, reply) => reply.status(201).send(await evaluation.review(requirePerson(request), request.params.id, request.body)),
  );

  app.get(
    '/api/v1/applications/:id/review',
    {
      schema: {
        tags,
        summary: "My review of an application, with the department's response and any appeal",
        description: '404 reviewNotFound until the application has been reviewed; 404 applicationNotFound for anyone but the applicant.',
        params: IdParams,
        response: { 200: ReviewView },
      },
    },
    async (request) => evaluation.getReviewForApplicant(requirePerson(request), request.params.id),
  );

  app.post(
    '/api/v1/reviews/:id/rectification-rating',
    {
      schema: {
        tags,
        summary: 'Rate how the department dealt with my bad review (once, after it responded)',
        params: IdParams,
        body: RectificationRatingBody,
        response: { 200: ReviewView },
      },
    },
    async (request) => evaluation.rateRectification(requirePerson(request), request.params.id, request.body),
  );

  app.get(
    '/api/v1/rectifications',
    {
      schema: {
        tags,
        summary: "My department's rectification cases, soonest due first (officer or approver)",
        querystring: RectificationQuery,
        response: { 200: RectificationList },
      },
    },
    async (request) => evaluation.listRectifications(requireRole(request, 'officer', 'approver'), request.query),
  );

  app.get(
    '/api/v1/rectifications/:id',
    { schema: { tags, summary: 'One rectification case of my department', params: IdParams, response: { 200: RectificationView } } },
    async (request) => evaluation.getRectification(requireRole(request, 'officer', 'approver'), request.params.id),
  );

  app.get(
    '/api/v1/rectifications/:id/contact',
    {
      schema: {
        tags,
        summary: "The applicant's name and phone number for the call back",
        description: 'Every call is recorded in the audit trail as a read of personal data, which the applicant sees on their account page.',
        params: IdParams,
        response: { 200: ApplicantContact },
      },
    },
    async (request) => evaluation.applicantContact(requireRole(request, 'officer', 'approver'), request.params.id),
  );

  app.post(
    '/api/v1/rectifications/:id/response',
    {
      schema: {
        tags,
        summary: 'Record the call back and the response (case open, or its appeal dismissed)',
        params: IdParams,
        body: ResponseBody,
        response: { 200: RectificationView },
      },
    },
    async (request) => evaluation.respond(requireRole(request, 'officer', 'approver'), request.params.id, request.body),
  );

  app.post(
    '/api/v1/rectifications/:id/appeal',
    {
      schema: {
        tags,
        summary: 'Appeal a review as unfounded or malicious (once, before responding); the deadline pauses',
        params: IdParams,
        body: AppealBody,
        response: { 200: RectificationView },
      },
    },
    async (request) => evaluation.appeal(requireRole(request, 'officer', 'approver'), request.params.id, request.body),
  );

  app.get(
    '/api/v1/appeals',
    {
      schema: {
        tags,
        summary: 'Appeals of departments within my region (supervisor)',
        querystring: AppealQuery,
        response: { 200: Type.Array(RectificationView) },
      },
    },
    async (request) => evaluation.listAppeals(requireRole(request, 'supervisor'), request.query.state),
  );

  app.post(
    '/api/v1/appeals/:id/decision',
    {
      schema: {
        tags,
        summary: 'Decide an appeal (supervisor of a region covering the department)',
        description: 'upheld: the review is left out of public satisfaction. dismissed: the department must respond, with the working days it had left.',
        params: IdParams,
        body: DecisionBody,
        response: { 200: RectificationView },
      },
    },
    async (request) => evaluation.decideAppeal(requireRole(request, 'supervisor'), request.params.id, request.body),
  );

  app.get(
    '/api/v1/satisfaction/items/:itemId',
    { schema: { tags, summary: 'Public satisfaction with a service item', params: ItemParams, response: { 200: SatisfactionView } } },
    async (request) => evaluation.satisfactionByItem(request.params.itemId),
  );

  app.get(
    '/api/v1/satisfaction/departments/:departmentId',
    { schema: { tags, summary: 'Public satisfaction with a department', params: DepartmentParams, response: { 200: SatisfactionView } } },
    async (request) => evaluation.satisfactionByDepartment(request.params.departmentId),
  );
}
