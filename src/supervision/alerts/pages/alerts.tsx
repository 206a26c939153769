import type { FastifyReply, FastifyRequest } from 'fastify';
import { STAFF_ROLES } from '../../../core/auth.js';
import type { HttpApp } from '../../../core/http.js';
import type { MessageKey } from '../../../core/i18n.js';
import { pageStaff, when } from '../../../evaluation/pages/components.js';
import { queryOf } from '../../../identity/pages/context.js';
import { getRegion } from '../../../reference/regions.js';
import { Button, Form, Pager, Table, pageNumberOf, seeOther, sendPage, tr, usePage } from '../../../web/page.js';
import type { AlertView } from '../schema.js';
import type { SupervisionAlertService } from '../service.js';

const SHOW = ['open', 'resolved', 'all'] as const;
type Show = (typeof SHOW)[number];
const showOf = (request: FastifyRequest): Show => {
  const value = queryOf(request).show;
  return (SHOW as readonly string[]).includes(value as string) ? (value as Show) : 'open';
};

function Filters({ base, show }: { base: string; show: Show }) {
  const { t } = usePage();
  return (
    <nav aria-label={t('supervision.alerts.page.filters')}>
      <ul className="filter-links">
        {SHOW.map((name) => (
          <li key={name}>
            <a href={`${base}?show=${name}`} aria-current={name === show ? 'page' : undefined}>
              {t(`supervision.alerts.page.filter.${name}` as MessageKey)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function State({ alert }: { alert: AlertView }) {
  const { t } = usePage();
  if (alert.resolution) return <>{t(`supervision.alerts.resolution.${alert.resolution}` as MessageKey)}</>;
  return (
    <>
      {t('supervision.alerts.page.open')}
      {alert.escalatedAt ? (
        <>
          <br />
          <strong className="tag">{t('supervision.alerts.page.escalated', { region: getRegion(alert.escalatedRegionCode ?? '')?.name ?? alert.escalatedRegionCode ?? '' })}</strong>
        </>
      ) : null}
    </>
  );
}

function AlertTable({ alerts, own, back }: { alerts: AlertView[]; own: boolean; back: string }) {
  const { t, locale } = usePage();
  return (
    <Table
      caption={t('supervision.alerts.page.caption')}
      head={[t('supervision.alerts.page.alert'), t('supervision.alerts.page.department'), t('supervision.alerts.page.dueOn'), t('supervision.alerts.page.raisedAt'), t('supervision.alerts.page.state'), '']}
      rows={alerts.map((alert) => ({
        key: alert.id,
        cells: [
          <>
            <strong>{alert.title}</strong>
            {own && alert.readAt === null ? (
              <>
                {' '}
                <span className="tag">{t('supervision.alerts.page.unread')}</span>
              </>
            ) : null}
            <br />
            {alert.body}
            {own && alert.role ? (
              <>
                <br />
                <span className="hint">{t(`supervision.alerts.role.${alert.role}` as MessageKey)}</span>
              </>
            ) : null}
          </>,
          alert.department.name ? alert.department.name[locale] : alert.department.id,
          alert.dueOn ?? '',
          when(alert.raisedAt, locale),
          <State alert={alert} />,
          <>
            {alert.link ? (
              <a href={alert.link} aria-label={t('supervision.alerts.page.handleLabel', { title: alert.title })}>
                {t('supervision.alerts.page.handle')}
              </a>
            ) : null}
            {own && alert.readAt === null ? (
              <Form action={`/workbench/alerts/${encodeURIComponent(alert.id)}/read?back=${encodeURIComponent(back)}`}>
                <Button variant="secondary">
                  {t('supervision.alerts.page.markRead')}
                  <span className="visually-hidden"> {alert.title}</span>
                </Button>
              </Form>
            ) : null}
          </>,
        ],
      }))}
    />
  );
}

/** Alerts per page: a region can have thousands open; the oldest are reached page by page. */
const PAGE_SIZE = 100;

function AlertsPage({ alerts, total, unread, show, region, page }: { alerts: AlertView[]; total: number; unread?: number; show: Show; region: boolean; page: number }) {
  const { t } = usePage();
  const base = region ? '/supervision/alerts' : '/workbench/alerts';
  const here = `${base}?show=${show}${page > 1 ? `&page=${page}` : ''}`;
  return (
    <>
      <h1>{t(region ? 'supervision.alerts.page.region.title' : 'supervision.alerts.page.mine.title')}</h1>
      <p className="lead">{t(region ? 'supervision.alerts.page.region.lead' : 'supervision.alerts.page.mine.lead')}</p>
      <Filters base={base} show={show} />
      {total === 0 ? (
        <p>{t('supervision.alerts.page.none')}</p>
      ) : (
        <>
          <p>{region ? t('supervision.alerts.page.regionCount', { total }) : t('supervision.alerts.page.count', { total, unread: unread ?? 0 })}</p>
          {alerts.length ? <AlertTable alerts={alerts} own={!region} back={here} /> : null}
          <Pager page={page} pages={Math.ceil(total / PAGE_SIZE)} href={(n) => `${base}?show=${show}&page=${n}`} />
        </>
      )}
    </>
  );
}

/** "My alerts" for every staff member and "alerts in my region" for supervisors. */
export function alertPages(app: HttpApp, alerts: SupervisionAlertService): void {
  app.get('/workbench/alerts', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, ...STAFF_ROLES);
    if (!staff) return reply;
    const show = showOf(request);
    const page = pageNumberOf(request);
    const list = await alerts.mine(staff, { state: show, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, request.locale);
    return sendPage(request, reply, { title: tr(request)('supervision.alerts.page.mine.title'), width: 'wide', children: <AlertsPage alerts={list.items} total={list.total} unread={list.unread} show={show} region={false} page={page} /> });
  });

  app.post<{ Params: { id: string } }>('/workbench/alerts/:id/read', { schema: { hide: true } }, async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    const staff = pageStaff(request, reply, ...STAFF_ROLES);
    if (!staff) return reply;
    await alerts.markRead(staff, request.params.id, request.locale);
    const back = queryOf(request).back;
    return seeOther(reply, typeof back === 'string' && /^\/(workbench|supervision)\/alerts(\?show=\w+(&page=\d{1,5})?)?$/.test(back) ? back : '/workbench/alerts');
  });

  app.get('/supervision/alerts', { schema: { hide: true } }, async (request, reply) => {
    const staff = pageStaff(request, reply, 'supervisor');
    if (!staff) return reply;
    const show = showOf(request);
    const page = pageNumberOf(request);
    const list = await alerts.inRegion(staff, { state: show, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }, request.locale);
    return sendPage(request, reply, { title: tr(request)('supervision.alerts.page.region.title'), width: 'wide', children: <AlertsPage alerts={list.items} total={list.total} show={show} region page={page} /> });
  });
}
