import type { ReactNode } from 'react';
import type { Locale } from '../core/i18n.js';
import { usePage } from './context.js';

export const STYLESHEET_PATH = '/static/site.css';

/** The same page in another language: the current path and query with `lang` replaced. */
function languageHref(url: string, locale: Locale): string {
  const parsed = new URL(url, 'http://x');
  parsed.searchParams.set('lang', locale);
  return `${parsed.pathname}${parsed.search}`;
}

function LanguageSwitch() {
  const { request, locale, t } = usePage();
  const choices: { locale: Locale; label: string }[] = [
    { locale: 'zh-CN', label: t('web.language.zh') },
    { locale: 'en', label: t('web.language.en') },
  ];
  return (
    <nav className="language-switch" aria-label={t('web.language.label')}>
      <ul className="language-switch__list">
        {choices.map((choice) =>
          choice.locale === locale ? (
            <li key={choice.locale}>
              <span className="language-switch__current" aria-current="true" lang={choice.locale}>
                {choice.label}
              </span>
            </li>
          ) : (
            <li key={choice.locale}>
              <a href={languageHref(request.url, choice.locale)} hrefLang={choice.locale} lang={choice.locale}>
                {choice.label}
              </a>
            </li>
          ),
        )}
      </ul>
    </nav>
  );
}

function Navigation() {
  const { request, t, csrfToken } = usePage();
  const principal = request.principal?.kind === 'account' ? request.principal : null;
  const path = request.url.split('?')[0];
  const link = (href: string, label: string) => (
    <li className="navigation__item">
      <a href={href} aria-current={path === href ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <nav className="navigation" aria-label={t('web.nav.label')}>
      <ul className="navigation__list">
        {link('/', t('web.nav.home'))}
        {link('/services', t('web.nav.services'))}
        {link('/policies', t('web.nav.policies'))}
        {link('/credit', t('credit.nav.lookup'))}
        {principal ? (
          <>
            {principal.personId ? (
              <>
                {link('/applications', t('web.nav.applications'))}
                {link('/account/certificates', t('web.nav.certificates'))}
                {link('/account/inbox', t('web.nav.inbox'))}
                {link('/credit/mine', t('credit.nav.mine'))}
              </>
            ) : null}
            {principal.roles.some((role) => role === 'officer' || role === 'approver') ? (
              <>
                {link('/workbench', t('web.nav.workbench'))}
                {link('/workbench/rectifications', t('web.nav.rectifications'))}
                {link('/workbench/flags', t('supervision.nav.flags'))}
              </>
            ) : null}
            {principal.roles.includes('supervisor') ? link('/workbench/appeals', t('web.nav.appeals')) : null}
            {principal.roles.includes('supervisor') ? (
              <>
                {link('/supervision/alerts', t('supervision.nav.regionAlerts'))}
                {link('/supervision/flags', t('supervision.nav.regionFlags'))}
              </>
            ) : null}
            {principal.staffId ? link('/workbench/alerts', t('supervision.nav.alerts')) : null}
            {principal.roles.includes('supervisor') ? link('/supervision', t('web.nav.supervision')) : null}
            {principal.roles.includes('policyOfficer') ? link('/workbench/policies', t('web.nav.policyLibrary')) : null}
            {principal.roles.includes('catalogEditor') ? link('/workbench/catalog', t('catalogPages.editor.nav')) : null}
            {principal.roles.some((role) => role === 'officer' || role === 'approver' || role === 'supervisor') ? link('/workbench/credit', t('credit.nav.workbench')) : null}
            {principal.roles.some((role) => role === 'admin' || role === 'auditor') ? link('/admin/audit', t('transparency.nav.audit')) : null}
            {link('/account', t('web.nav.account'))}
            {principal.personId ? link('/enterprises', t('web.nav.enterprises')) : null}
            <li className="navigation__item navigation__item--signed-in">
              <span className="navigation__who">{t('web.nav.signedInAs', { name: principal.displayName })}</span>
              <form method="post" action="/logout" className="navigation__logout">
                <input type="hidden" name="_csrf" value={csrfToken()} />
                <button type="submit" className="link-button">
                  {t('web.nav.logout')}
                </button>
              </form>
            </li>
          </>
        ) : (
          <>
            {link('/register', t('web.nav.register'))}
            {link('/login', t('web.nav.login'))}
          </>
        )}
      </ul>
    </nav>
  );
}

export function Layout({ title, width, errorSummary, children }: { title: string; width: 'narrow' | 'wide'; errorSummary: ReactNode; children: ReactNode }) {
  const { locale, t, request } = usePage();
  const production = request.server.portalOptions?.production ?? true;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – ${t('web.siteName')}`}</title>
        <link rel="stylesheet" href={STYLESHEET_PATH} />
      </head>
      <body>
        <a href="#main" className="skip-link">
          {t('web.skipLink')}
        </a>
        <header className="header">
          <div className="width-container header__inner">
            <div className="header__brand">
              <a href="/" className="header__name">
                {t('web.siteName')}
              </a>
              <span className="header__tagline">{t('web.tagline')}</span>
            </div>
            <LanguageSwitch />
          </div>
          <div className="width-container">
            <Navigation />
          </div>
        </header>
        <div className="width-container">
          <main id="main" className={`main main--${width}`} tabIndex={-1}>
            {errorSummary}
            {children}
          </main>
        </div>
        <footer className="footer">
          <div className="width-container">
            <p>{t('web.footer.about')}</p>
            <p>{t('web.footer.accessibility')}</p>
            <ul className="footer__links">
              <li>
                <a href="/api/docs">{t('web.footer.api')}</a>
              </li>
              {production ? null : (
                <li>
                  <a href="/dev/outbox">{t('web.footer.devOutbox')}</a>
                </li>
              )}
            </ul>
          </div>
        </footer>
      </body>
    </html>
  );
}
