import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionPrincipal } from '../../core/auth.js';
import { AppError, forbidden } from '../../core/errors.js';
import { problemBody } from '../../core/http.js';
import type { HttpApp } from '../../core/http.js';
import { newId } from '../../core/ids.js';
import type { FormField } from '../../catalog/schema.js';
import { UploadForm } from '../../files/components.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { FormSections, displayValue, local, statusKey, when, type ReusableChoice } from '../../applications/pages/components.js';
import { applicationInputFrom, readPageForm, withPageFields } from '../../applications/pages/input.js';
import { isMaterialNeeded, type FormValues } from '../../applications/form.js';
import { Button, InsetText, SummaryList, Table, WarningText, formStateFrom, seeOther, sendPage, tr, usePage, type FormState } from '../../web/page.js';
import { moneyText } from './money.js';
import { Notice, OutcomeTag, RuleTree, policyHref, useWords } from '../pages/components.js';
import { checkedCode, checkedEnterpriseId } from '../pages/context.js';
import { myPoliciesHref } from '../pages/detail.js';
import type { ClaimPreview, ClaimView } from './claims.js';
import type { GrantView } from './grants.js';
import type { BenefitPageDeps } from './pages.js';
import './messages.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,80}$/;


/** Refusals the claim page's own check (the preview) shows again in place of the form. */
const PREVIEW_BLOCKERS = new Set(['notClaimable', 'notInForce', 'notInRegion', 'applicationWindowClosed', 'notEligible', 'agencyScopeRequired', 'serviceItemUnavailable', 'alreadyClaimed']);

export const benefitsHref = (enterpriseId: string) => `/enterprises/${encodeURIComponent(enterpriseId)}/benefits`;
const claimHref = (code: string, enterpriseId: string) => `${policyHref(code)}/claim?enterprise=${encodeURIComponent(enterpriseId)}`;

/** A person signed in (through their second factor, when they chose one); others are sent to sign in. */
function pagePerson(request: FastifyRequest, reply: FastifyReply): (SessionPrincipal & { personId: string }) | undefined {
  const principal = pageAccount(request, reply);
  if (!principal) return undefined;
  if (!principal.personId) throw forbidden('personOnly');
  return principal as SessionPrincipal & { personId: string };
}

/** What the form shows: the item's questions the profile cannot answer, and the answers it gave. */
interface ClaimForm {
  prefilled: FormValues;
  missing: FormField[];
  reusable: Record<string, ReusableChoice[]>;
}

