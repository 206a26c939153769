import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../../core/http.js';
import type { MessageKey } from '../../core/i18n.js';
import { AGENT_SCOPES, type AgentScope, type AgentView, type EnterpriseView, type MyEnterprise } from '../enterprises/schema.js';
import {
  Button,
  ButtonLink,
  Checkboxes,
  Form,
  Table,
  TextInput,
  formBody,
  formList,
  formStateFrom,
  requiredFields,
  seeOther,
  sendPage,
  tr,
  usePage,
  type FormState,
} from '../../web/page.js';
import { pageAccount, queryOf, type IdentityPageDeps } from './context.js';
import '../../policies/pages/messages.js';

const scopeKey = (scope: AgentScope) => `enterprise.scope.${scope}` as MessageKey;
const ID_PATTERN = /^[\w-]{1,64}$/;

function MyEnterprises({ enterprises }: { enterprises: MyEnterprise[] }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('pages.enterprises.title')}</h1>
      <p className="lead">{t('pages.enterprises.lead')}</p>
      {enterprises.length === 0 ? <p>{t('pages.enterprises.none')}</p> : null}
      <ul className="card-list">
        {enterprises.map((enterprise) => (
          <li className="card" key={enterprise.id}>
            <h2>{enterprise.name}</h2>
            <p>
              {t('pages.enterprises.uscc')}: <span className="code">{enterprise.uscc}</span>
              <br />
              {t('pages.enterprises.role')}: {t(`enterprise.role.${enterprise.role}` as MessageKey)}
              {enterprise.agencyExpiresAt ? (
                <>
                  <br />
                  {t('pages.enterprises.agentUntil', { date: enterprise.agencyExpiresAt.slice(0, 10) })}
                </>
              ) : null}
            </p>
            <p>
              <a href={`/enterprises/${encodeURIComponent(enterprise.id)}/agents`}>
                {enterprise.role === 'legalRepresentative' ? t('pages.enterprises.manageAgents') : t('pages.enterprises.viewAuthorisation')}
              </a>
            </p>
            <p>
              <a href={`/enterprises/${encodeURIComponent(enterprise.id)}/access-log`}>{t('pages.access.enterprise.link')}</a>
            </p>
            {enterprise.scopes.includes('policies') ? (
              <p>
                <a href={`/enterprises/${encodeURIComponent(enterprise.id)}/policies`}>{t('policies.pages.mine.link')}</a>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      <ButtonLink href="/enterprises/open">{t('pages.enterprises.open')}</ButtonLink>
    </>
  );
}

function OpenEnterpriseForm() {
  const { t } = usePage();
  return (
    <>
      <h1>{t('pages.openEnterprise.title')}</h1>
      <p className="lead">{t('pages.openEnterprise.lead')}</p>
      <Form action="/enterprises/open">
        <TextInput name="uscc" label={t('pages.openEnterprise.uscc')} hint={t('pages.openEnterprise.uscc.hint')} autoComplete="off" spellCheck={false} width={20} />
        <Button>{t('pages.openEnterprise.submit')}</Button>
      </Form>
    </>
  );
}

function statusKey(status: AgentView['status']): MessageKey {
  return `pages.agents.status.${status}` as MessageKey;
}

function Agents({ enterprise, agents, notice }: { enterprise: EnterpriseView; agents: AgentView[]; notice?: string }) {
  const { t } = usePage();
  const legalRepresentative = enterprise.role === 'legalRepresentative';
  const base = `/enterprises/${encodeURIComponent(enterprise.id)}/agents`;
  return (
    <>
      <h1>{t('pages.agents.title', { name: enterprise.name })}</h1>
      {notice ? (
        <p className="tag" role="status">
          {notice}
        </p>
      ) : null}
      <p>{t('pages.agents.lead')}</p>
      {agents.length === 0 ? (
        <p>{t('pages.agents.none')}</p>
      ) : (
        <Table
          caption={t('pages.agents.caption')}
          head={[
            t('pages.agents.name'),
            t('pages.agents.idNumber'),
            t('pages.agents.scopes'),
            t('pages.agents.expiresOn'),
            t('pages.agents.status'),
            ...(legalRepresentative ? [t('pages.agents.action')] : []),
          ]}
          rows={agents.map((agent) => ({
            key: agent.id,
            cells: [
              agent.name,
              agent.idNumberMasked,
              agent.scopes.map((scope) => t(scopeKey(scope))).join('、'),
              agent.expiresOn,
              t(statusKey(agent.status)),
              ...(legalRepresentative
                ? [
                    agent.status === 'active' ? (
                      <Form action={`${base}/${encodeURIComponent(agent.id)}/revoke`} className="inline-form">
                        <button type="submit" className="link-button" aria-label={t('pages.agents.revokeLabel', { name: agent.name })}>
                          {t('pages.agents.revoke')}
                        </button>
                      </Form>
                    ) : (
                      ''
                    ),
                  ]
                : []),
            ],
          }))}
        />
      )}
      {legalRepresentative ? (
        <>
          <h2 id="grant">{t('pages.agents.grant')}</h2>
          <Form action={base}>
            <TextInput name="name" label={t('pages.agents.grant.name')} autoComplete="off" spellCheck={false} width={20} />
            <TextInput name="idNumber" label={t('pages.agents.grant.idNumber')} hint={t('pages.agents.grant.idNumber.hint')} autoComplete="off" spellCheck={false} width={20} />
            <Checkboxes
              name="scopes"
              legend={t('pages.agents.grant.scopes')}
              hint={t('pages.agents.grant.scopes.hint')}
              options={AGENT_SCOPES.map((scope) => ({ value: scope, label: t(scopeKey(scope)) }))}
            />
            <TextInput name="expiresOn" label={t('pages.agents.grant.expiresOn')} hint={t('pages.agents.grant.expiresOn.hint')} autoComplete="off" inputMode="numeric" width={10} />
            <Button>{t('pages.agents.grant.submit')}</Button>
          </Form>
        </>
      ) : null}
      <p>
        <a href="/enterprises">{t('pages.agents.back')}</a>
      </p>
    </>
  );
}

/** Enterprises: mine, opening one by USCC, and the legal representative's agents. */
export function enterprisePages(app: HttpApp, deps: IdentityPageDeps): void {
  app.get('/enterprises', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const enterprises = await deps.enterprises.myEnterprises(principal);
    return sendPage(request, reply, { title: tr(request)('pages.enterprises.title'), width: 'wide', children: <MyEnterprises enterprises={enterprises} /> });
  });

  const showOpen = (request: FastifyRequest, reply: FastifyReply, form?: FormState & { status?: number }) =>
    sendPage(request, reply, { title: tr(request)('pages.openEnterprise.title'), form, status: form?.status, children: <OpenEnterpriseForm /> });

  app.get('/enterprises/open', { schema: { hide: true } }, async (request, reply) => {
    if (!pageAccount(request, reply)) return reply;
    return showOpen(request, reply);
  });

  app.post('/enterprises/open', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const values = formBody(request);
    const t = tr(request);
    try {
      const missing = requiredFields(values, { uscc: t('pages.openEnterprise.uscc') });
      if (missing) throw missing;
      const enterprise = await deps.enterprises.openEnterprise(principal, { uscc: values.uscc!.trim().toUpperCase() });
      return seeOther(reply, `/enterprises/${encodeURIComponent(enterprise.id)}/agents?opened=1`);
    } catch (error) {
      return showOpen(request, reply, formStateFrom(error, request, values, 'uscc'));
    }
  });

  const showAgents = async (request: FastifyRequest, reply: FastifyReply, enterpriseId: string, form?: FormState & { status?: number }) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const [enterprise, agents] = await Promise.all([
      deps.enterprises.getEnterprise(principal, enterpriseId),
      deps.enterprises.listAgents(principal, enterpriseId),
    ]);
    const t = tr(request);
    const query = queryOf(request);
    const notice = query.opened === '1'
      ? t('pages.openEnterprise.done', { name: enterprise.name })
      : query.revoked === '1'
        ? t('pages.agents.revoked')
        : query.granted === '1'
          ? t('pages.agents.granted')
          : undefined;
    return sendPage(request, reply, {
      title: t('pages.agents.title', { name: enterprise.name }),
      width: 'wide',
      form,
      status: form?.status,
      children: <Agents enterprise={enterprise} agents={agents} notice={form ? undefined : notice} />,
    });
  };

  app.get('/enterprises/:id/agents', { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) return reply.callNotFound();
    return showAgents(request, reply, id);
  });

  app.post('/enterprises/:id/agents', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const { id } = request.params as { id: string };
    if (!ID_PATTERN.test(id)) return reply.callNotFound();
    const values = formBody(request);
    const t = tr(request);
    const scopes = formList(request, 'scopes');
    try {
      const missing = requiredFields(
        { ...values, scopes },
        {
          name: t('pages.agents.grant.name'),
          idNumber: t('pages.agents.grant.idNumber'),
          scopes: t('pages.agents.grant.scopes'),
          expiresOn: t('pages.agents.grant.expiresOn'),
        },
      );
      if (missing) throw missing;
      await deps.enterprises.grantAgent(principal, id, {
        name: values.name!,
        idNumber: values.idNumber!,
        scopes: scopes as AgentScope[],
        expiresOn: values.expiresOn!.trim(),
      });
      return seeOther(reply, `/enterprises/${encodeURIComponent(id)}/agents?granted=1`);
    } catch (error) {
      return showAgents(request, reply, id, formStateFrom(error, request, { ...values, scopes }, 'idNumber'));
    }
  });

  app.post('/enterprises/:id/agents/:agentId/revoke', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const { id, agentId } = request.params as { id: string; agentId: string };
    if (!ID_PATTERN.test(id) || !ID_PATTERN.test(agentId)) return reply.callNotFound();
    await deps.enterprises.revokeAgent(principal, id, agentId);
    return seeOther(reply, `/enterprises/${encodeURIComponent(id)}/agents?revoked=1`);
  });
}
