import type { HttpApp } from '../../core/http.js';
import { accessLogPages } from './access-log.js';
import { accountPages } from './account.js';
import type { IdentityPageDeps } from './context.js';
import { enterprisePages } from './enterprises.js';
import { homePages } from './home.js';
import { loginPages } from './login.js';
import { outboxPages } from './outbox.js';
import { registrationPages } from './register.js';

export type { IdentityPageDeps } from './context.js';

/** The identity part of the portal: home, registration, sign-in, my account, enterprises, dev outbox. */
export function identityPageRoutes(app: HttpApp, deps: IdentityPageDeps): void {
  homePages(app);
  registrationPages(app, deps);
  loginPages(app, deps);
  accountPages(app, deps);
  enterprisePages(app, deps);
  accessLogPages(app, deps);
  outboxPages(app, deps);
}
