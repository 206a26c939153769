import type { HttpApp } from '../../core/http.js';
import { ButtonLink, sendPage, tr, useT, usePage } from '../../web/page.js';

function Home() {
  const t = useT();
  const { request } = usePage();
  const signedIn = request.principal?.kind === 'account';
  return (
    <>
      <h1>{t('pages.home.title')}</h1>
      <p className="lead">{t('pages.home.lead')}</p>
      <form method="get" action="/services" className="search-box" role="search">
        <label className="label" htmlFor="home-search">
          {t('pages.home.search.label')}
        </label>
        <div className="search-box__row">
          <input className="input" id="home-search" name="q" type="search" placeholder={t('pages.home.search.placeholder')} />
          <button type="submit" className="button">
            {t('pages.home.search.submit')}
          </button>
        </div>
      </form>
      {signedIn ? (
        <p>
          {t('pages.home.signedIn')} <a href="/account">{t('pages.home.toAccount')}</a>
        </p>
      ) : null}
      <ul className="card-list">
        <li className="card">
          <h2>{t('pages.home.person.title')}</h2>
          <p>{t('pages.home.person.body')}</p>
          {signedIn ? null : (
            <div className="button-group">
              <ButtonLink href="/register">{t('pages.home.person.register')}</ButtonLink>
              <a href="/login">{t('pages.home.person.login')}</a>
            </div>
          )}
        </li>
        <li className="card">
          <h2>{t('pages.home.enterprise.title')}</h2>
          <p>{t('pages.home.enterprise.body')}</p>
          <p>
            <a href="/enterprises/open">{t('pages.home.enterprise.open')}</a>
          </p>
        </li>
        <li className="card">
          <h2>{t('pages.home.staff.title')}</h2>
          <p>{t('pages.home.staff.body')}</p>
          <p>
            <a href="/staff/login">{t('pages.home.staff.login')}</a>
          </p>
        </li>
      </ul>
    </>
  );
}

export function homePages(app: HttpApp): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) =>
    sendPage(request, reply, { title: tr(request)('pages.home.title'), width: 'wide', children: <Home /> }),
  );
}
