import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { HttpApp } from '../../core/http.js';
import type { Locale, MessageKey } from '../../core/i18n.js';
import { pageAccount, queryOf } from '../../identity/pages/context.js';
import { shanghaiDate } from '../../reference/dates.js';
import { formatDateTime } from '../../web/format.js';
import { Button, Form, formBody, type FormState, formStateFrom, InsetText, requiredFields, seeOther, Select, sendPage, SummaryList, Table, TextInput, tr, usePage, WarningText } from '../../web/page.js';
import { CODE_LENGTH } from '../codes.js';
import type { CertificateStatus, CertificateView, LocalizedText, PublicVerification, ShareView } from '../schema.js';
import type { CertificateService } from '../service.js';
import '../messages.js';

const ID_PATTERN = /^[\w-]{1,64}$/;

const local = (text: LocalizedText, locale: Locale) => (locale === 'en' ? text.en : text['zh-CN']);
const statusKey = (status: CertificateStatus) => `certificate.status.${status}` as MessageKey;
const dayOf = (iso: string) => shanghaiDate(new Date(iso));


interface ListProps {
  certificates: CertificateView[];
  shares: { certificate: CertificateView; share: ShareView }[];
  departments: { id: string; name: LocalizedText }[];
  notice?: string;
}

function CertificateList({ certificates, shares, departments, notice }: ListProps) {
  const { t, locale } = usePage();
  const shareable = certificates.filter((c) => c.status === 'current');
  return (
    <>
      <h1>{t('certificates.list.title')}</h1>
      {notice ? (
        <p className="tag" role="status">
          {notice}
        </p>
      ) : null}
      <p className="lead">{t('certificates.list.lead')}</p>
      {certificates.length === 0 ? (
        <p>{t('certificates.list.none')}</p>
      ) : (
        <Table
          caption={t('certificates.list.caption')}
          head={[t('certificates.list.titleColumn'), t('certificates.list.number'), t('certificates.list.holder'), t('certificates.list.validUntil'), t('certificates.list.status')]}
          rows={certificates.map((c) => ({
            key: c.id,
            cells: [
              <a href={`/certificates/${encodeURIComponent(c.id)}`} aria-label={t('certificates.list.openLabel', { title: local(c.title, locale), number: c.number })}>
                {local(c.title, locale)}
              </a>,
              <span className="code">{c.number}</span>,
              c.holder.name,
              c.validUntil ?? t('certificate.noExpiry'),
              <strong className={`tag tag--${c.status}`}>{t(statusKey(c.status))}</strong>,
            ],
          }))}
        />
      )}

      <h2 id="share">{t('certificates.share.title')}</h2>
      <p>{t('certificates.share.lead')}</p>
      {shareable.length === 0 ? (
        <p>{t('certificates.shares.none.current')}</p>
      ) : (
        <Form action="/account/certificates/shares">
          <Select
            name="certificateId"
            label={t('certificates.share.certificate')}
            placeholder={t('certificates.share.choose')}
            options={shareable.map((c) => ({ value: c.id, label: `${local(c.title, locale)} · ${c.number} · ${c.holder.name}` }))}
          />
          <Select
            name="departmentId"
            label={t('certificates.share.department')}
            placeholder={t('certificates.share.choose')}
            options={departments.map((d) => ({ value: d.id, label: local(d.name, locale) }))}
          />
          <TextInput name="purpose" label={t('certificates.share.purpose')} hint={t('certificates.share.purpose.hint')} autoComplete="off" width={30} />
          <Button>{t('certificates.share.submit')}</Button>
        </Form>
      )}

      <h2 id="shares">{t('certificates.shares.title')}</h2>
      {shares.length === 0 ? (
        <p>{t('certificates.shares.none')}</p>
      ) : (
        <Table
          caption={t('certificates.shares.caption')}
          head={[
            t('certificates.list.titleColumn'),
            t('certificates.shares.department'),
            t('certificates.shares.purpose'),
            t('certificates.shares.consentedAt'),
            t('certificates.shares.status'),
            t('certificates.shares.action'),
          ]}
          rows={shares.map(({ certificate, share }) => ({
            key: share.id,
            cells: [
              local(certificate.title, locale),
              local(share.department.name, locale),
              share.kind === 'material' ? t('certificate.share.kind.material') : share.purpose,
              formatDateTime(share.consentedAt, locale),
              t(`certificate.share.status.${share.status}` as MessageKey),
              share.status === 'active' ? (
                <Form action={`/account/certificates/${encodeURIComponent(certificate.id)}/shares/${encodeURIComponent(share.id)}/revoke`} className="inline-form">
                  <button
                    type="submit"
                    className="link-button"
                    aria-label={t('certificates.shares.revokeLabel', { title: local(certificate.title, locale), department: local(share.department.name, locale) })}
                  >
                    {t('certificates.shares.revoke')}
                  </button>
                </Form>
              ) : (
                ''
              ),
            ],
          }))}
        />
      )}
    </>
  );
}

