import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp, Problem } from '../core/http.js';
import { isLocale } from '../core/i18n.js';
import { STYLESHEET_PATH } from './layout.js';
import { InsetText, sendPage, tr, type PortalOptions } from './page.js';
import './messages.js';

const STYLESHEET = readFileSync(new URL('./static/site.css', import.meta.url));
const STYLESHEET_ETAG = `"${createHash('sha256').update(STYLESHEET).digest('base64url').slice(0, 16)}"`;
const LANGUAGE_COOKIE_DAYS = 365;

function ErrorPage({ problem, request }: { problem: Problem; request: FastifyRequest }) {
  const t = tr(request);
  const signedIn = request.principal?.kind === 'account';
  const next = request.method === 'GET' ? request.url.split('?')[0] : '/';
  return (
    <>
      <h1>{problem.title}</h1>
      {problem.detail ? <p className="lead">{problem.detail}</p> : null}
      {problem.code === 'csrf' ? <p>{t('web.errorPage.csrfHint')}</p> : null}
      {problem.errors?.length ? (
        <ul>
          {problem.errors.map((e, index) => (
            <li key={index}>{e.message}</li>
          ))}
        </ul>
      ) : null}
      {problem.status === 401 && !signedIn ? (
        <p>
          <a href={`/login?next=${encodeURIComponent(next ?? '/')}`}>{t('web.errorPage.signIn')}</a>
        </p>
      ) : null}
      <p>
        <a href="/">{t('web.errorPage.home')}</a>
      </p>
      {problem.status >= 500 ? (
        <InsetText>
          <span className="secondary-text">{t('web.errorPage.requestId', { requestId: problem.requestId })}</span>
        </InsetText>
      ) : null}
    </>
  );
}

/** The HTML face of every error on a page request (404, 403, 500, ...), in the page's language. */
export function renderHtmlError(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  return sendPage(request, reply, { title: problem.title, status: problem.status, children: <ErrorPage problem={problem} request={request} /> });
}

/**
 * The portal shell: our stylesheet, the language choice remembered in a cookie, and friendly
 * HTML error pages. Capabilities add their pages with `sendPage` from ./page.js.
 */
export function registerPortal(app: HttpApp, options: PortalOptions): void {
  app.decorate('portalOptions', options);

  app.addHook('onRequest', async (request, reply) => {
    const chosen = new URL(request.url, 'http://x').searchParams.get('lang');
    if (isLocale(chosen) && request.cookies.lang !== chosen) {
      reply.setCookie('lang', chosen, {
        path: '/',
        sameSite: 'lax',
        secure: options.secureCookies,
        httpOnly: true,
        maxAge: LANGUAGE_COOKIE_DAYS * 86_400,
      });
    }
  });

  app.get(STYLESHEET_PATH, { schema: { hide: true } }, async (request, reply) => {
    reply.header('etag', STYLESHEET_ETAG);
    reply.header('cache-control', 'public, max-age=3600');
    if (request.headers['if-none-match'] === STYLESHEET_ETAG) return reply.status(304).send();
    return reply.type('text/css; charset=utf-8').send(STYLESHEET);
  });

  app.setHtmlErrorRenderer(renderHtmlError);
}
