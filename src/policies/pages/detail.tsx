import type { FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import type { HttpApp } from '../../core/http.js';
import type { MyEnterprise } from '../../identity/enterprises/schema.js';
import { queryOf } from '../../identity/pages/context.js';
import { ButtonLink, InsetText, Select, sendPage, usePage } from '../../web/page.js';
import { inForce, type MatchResult } from '../library/compiled.js';
import type { PolicyVersionView } from '../library/service.js';
import type { Facts } from '../rules/evaluate.js';
import { FailingConditions, ModeTag, OutcomeTag, PolicyDocumentView, policyHref, useWords } from './components.js';
import { checkedCode, serviceItemHref, type PolicyPageDeps } from './context.js';
import { factNoun, formatYuan } from './describe.js';

export interface EnterpriseMatch {
  enterprises: MyEnterprise[];
  chosen: MyEnterprise | null;
  /** The policy's result for the chosen enterprise; null when it does not apply there or is not in force. */
  result: MatchResult | null;
  facts: Facts | null;
}

const claimHref = (code: string, enterpriseId: string) => `${policyHref(code)}/claim?enterprise=${encodeURIComponent(enterpriseId)}`;
export const myPoliciesHref = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/policies`;

function YourEnterprise({ view, match }: { view: PolicyVersionView; match: EnterpriseMatch }) {
  const { t } = usePage();
  const words = useWords(view.declaredFacts);
  const { chosen, result } = match;
  if (match.enterprises.length === 0) {
    return (
      <p>
        {t('policies.pages.detail.noEnterprises')} <a href="/enterprises">{t('policies.pages.detail.myEnterprises')}</a>
      </p>
    );
  }
  const failing = result?.conditions.filter((c) => c.result === 'fail') ?? [];
  return (
    <>
      {match.enterprises.length > 1 ? (
        <form method="get" action={policyHref(view.code)} noValidate className="inline-form">
          <Select
            name="enterprise"
            label={t('policies.pages.detail.chooseEnterprise')}
            value={chosen?.id ?? ''}
            options={match.enterprises.map((e) => ({ value: e.id, label: `${e.name} (${e.uscc})` }))}
          />
          <button type="submit" className="button button--secondary">
            {t('policies.pages.detail.show')}
          </button>
        </form>
      ) : null}
      {chosen && !result ? <p>{t('policies.pages.detail.notApplicable', { name: chosen.name })}</p> : null}
      {chosen && result ? (
        <div className="policy-result" id="your-result">
          <p>
            {t('policies.pages.detail.resultFor', { name: chosen.name })} <OutcomeTag outcome={result.outcome} />
          </p>
          {result.benefit ? <p className="policy-result__benefit">{t('policies.pages.result.benefit', { amount: formatYuan(words, result.benefit.amount) })}</p> : null}
          {result.outcome === 'ineligible' ? <FailingConditions failing={failing} words={words} /> : null}
          {result.outcome === 'undetermined' ? (
            <p>
              {t('policies.pages.result.missing', { facts: result.missingFacts.map((fact) => factNoun(words, fact)).join(t('policies.pages.list.separator')) })}{' '}
              <a href={`${myPoliciesHref(chosen.id)}#questions`}>{t('policies.pages.detail.answerQuestions')}</a>
            </p>
          ) : null}
          <p>
            <a href="#conditions">{t('policies.pages.detail.seeConditions')}</a>
          </p>
          {result.outcome === 'eligible' && view.document.mode === 'apply' ? (
            <>
              <ButtonLink href={claimHref(view.code, chosen.id)}>{t('policies.pages.detail.claim')}</ButtonLink>
              <p className="hint">{t('policies.pages.detail.claimHint')}</p>
            </>
          ) : null}
          {result.outcome === 'eligible' && view.document.mode === 'automatic' ? <InsetText>{t('policies.pages.detail.automaticEligible')}</InsetText> : null}
          <p>
            <a href={myPoliciesHref(chosen.id)}>{t('policies.pages.detail.allForEnterprise', { name: chosen.name })}</a>
          </p>
        </div>
      ) : null}
      <p className="secondary-text">{t('policies.pages.detail.version', { version: view.version, date: (view.publishedAt ?? view.createdAt).slice(0, 10) })}</p>
    </>
  );
}