function PrintableCertificate({ certificate, qrDataUri, verifyPageUrl }: { certificate: CertificateView; qrDataUri: string; verifyPageUrl: string }) {
  const { t, locale } = usePage();
  const c = certificate;
  const validity = c.validUntil
    ? t('certificates.print.validityRange', { from: c.validFrom, until: c.validUntil })
    : t('certificates.print.validityOpen', { from: c.validFrom });
  const hasPrivate = c.fields.some((f) => !f.public);
  return (
    <>
      <div className="no-print">
        <p>
          <a href="/account/certificates">{t('certificates.print.back')}</a>
        </p>
        {c.status === 'revoked' ? <WarningText>{t('certificates.print.revokedWarning', { date: dayOf(c.revokedAt!) })}</WarningText> : null}
        {c.status === 'expired' ? <WarningText>{t('certificates.print.expiredWarning', { date: c.validUntil! })}</WarningText> : null}
        <InsetText>{t('certificates.print.howToPrint')}</InsetText>
      </div>
      <article className="certificate" aria-labelledby="certificate-title">
        <header className="certificate__header">
          <h1 id="certificate-title" className="certificate__title">
            {local(c.title, locale)}
          </h1>
          <p className="certificate__number">
            {t('certificates.print.number')}
            {t('certificates.colon')}
            <span className="code">{c.number}</span>
          </p>
        </header>
        <SummaryList
          rows={[
            { key: t('certificates.print.holder'), value: c.holder.name },
            { key: t('certificates.print.holderId'), value: <span className="code">{c.holder.idMasked}</span> },
            ...c.fields.map((f) => ({
              key: local(f.label, locale),
              value: (
                <>
                  {f.value}
                  {f.public ? null : <span className="secondary-text"> {t('certificates.print.notPublic')}</span>}
                </>
              ),
            })),
            { key: t('certificates.print.issuer'), value: local(c.issuer.name, locale) },
            { key: t('certificates.print.issuedOn'), value: dayOf(c.issuedAt) },
            { key: t('certificates.print.validity'), value: validity },
            { key: t('certificates.print.status'), value: t(statusKey(c.status)) },
          ]}
        />
        {hasPrivate ? <p className="hint">{t('certificates.print.notPublicHint')}</p> : null}
        <div className="certificate__verification">
          <img className="certificate__qr" src={qrDataUri} alt={t('certificates.print.qrAlt', { url: c.verificationUrl })} width={160} height={160} />
          <div>
            <p>
              {t('certificates.print.code')}
              {t('certificates.colon')}
              <strong className="code certificate__code">{c.verificationCode}</strong>
            </p>
            <p className="hint">{t('certificates.print.verifyHint', { url: verifyPageUrl })}</p>
            <p className="hint">{t('certificates.print.signatureText', { kid: c.kid })}</p>
          </div>
        </div>
      </article>
    </>
  );
}

function Verification({ result, code }: { result?: PublicVerification; code?: string }) {
  const { t, locale } = usePage();
  return (
    <>
      {result ? (
        <>
          <div className={`panel verification verification--${result.status}`} role="status">
            <h1 className="panel__title">{t(`verify.genuine.${result.status}` as MessageKey)}</h1>
            <div className="panel__body">{local(result.title, locale)}</div>
          </div>
          <h2>{t('verify.result.caption')}</h2>
          <SummaryList
            rows={[
              { key: t('certificates.print.number'), value: <span className="code">{result.number}</span> },
              { key: t('certificates.print.holder'), value: result.holderName },
              { key: t('certificates.print.issuer'), value: local(result.issuer.name, locale) },
              { key: t('certificates.print.issuedOn'), value: dayOf(result.issuedAt) },
              {
                key: t('certificates.print.validity'),
                value: result.validUntil
                  ? t('certificates.print.validityRange', { from: result.validFrom, until: result.validUntil })
                  : t('certificates.print.validityOpen', { from: result.validFrom }),
              },
              { key: t('certificates.print.status'), value: t(statusKey(result.status)) },
              ...(result.revokedAt ? [{ key: t('verify.revokedOn'), value: dayOf(result.revokedAt) }] : []),
            ]}
          />
          {result.fields.length ? (
            <>
              <h2>{t('verify.publicFields')}</h2>
              <SummaryList rows={result.fields.map((f) => ({ key: local(f.label, locale), value: f.value }))} />
            </>
          ) : null}
          <h2>{t('verify.checkAnother')}</h2>
        </>
      ) : (
        <>
          <h1>{t('verify.title')}</h1>
          <p className="lead">{t('verify.lead')}</p>
        </>
      )}
      {/* GET, so a verification is a link anyone can follow (the QR code is one); nothing changes, no token needed. */}
      <form method="get" action="/verify" noValidate>
        <TextInput
          name="code"
          label={t('verify.code')}
          hint={t('verify.code.hint')}
          autoComplete="off"
          spellCheck={false}
          width={30}
          value={result ? '' : code}
        />
        <Button>{t('verify.submit')}</Button>
      </form>
    </>
  );
}

