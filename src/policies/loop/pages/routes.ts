import type { HttpApp } from '../../../core/http.js';
import type { PolicyAnalyticsService } from '../analytics.js';
import type { PolicyInquiryService } from '../inquiries.js';
import type { PolicyPushService } from '../push.js';
import { departmentPages } from './department.js';
import { enterprisePages } from './enterprise.js';

/** The loop's portal pages: the enterprise's questions and notification settings, the officers' questions and analytics. */
export function loopPages(app: HttpApp, services: { policyInquiries: PolicyInquiryService; policyPush: PolicyPushService; policyAnalytics: PolicyAnalyticsService }): void {
  enterprisePages(app, services);
  departmentPages(app, services);
}