export function PolicyPage({ view, match, itemHref, today, signInHref, staff }: { view: PolicyVersionView; match: EnterpriseMatch | null; itemHref: string | null; today: string; signInHref: string; staff: boolean }) {
  const { t, locale } = usePage();
  const document = view.document;
  return (
    <>
      <p className="caption">
        {t(`policies.level.${document.level}`)}
        {document.category ? ` · ${t(`policies.category.${document.category}`)}` : ''}
      </p>
      <h1>{document.title[locale]}</h1>
      <p>
        <ModeTag mode={document.mode} />{' '}
        {inForce(document, today) ? null : <strong className="tag tag--expired">{t(document.effective.from > today ? 'policies.pages.library.notYet' : 'policies.pages.library.expired')}</strong>}
      </p>
      {document.summary ? <p className="lead">{document.summary[locale]}</p> : null}
      {/* Staff read policies too; the question is only for people who act for enterprises. */}
      {match || !staff ? (
        <section aria-labelledby="your-enterprise" className="card">
          <h2 id="your-enterprise">{t('policies.pages.detail.yourEnterprise')}</h2>
          {match ? (
            <YourEnterprise view={view} match={match} />
          ) : (
            <p>
              <a href={signInHref}>{t('policies.pages.detail.signIn')}</a> {t('policies.pages.detail.signInLead')} <a href="/policies/screener">{t('policies.pages.detail.screener')}</a>
            </p>
          )}
        </section>
      ) : null}
      <PolicyDocumentView document={document} declaredFacts={view.declaredFacts} serviceItemHref={itemHref} facts={match?.result ? match.facts : null} />
      <p>
        <a href="/policies">{t('policies.pages.detail.back')}</a>
      </p>
    </>
  );
}

/** A person through her second factor (when she has one) may see her enterprises here; the page itself is public. */
function signedInPerson(request: FastifyRequest): SessionPrincipal | null {
  const principal = request.principal;
  if (!principal || principal.kind !== 'account' || !principal.personId) return null;
  if (principal.mfaEnrolled && !principal.mfaPassed) return null;
  return principal;
}

/** The public policy page, with the explanation for the signed-in person's enterprise. */
export function detailPages(app: HttpApp, deps: PolicyPageDeps): void {
  app.get<{ Params: { code: string } }>('/policies/:code', { schema: { hide: true } }, async (request, reply) => {
    const code = checkedCode(request.params.code);
    const view = await deps.policyLibrary.published(code);
    const person = signedInPerson(request);
    let match: EnterpriseMatch | null = null;
    if (person) {
      const enterprises = (await deps.enterprises.myEnterprises(person)).filter((e) => e.scopes.includes('policies'));
      const wanted = queryOf(request).enterprise;
      const chosen = enterprises.find((e) => e.id === wanted) ?? enterprises[0] ?? null;
      match = { enterprises, chosen, result: null, facts: null };
      if (chosen) {
        const report = await deps.policyMatching.forEnterprise(person, chosen.id);
        match.result = report.results.find((r) => r.code === code) ?? null;
        match.facts = report.facts;
      }
    }
    const itemHref = await serviceItemHref(deps.catalog, view.document.serviceItem);
    return sendPage(request, reply, {
      title: view.document.title[request.locale ?? 'zh-CN'],
      width: 'wide',
      children: (
        <PolicyPage
          view={view}
          match={match}
          itemHref={itemHref}
          today={deps.policyMatching.today()}
          signInHref={`/login?next=${encodeURIComponent(request.url.split('?')[0] ?? policyHref(code))}`}
          staff={request.principal?.kind === 'account' && !request.principal.personId}
        />
      ),
    });
  });
}