/**
 * Certificate pages: the holder's list with sharing, the printable certificate with its QR code,
 * and the public verification page. All work without JavaScript.
 */
export function certificatePages(app: HttpApp, certificates: CertificateService): void {
  const showList = async (request: FastifyRequest, reply: FastifyReply, form?: FormState & { status?: number }) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    if (!principal.personId) return reply.callNotFound();
    const t = tr(request);
    const list = await certificates.listForHolder(principal);
    const shares: ListProps['shares'] = [];
    for (const certificate of list) {
      for (const share of await certificates.listShares(principal, certificate.id)) shares.push({ certificate, share });
    }
    shares.sort((a, b) => (a.share.consentedAt < b.share.consentedAt ? 1 : -1));
    const query = queryOf(request);
    const notice = form ? undefined : query.shared === '1' ? t('certificates.share.done') : query.withdrawn === '1' ? t('certificates.share.revoked') : undefined;
    return sendPage(request, reply, {
      title: t('certificates.list.title'),
      width: 'wide',
      form,
      status: form?.status,
      children: <CertificateList certificates={list} shares={shares} departments={await certificates.departmentChoices()} notice={notice} />,
    });
  };

  app.get('/account/certificates', { schema: { hide: true } }, async (request, reply) => showList(request, reply));

  app.post('/account/certificates/shares', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const values = formBody(request);
    const t = tr(request);
    try {
      const missing = requiredFields(values, {
        certificateId: t('certificates.share.certificate'),
        departmentId: t('certificates.share.department'),
        purpose: t('certificates.share.purpose'),
      });
      if (missing) throw missing;
      await certificates.share(principal, values.certificateId!, { departmentId: values.departmentId!, purpose: values.purpose! });
      return seeOther(reply, '/account/certificates?shared=1#shares');
    } catch (error) {
      return showList(request, reply, formStateFrom(error, request, values, 'certificateId'));
    }
  });

  app.post('/account/certificates/:id/shares/:shareId/revoke', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const { id, shareId } = request.params as { id: string; shareId: string };
    if (!ID_PATTERN.test(id) || !ID_PATTERN.test(shareId)) return reply.callNotFound();
    await certificates.revokeShare(principal, id, shareId);
    return seeOther(reply, '/account/certificates?withdrawn=1#shares');
  });

  app.get('/certificates/:id', { schema: { hide: true } }, async (request, reply) => {
    const principal = pageAccount(request, reply);
    if (!principal) return reply;
    const { id } = request.params as { id: string };
    // The printable page is the holder's own document; staff read certificates through the API, audited.
    if (!ID_PATTERN.test(id) || !principal.personId) return reply.callNotFound();
    const certificate = await certificates.get(principal, id);
    const svg = await QRCode.toString(certificate.verificationUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    const qrDataUri = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    return sendPage(request, reply, {
      title: `${local(certificate.title, request.locale ?? 'zh-CN')} ${certificate.number}`,
      width: 'wide',
      children: <PrintableCertificate certificate={certificate} qrDataUri={qrDataUri} verifyPageUrl={certificates.verifyPageUrl} />,
    });
  });

  app.get('/verify', { schema: { hide: true } }, async (request, reply) => {
    const t = tr(request);
    const query = queryOf(request);
    const code = query.code;
    if (code === undefined) return sendPage(request, reply, { title: t('verify.title'), children: <Verification /> });
    const values = { code };
    try {
      const missing = requiredFields(values, { code: t('verify.code') });
      if (missing) throw missing;
      const result = await certificates.verify(code.slice(0, CODE_LENGTH * 3));
      return sendPage(request, reply, { title: t(`verify.genuine.${result.status}` as MessageKey), children: <Verification result={result} /> });
    } catch (error) {
      const form = formStateFrom(error, request, values, 'code');
      return sendPage(request, reply, { title: t('verify.title'), form, status: form.status, children: <Verification code={code} /> });
    }
  });
}
