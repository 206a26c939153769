import type { HttpApp } from '../../core/http.js';
import type { EvaluationService } from '../service.js';
import { reviewPages } from './review.js';
import { workbenchPages } from './workbench.js';

/** The evaluation part of the portal: the applicant's review page and the staff workbench pages. */
export function evaluationPages(app: HttpApp, evaluation: EvaluationService): void {
  reviewPages(app, evaluation);
  workbenchPages(app, evaluation);
}
