import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import { forbidden, invalid } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { ButtonLink, Form, InsetText, SummaryList, formBody, formList, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import type { CompiledPolicy, MatchResult } from '../library/compiled.js';
import type { EnterpriseMatchReport } from '../matching/service.js';
import type { FactType } from '../rules/validate.js';
import { listOptions, parseAnswers, questionsToAsk, type RawValue } from './answers.js';
import { FactInput, Notice, ResultGroup, ResultItem, policiesByVersion, policyHref, useWords } from './components.js';
import { checkedEnterpriseId, type PolicyPageDeps } from './context.js';
import { declaredFactsOf, factLabel, formatValue } from './describe.js';
import { myPoliciesHref } from './detail.js';

interface MyPoliciesState {
  report: EnterpriseMatchReport;
  policies: CompiledPolicy[];
  values: Record<string, RawValue>;
  saved: boolean;
}

function ClaimAction({ result, enterpriseId }: { result: MatchResult; enterpriseId: string }) {
  const { t, locale } = usePage();
  if (result.mode === 'automatic') return <p className="hint">{t('policies.pages.mine.automatic')}</p>;
  if (result.mode !== 'apply') return null;
  return (
    <p>
      <ButtonLink href={`${policyHref(result.code)}/claim?enterprise=${encodeURIComponent(enterpriseId)}`}>
        {t('policies.pages.mine.claim')}
        <span className="visually-hidden"> {result.title[locale]}</span>
      </ButtonLink>
    </p>
  );
}

export function MyPoliciesPage({ state }: { state: MyPoliciesState }) {
  const { t } = usePage();
  const { report } = state;
  const words = useWords(declaredFactsOf(state.policies));
  const policies = policiesByVersion(state.policies);
  const enterpriseId = report.enterprise.id;
  const eligible = report.results.filter((r) => r.outcome === 'eligible');
  const nearMisses = report.results.filter((r) => r.outcome === 'ineligible' && r.nearMiss);
  const undetermined = report.results.filter((r) => r.outcome === 'undetermined');
  const ineligible = report.results.filter((r) => r.outcome === 'ineligible' && !r.nearMiss);
  const groupProps = { policies, facts: report.facts, words };
  const questions = questionsToAsk(report.questions);
  const options = (fact: string) => listOptions(state.policies, fact);
  return (
    <>
      <p className="caption">{report.enterprise.name}</p>
      <h1>{t('policies.pages.mine.title')}</h1>
      <Notice text={state.saved ? t('policies.pages.mine.saved') : undefined} />
      <p className="lead">{t('policies.pages.mine.lead', { date: report.on })}</p>
      <nav aria-label={t('policies.pages.mine.related')}>
        <ul className="inline-links">
          <li>
            <a href={`/enterprises/${enterpriseId}/benefits`}>{t('policies.pages.mine.benefits')}</a>
          </li>
          <li>
            <a href={`/enterprises/${enterpriseId}/policy-inquiries`}>{t('policies.pages.mine.inquiries')}</a>
          </li>
          <li>
            <a href={`/enterprises/${enterpriseId}/policy-notifications`}>{t('policies.pages.mine.notifications')}</a>
          </li>
        </ul>
      </nav>
      <p>
        {t('policies.pages.screener.summary', { total: report.results.length, eligible: eligible.length, nearMisses: nearMisses.length, undetermined: undetermined.length, ineligible: ineligible.length })}
      </p>
      {eligible.length ? (
        <ResultGroup id="eligible" title={t('policies.pages.group.eligible', { count: eligible.length })} results={eligible} action={(r) => <ClaimAction result={r} enterpriseId={enterpriseId} />} {...groupProps} />
      ) : (
        <p>{t('policies.pages.mine.noneEligible')}</p>
      )}
      {nearMisses.length ? (
        <ResultGroup id="near-misses" title={t('policies.pages.group.nearMisses', { count: nearMisses.length })} lead={t('policies.pages.mine.nearMissesLead')} results={nearMisses} {...groupProps} />
      ) : null}
      {questions.length ? (
        <section aria-labelledby="questions-heading" id="questions">
          <h2 id="questions-heading">{t('policies.pages.mine.questions')}</h2>
          <p>{t('policies.pages.mine.questionsLead', { count: undetermined.length })}</p>
          <Form action={`${myPoliciesHref(enterpriseId)}/answers`}>
            {questions.map((question) => (
              <FactInput
                key={question.fact}
                fact={question.fact}
                id={question.fact}
                value={state.values[question.fact]}
                words={words}
                listOptions={options(question.fact)}
                {...(question.label ? { label: question.label[words.locale] } : {})}
              />
            ))}
            <p className="hint">{t('policies.pages.mine.answersHint')}</p>
            <button type="submit" className="button button--primary">
              {t('policies.pages.mine.saveAnswers')}
            </button>
          </Form>
        </section>
      ) : null}
      {undetermined.length ? (
        <ResultGroup id="undetermined" title={t('policies.pages.group.undetermined', { count: undetermined.length })} lead={t('policies.pages.mine.undeterminedLead')} results={undetermined} {...groupProps} />
      ) : null}
      {ineligible.length ? (
        <details className="details">
          <summary className="details__summary">{t('policies.pages.group.ineligible', { count: ineligible.length })}</summary>
          <ol className="result-list">
            {ineligible.map((result) => (
              <ResultItem key={result.code} result={result} policy={policies.get(result.versionId)} facts={report.facts} words={words} />
            ))}
          </ol>
        </details>
      ) : null}
      <details className="details">
        <summary className="details__summary">{t('policies.pages.mine.facts')}</summary>
        <p>{t('policies.pages.mine.factsLead')}</p>
        <SummaryList rows={Object.entries(report.facts).map(([fact, value]) => ({ key: factLabel(words, fact), value: value === undefined ? '' : formatValue(words, fact, value) }))} />
      </details>
      <InsetText>
        <a href="/policies">{t('policies.pages.mine.library')}</a> · <a href="/enterprises">{t('policies.pages.mine.back')}</a>
      </InsetText>
    </>
  );
}

function pagePerson(request: FastifyRequest, reply: FastifyReply): SessionPrincipal | undefined {
  const principal = pageAccount(request, reply);
  if (principal && !principal.personId) throw forbidden('personOnly');
  return principal;
}

/** "My policies": one enterprise's matches with explanations, and its answers to the questions they ask. */
export function enterprisePages(app: HttpApp, deps: PolicyPageDeps): void {
  const show = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, enterpriseId: string, form?: FormState & { status?: number }) => {
    const [report, policies] = await Promise.all([deps.policyMatching.forEnterprise(principal, enterpriseId), deps.policyLibrary.library()]);
    const state: MyPoliciesState = { report, policies, values: (form?.values ?? {}) as Record<string, RawValue>, saved: !form && queryOf(request).saved === '1' };
    return sendPage(request, reply, {
      title: `${tr(request)('policies.pages.mine.title')} – ${report.enterprise.name}`,
      width: 'wide',
      ...(form ? { form, status: form.status } : {}),
      children: <MyPoliciesPage state={state} />,
    });
  };

  app.get<{ Params: { id: string } }>('/enterprises/:id/policies', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    return show(request, reply, principal, checkedEnterpriseId(request.params.id));
  });

  app.post<{ Params: { id: string } }>('/enterprises/:id/policies/answers', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const enterpriseId = checkedEnterpriseId(request.params.id);
    const types: Record<string, FactType> = await deps.policyMatching.factTypes();
    const body = formBody(request);
    const raw: Record<string, RawValue> = {};
    for (const [fact, type] of Object.entries(types)) {
      if (type === 'list') {
        const list = formList(request, fact);
        if (list.length) raw[fact] = list;
      } else if (body[fact] !== undefined) raw[fact] = body[fact];
    }
    const { answers, problems } = parseAnswers(raw, Object.fromEntries(Object.keys(raw).map((fact) => [fact, types[fact]!])));
    try {
      if (problems.length) throw invalid('invalidAnswers', problems.map((p) => ({ field: `/${p.field}`, message: p.message })));
      if (Object.keys(answers).length === 0) throw invalid('noAnswers', [], 'policies.pages.mine.noAnswers');
      await deps.policyMatching.declare(principal, enterpriseId, answers);
      return seeOther(reply, `${myPoliciesHref(enterpriseId)}?saved=1`);
    } catch (error) {
      const state = formStateFrom(error, request, raw, 'questions');
      return show(request, reply, principal, enterpriseId, state);
    }
  });
}
