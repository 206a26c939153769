import type { HttpApp } from '../../core/http.js';
import { applyPages } from './apply.js';
import type { ApplicationPageDeps } from './context.js';
import { statusPages } from './status.js';
import { workbenchPages } from './workbench.js';

export type { ApplicationPageDeps } from './context.js';

/**
 * The applications part of the portal: applying (an item or a "one thing" bundle), following an
 * application and answering a supplement request, and the officer workbench. Every page works
 * without JavaScript: plain forms that post and redirect.
 */
export function applicationPages(app: HttpApp, deps: ApplicationPageDeps): void {
  applyPages(app, deps);
  statusPages(app, deps);
  workbenchPages(app, deps);
}
