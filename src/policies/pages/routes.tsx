import type { HttpApp } from '../../core/http.js';
import { sendPage, tr } from '../../web/page.js';
import type { PolicyPageDeps } from './context.js';
import { detailPages } from './detail.js';
import { enterprisePages } from './enterprise.js';
import { LibraryPage, libraryFilterOf } from './library.js';
import { officerPages } from './officer.js';
import { screenerPages } from './screener.js';
import { rawValues } from './answers.js';
import './messages.js';

export type { PolicyPageDeps } from './context.js';

/**
 * The policy zone's pages: the public library, the anonymous screener and each policy's page;
 * an enterprise's matches ("my policies") with its answers to the questions; and the policy
 * officers' library work. Every page works without JavaScript: GET forms for what only reads,
 * posted forms (with the CSRF token) that redirect for what changes.
 */
export function policyPages(app: HttpApp, deps: PolicyPageDeps): void {
  app.get('/policies', { schema: { hide: true } }, async (request, reply) => {
    const filter = libraryFilterOf(rawValues(request.query));
    const today = deps.policyMatching.today();
    const [entries, all] = await Promise.all([
      deps.policyLibrary.listPublished({
        ...(filter.category ? { category: filter.category } : {}),
        ...(filter.mode ? { mode: filter.mode } : {}),
        ...(filter.region ? { region: filter.region } : {}),
        ...(filter.inForce ? { on: today } : {}),
      }),
      deps.policyLibrary.listPublished(),
    ]);
    const allRegions = [...new Set(all.flatMap((entry) => entry.regions))];
    return sendPage(request, reply, {
      title: tr(request)('policies.pages.library.title'),
      width: 'wide',
      children: <LibraryPage filter={filter} entries={entries} allRegions={allRegions} today={today} />,
    });
  });
  screenerPages(app, deps);
  officerPages(app, deps);
  enterprisePages(app, deps);
  // Last: `/policies/:code` must not shadow the screener (static routes win anyway; this keeps the order readable).
  detailPages(app, deps);
}