function ChooseEnterprisePage({ code, title, enterprises }: { code: string; title: string; enterprises: { id: string; name: string }[] }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t('policies.benefits.page.claim.chooseTitle', { title })}</h1>
      {enterprises.length ? (
        <>
          <p>{t('policies.benefits.page.claim.chooseLead')}</p>
          <ul className="list">
            {enterprises.map((enterprise) => (
              <li key={enterprise.id}>
                <a href={claimHref(code, enterprise.id)}>{enterprise.name}</a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <WarningText>{t('policies.benefits.page.claim.noEnterprise')}</WarningText>
          <p>
            <a href="/enterprises">{t('policies.benefits.page.claim.enterprisesLink')}</a>
          </p>
        </>
      )}
    </>
  );
}

function ClaimPage({ preview, form, idempotencyKey }: { preview: ClaimPreview; form: ClaimForm | null; idempotencyKey: string }) {
  const { t, locale, request } = usePage();
  const words = useWords(preview.policy.declaredFacts);
  const { document } = preview.policy;
  const { item, result, blocker, enterprise } = preview;
  const action = claimHref(document.code, enterprise.id);
  const needed = new Set((item?.definition.materials ?? []).filter((m) => isMaterialNeeded(m, form?.prefilled ?? {})).map((m) => m.key));
  const prefilledRows = item ? item.definition.form.fields.filter((field) => form?.prefilled[field.key] !== undefined) : [];
  return (
    <>
      <p className="caption">{enterprise.name}</p>
      <h1>{t('policies.benefits.page.claim.title', { title: document.title[locale] })}</h1>
      <SummaryList
        rows={[
          { key: t('policies.benefits.page.claim.policy'), value: <a href={policyHref(document.code)}>{t('policies.benefits.page.versionValue', { code: document.code, version: preview.policy.version })}</a> },
          { key: t('policies.benefits.page.claim.outcome'), value: <OutcomeTag outcome={result.outcome} /> },
          ...(result.benefit ? [{ key: t('policies.benefits.page.claim.amount'), value: t('policies.pages.unit.yuan', { amount: moneyText(locale, result.benefit.amount) }) }] : []),
          ...(item ? [{ key: t('policies.benefits.page.claim.item'), value: t('policies.benefits.page.claim.itemValue', { item: local(item.definition.name, locale), department: local(item.departmentName, locale) }) }] : []),
        ]}
      />
      <h2>{t('policies.benefits.page.claim.conditions')}</h2>
      <p>{t('policies.benefits.page.claim.recheck')}</p>
      <RuleTree condition={document.eligibility} facts={preview.facts} words={words} />
      {blocker ? (
        <>
          <WarningText>{problemBody(blocker, request).detail ?? problemBody(blocker, request).title}</WarningText>
          <p>
            {blocker.code === 'notEligible' ? <a href={myPoliciesHref(enterprise.id)}>{t('policies.benefits.page.claim.seeMyPolicies')}</a> : <a href={benefitsHref(enterprise.id)}>{t('policies.benefits.page.claim.seeClaims')}</a>}
          </p>
        </>
      ) : item && form ? (
        <>
          <h2>{t('policies.benefits.page.claim.application')}</h2>
          <p>{t('policies.benefits.page.claim.applicationLead', { item: local(item.definition.name, locale), department: local(item.departmentName, locale) })}</p>
          {prefilledRows.length ? (
            <SummaryList rows={prefilledRows.map((field) => ({ key: local(field.label, locale), value: displayValue(field, form.prefilled[field.key], locale, t) }))} />
          ) : null}
          <UploadForm action={action}>
            {/* Made when the page is drawn: a double click or a resent form claims once. */}
            <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
            {form.missing.length === 0 ? <p>{t('policies.benefits.page.claim.nothingToAsk')}</p> : null}
            <FormSections fields={form.missing} materials={item.definition.materials} reusable={form.reusable} provided={{}} neededMaterials={needed} />
            <InsetText>{t('applications.page.edit.declaration')}</InsetText>
            <Button>{t('policies.benefits.page.claim.submit')}</Button>
          </UploadForm>
        </>
      ) : null}
    </>
  );
}

function BenefitsPage({ enterprise, claims, grants, claimed }: { enterprise: { id: string; name: string }; claims: ClaimView[]; grants: GrantView[]; claimed: ClaimView | undefined }) {
  const { t, locale } = usePage();
  const amount = (value: number | null) => (value === null ? t('policies.benefits.page.amountUnknown') : t('policies.pages.unit.yuan', { amount: moneyText(locale, value) }));
  return (
    <>
      <p className="caption">{enterprise.name}</p>
      <h1>{t('policies.benefits.page.benefits.title')}</h1>
      {claimed ? <Notice text={t('policies.benefits.page.benefits.claimed', { title: claimed.policy.title[locale], trackingNumber: claimed.application?.trackingNumber ?? claimed.applicationId })} /> : null}
      <p>
        <a href={myPoliciesHref(enterprise.id)}>{t('policies.benefits.page.myPolicies')}</a>
      </p>
      <h2>{t('policies.benefits.page.benefits.claims')}</h2>
      {claims.length ? (
        <Table
          caption={t('policies.benefits.page.benefits.claimsCaption')}
          head={[t('policies.benefits.page.column.policy'), t('policies.benefits.page.column.claimedAt'), t('policies.benefits.page.column.amount'), t('policies.benefits.page.column.application'), t('policies.benefits.page.column.status')]}
          rows={claims.map((claim) => ({
            key: claim.id,
            cells: [
              <>
                <a href={policyHref(claim.policy.code)}>{claim.policy.title[locale]}</a>
                <span className="secondary-text"> {t('policies.benefits.page.version', { version: claim.policy.version })}</span>
              </>,
              when(claim.createdAt, locale),
              amount(claim.benefit?.amount ?? null),
              claim.application ? (
                <a className="code" href={`/applications/${encodeURIComponent(claim.applicationId)}`}>
                  {claim.application.trackingNumber ?? claim.applicationId}
                </a>
              ) : (
                <span className="code">{claim.applicationId}</span>
              ),
              claim.application ? t(statusKey(claim.application.status)) : t('policies.benefits.page.statusHidden'),
            ],
          }))}
        />
      ) : (
        <p>{t('policies.benefits.page.benefits.noClaims')}</p>
      )}
      <h2>{t('policies.benefits.page.benefits.grants')}</h2>
      <p className="hint">{t('policies.benefits.page.benefits.grantsLead')}</p>
      {grants.length ? (
        <Table
          caption={t('policies.benefits.page.benefits.grantsCaption')}
          head={[t('policies.benefits.page.column.policy'), t('policies.benefits.page.column.grantedAt'), t('policies.benefits.page.column.amount')]}
          rows={grants.map((grant) => ({
            key: grant.policy.versionId,
            cells: [
              <>
                <a href={policyHref(grant.policy.code)}>{grant.policy.title[locale]}</a>
                <span className="secondary-text"> {t('policies.benefits.page.version', { version: grant.policy.version })}</span>
              </>,
              when(grant.grantedAt, locale),
              amount(grant.amount),
            ],
          }))}
        />
      ) : (
        <p>{t('policies.benefits.page.benefits.noGrants')}</p>
      )}
    </>
  );
}

/** The claim page (from a policy page) and the enterprise's claims and grants. */
export function claimPages(app: HttpApp, deps: BenefitPageDeps): void {
  const claimForm = async (principal: SessionPrincipal, preview: ClaimPreview): Promise<ClaimForm | null> => {
    const { item } = preview;
    if (!item || preview.blocker) return null;
    const prefilled = await deps.applications.prefillFor(principal, item.definition.form.fields, preview.enterprise.id);
    const reusable: Record<string, ReusableChoice[]> = {};
    for (const material of item.definition.materials) {
      if (material.source !== 'certificate' || !material.certificateType) continue;
      const found = await deps.certificates.findReusable({ enterpriseId: preview.enterprise.id }, material.certificateType);
      reusable[material.key] = found.map((c) => ({ id: c.id, title: c.title, number: c.number, validUntil: c.validUntil }));
    }
    return { prefilled, missing: item.definition.form.fields.filter((field) => prefilled[field.key] === undefined), reusable };
  };

  const showClaim = async (request: FastifyRequest, reply: FastifyReply, principal: SessionPrincipal, code: string, enterpriseId: string, state?: FormState & { status?: number }, idempotencyKey?: string) => {
    const t = tr(request);
    const preview = await deps.policyClaims.preview(principal, enterpriseId, code);
    const form = await claimForm(principal, preview);
    return sendPage(request, reply, {
      title: t('policies.benefits.page.claim.title', { title: preview.policy.document.title[request.locale ?? 'zh-CN'] }),
      form: state,
      status: state?.status,
      children: <ClaimPage preview={preview} form={form} idempotencyKey={idempotencyKey ?? newId()} />,
    });
  };

  app.get<{ Params: { code: string } }>('/policies/:code/claim', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const code = checkedCode(request.params.code);
    const query = queryOf(request);
    if (query.enterprise) return showClaim(request, reply, principal, code, checkedEnterpriseId(query.enterprise));
    const t = tr(request);
    const policy = await deps.policyLibrary.published(code);
    const enterprises = (await deps.enterprises.myEnterprises(principal)).filter((e) => e.role === 'legalRepresentative' || e.scopes.includes('policies'));
    const title = policy.document.title[request.locale ?? 'zh-CN'];
    return sendPage(request, reply, { title: t('policies.benefits.page.claim.chooseTitle', { title }), children: <ChooseEnterprisePage code={code} title={title} enterprises={enterprises} /> });
  });

  app.post<{ Params: { code: string } }>('/policies/:code/claim', { schema: { hide: true }, config: { multipartForm: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const code = checkedCode(request.params.code);
    const enterpriseId = checkedEnterpriseId(queryOf(request).enterprise ?? '');
    const read = await readPageForm(request);
    const fields = 'error' in read ? read.values : read.form.fields;
    const key = IDEMPOTENCY_KEY.test(fields.idempotencyKey ?? '') ? fields.idempotencyKey! : newId();
    if ('error' in read) return showClaim(request, reply, principal, code, enterpriseId, formStateFrom(read.error, request, read.values), key);
    try {
      const preview = await deps.policyClaims.preview(principal, enterpriseId, code);
      const form = await claimForm(principal, preview);
      const input = form && preview.item ? await applicationInputFrom(read.form, { fields: form.missing, materials: preview.item.definition.materials }, {}, deps.files, principal.accountId) : {};
      const { claim } = await deps.policyClaims.claim(principal, enterpriseId, code, input, key);
      return seeOther(reply, `${benefitsHref(enterpriseId)}?claimed=${encodeURIComponent(claim.id)}`);
    } catch (error) {
      // A refusal of the claim itself (not eligible, already claimed, ...) is what the page shows
      // in place of the form; problems with the answers go next to the answers.
      // Anything else (a claim already under way from another request, a reused key) is said in
      // the error summary above the form, never swallowed.
      if (error instanceof AppError && PREVIEW_BLOCKERS.has(error.code)) return showClaim(request, reply, principal, code, enterpriseId, undefined, key);
      return showClaim(request, reply, principal, code, enterpriseId, formStateFrom(withPageFields(error), request, read.form.fields), key);
    }
  });

  app.get<{ Params: { id: string } }>('/enterprises/:id/benefits', { schema: { hide: true } }, async (request, reply) => {
    const principal = pagePerson(request, reply);
    if (!principal) return reply;
    const t = tr(request);
    const enterpriseId = checkedEnterpriseId(request.params.id);
    const access = await deps.enterprises.authorize(principal, enterpriseId, 'policies');
    const [claims, grants] = await Promise.all([deps.policyClaims.claimsOf(principal, enterpriseId), deps.policyGrants.grantsOf(principal, enterpriseId)]);
    const claimedId = queryOf(request).claimed;
    return sendPage(request, reply, {
      title: t('policies.benefits.page.benefits.title'),
      width: 'wide',
      children: <BenefitsPage enterprise={{ id: access.enterprise.id, name: access.enterprise.name }} claims={claims} grants={grants} claimed={claims.find((c) => c.id === claimedId)} />,
    });
  });
}
