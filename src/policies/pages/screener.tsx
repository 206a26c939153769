import type { FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { HttpApp } from '../../core/http.js';
import { isKnownRegion } from '../../reference/regions.js';
import { InsetText, formStateFrom, sendPage, tr, usePage, type FormError } from '../../web/page.js';
import type { DeclaredFact } from '../format/schema.js';
import type { CompiledPolicy, MatchResult } from '../library/compiled.js';
import type { MatchReport } from '../matching/service.js';
import type { FactValue } from '../rules/evaluate.js';
import type { FactType } from '../rules/validate.js';
import { listOptions, parseAnswers, questionsToAsk, rawOf, rawValues, regionFromChoice, type AnswerProblem, type RawValue } from './answers.js';
import { FactInput, RegionChoice, ResultGroup, ResultItem, policiesByVersion, policyHref, useWords } from './components.js';
import type { PolicyPageDeps } from './context.js';
import { declaredFactsOf } from './describe.js';

/** The questions every screening starts with (besides the region), in the order people know the answers. */
export const FIRST_QUESTIONS = ['industry', 'entityType', 'employees', 'operatingRevenue', 'taxableIncome', 'taxpayerType', 'establishedOn', 'qualifications'] as const;
/** How many of the most useful further questions the results ask. */
const QUESTIONS_SHOWN = 8;

export interface ScreenerState {
  raw: Record<string, RawValue>;
  province: string;
  region: string;
  /** Facts typed in beyond the first questions (answers to questions asked earlier), kept in the form. */
  extraFacts: string[];
  answers: Record<string, FactValue>;
  report: MatchReport | null;
  policies: ReadonlyMap<string, CompiledPolicy>;
  declaredFacts: DeclaredFact[];
  options: Record<string, string[]>;
  signedIn: boolean;
}

const first = (raw: RawValue) => (Array.isArray(raw) ? raw[0] : raw) ?? '';

/** Hidden inputs that carry every answer given so far into the form that asks the next questions. */
function CarriedAnswers({ state, except }: { state: ScreenerState; except: Set<string> }) {
  const hidden: [string, string][] = [];
  if (!except.has('region')) {
    if (state.province) hidden.push(['province', state.province]);
    if (state.region) hidden.push(['region', state.region]);
  }
  for (const [fact, value] of Object.entries(state.answers)) {
    if (except.has(fact) || fact === 'region') continue;
    for (const item of [rawOf(value)].flat()) hidden.push([fact, item]);
  }
  return (
    <>
      {hidden.map(([name, value], index) => (
        <input key={`${name}-${index}`} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function LoginToClaim({ result, signedIn }: { result: MatchResult; signedIn: boolean }) {
  const { t, locale } = usePage();
  if (result.mode !== 'apply' || result.outcome === 'ineligible') return null;
  const href = signedIn ? policyHref(result.code) : `/login?next=${encodeURIComponent(policyHref(result.code))}`;
  return (
    <p>
      <a href={href}>{t(signedIn ? 'policies.pages.screener.claim' : 'policies.pages.screener.loginToClaim', { title: result.title[locale] })}</a>
    </p>
  );
}

function Results({ state, report }: { state: ScreenerState; report: MatchReport }) {
  const { t } = usePage();
  const words = useWords(state.declaredFacts);
  const facts = report.facts;
  const eligible = report.results.filter((r) => r.outcome === 'eligible');
  const nearMisses = report.results.filter((r) => r.outcome === 'ineligible' && r.nearMiss);
  const undetermined = report.results.filter((r) => r.outcome === 'undetermined');
  const ineligible = report.results.filter((r) => r.outcome === 'ineligible' && !r.nearMiss);
  const questions = questionsToAsk(report.questions).slice(0, QUESTIONS_SHOWN);
  const claim = (result: MatchResult) => <LoginToClaim result={result} signedIn={state.signedIn} />;
  const groupProps = { policies: state.policies, facts, words };
  return (
    <section aria-labelledby="results-heading" className="screener-results">
      <h2 id="results-heading">{t('policies.pages.screener.results')}</h2>
      <p role="status">
        {t('policies.pages.screener.summary', { total: report.results.length, eligible: eligible.length, nearMisses: nearMisses.length, undetermined: undetermined.length, ineligible: ineligible.length })}
      </p>
      {state.signedIn ? null : (
        <InsetText>
          {t('policies.pages.screener.loginLead')} <a href={`/login?next=${encodeURIComponent('/enterprises')}`}>{t('policies.pages.screener.login')}</a>
        </InsetText>
      )}
      {eligible.length ? <ResultGroup id="eligible" title={t('policies.pages.group.eligible', { count: eligible.length })} results={eligible} action={claim} {...groupProps} /> : null}
      {nearMisses.length ? (
        <ResultGroup id="near-misses" title={t('policies.pages.group.nearMisses', { count: nearMisses.length })} lead={t('policies.pages.group.nearMissesLead')} results={nearMisses} {...groupProps} />
      ) : null}
      {undetermined.length ? (
        <ResultGroup id="undetermined" title={t('policies.pages.group.undetermined', { count: undetermined.length })} lead={t('policies.pages.group.undeterminedLead')} results={undetermined} action={claim} {...groupProps}>
          {questions.length ? (
            <form method="get" action="/policies/screener" noValidate className="questions" aria-labelledby="questions-heading">
              <h3 id="questions-heading">{t('policies.pages.questions.title')}</h3>
              <p className="hint">{t('policies.pages.questions.lead')}</p>
              <CarriedAnswers state={state} except={new Set(questions.map((q) => q.fact))} />
              {questions.map((question) =>
                question.fact === 'region' ? (
                  <RegionChoice key="region" idPrefix="q-" province={state.province} region={state.region} />
                ) : (
                  <FactInput
                    key={question.fact}
                    fact={question.fact}
                    id={`q-${question.fact}`}
                    value={state.raw[question.fact]}
                    words={words}
                    listOptions={state.options[question.fact] ?? []}
                    {...(question.label ? { label: question.label[words.locale] } : {})}
                  />
                ),
              )}
              <button type="submit" className="button button--primary">
                {t('policies.pages.questions.submit')}
              </button>
            </form>
          ) : null}
        </ResultGroup>
      ) : null}
      {ineligible.length ? (
        <details className="details">
          <summary className="details__summary">{t('policies.pages.group.ineligible', { count: ineligible.length })}</summary>
          <ol className="result-list">
            {ineligible.map((result) => (
              <ResultItem key={result.code} result={result} policy={state.policies.get(result.versionId)} facts={facts} words={words} />
            ))}
          </ol>
        </details>
      ) : null}
    </section>
  );
}

export function ScreenerPage({ state }: { state: ScreenerState }) {
  const { t } = usePage();
  const words = useWords(state.declaredFacts);
  return (
    <>
      <h1>{t('policies.pages.screener.title')}</h1>
      <p className="lead">{t('policies.pages.screener.lead')}</p>
      <form method="get" action="/policies/screener" noValidate aria-labelledby="screener-form-heading">
        <h2 id="screener-form-heading">{t('policies.pages.screener.formTitle')}</h2>
        <p className="hint">{t('policies.pages.screener.formLead')}</p>
        <RegionChoice province={state.province} region={state.region} />
        {[...FIRST_QUESTIONS, ...state.extraFacts]
          // A list question offers the values policies look for; with none, there is nothing to ask.
          .filter((fact) => !(fact in state.options) || state.options[fact]!.length > 0 || state.raw[fact] !== undefined)
          .map((fact) => (
            <FactInput key={fact} fact={fact} id={fact} value={state.raw[fact]} words={words} listOptions={state.options[fact] ?? []} />
          ))}
        <button type="submit" className="button button--primary">
          {t('policies.pages.screener.submit')}
        </button>
      </form>
      <p>
        <a href="/policies">{t('policies.pages.screener.library')}</a>
      </p>
      {state.report ? <Results state={state} report={state.report} /> : null}
    </>
  );
}

function problemsAsErrors(request: FastifyRequest, problems: AnswerProblem[]): FormError[] {
  const t = tr(request);
  return problems.map((problem) => ({ field: problem.field, message: t(problem.message, problem.params) }));
}

/** The anonymous screener: a GET form, so a set of answers and its results is a link to keep or share. */
export function screenerPages(app: HttpApp, deps: PolicyPageDeps): void {
  app.get('/policies/screener', { schema: { hide: true } }, async (request, reply) => {
    const t = tr(request);
    const raw = rawValues(request.query);
    const policies = await deps.policyLibrary.library();
    const types: Record<string, FactType> = await deps.policyMatching.factTypes(policies);
    delete types.region;
    const { answers, problems } = parseAnswers(raw, types);
    const provinceText = first(raw.province);
    const regionText = first(raw.region);
    if (provinceText && !(/^\d{2}0000$/.test(provinceText) && isKnownRegion(provinceText))) problems.push({ field: 'province', message: 'policies.pages.input.region' });
    if (regionText && !(/^\d{6}$/.test(regionText) && isKnownRegion(regionText))) problems.push({ field: 'region', message: 'policies.pages.input.region' });
    const region = regionFromChoice(provinceText, regionText);
    // The county list follows the province; a county typed with no province still finds its province.
    const province = provinceText || (region ? `${region.slice(0, 2)}0000` : '');
    const options = Object.fromEntries(Object.entries(types).filter(([, type]) => type === 'list').map(([fact]) => [fact, listOptions(policies, fact)]));
    const extraFacts = Object.keys(types).filter((fact) => !(FIRST_QUESTIONS as readonly string[]).includes(fact) && raw[fact] !== undefined && first(raw[fact]) !== '');
    const state: ScreenerState = {
      raw,
      province,
      region: region && region !== province ? region : '',
      extraFacts,
      answers: region ? { ...answers, region } : answers,
      report: null,
      policies: policiesByVersion(policies),
      declaredFacts: declaredFactsOf(policies),
      options,
      signedIn: request.principal?.kind === 'account',
    };
    let errors: FormError[] = problemsAsErrors(request, problems);
    if (!errors.length && Object.keys(state.answers).length) {
      try {
        state.report = await deps.policyMatching.screen(state.answers);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errors = formStateFrom(error, request, {}).errors ?? [];
      }
    }
    return sendPage(request, reply, {
      title: t('policies.pages.screener.title'),
      width: 'wide',
      ...(errors.length ? { form: { values: {}, errors }, status: 400 } : {}),
      children: <ScreenerPage state={state} />,
    });
  });
}
