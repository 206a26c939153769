import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../../core/http.js';
import {
  Button,
  ButtonLink,
  Form,
  SummaryList,
  TextInput,
  WarningText,
  formBody,
  formStateFrom,
  requiredFields,
  seeOther,
  sendPage,
  tr,
  useT,
  type FormState,
} from '../../web/page.js';
import { clearSessionCookie, setSessionCookie } from '../routes.js';
import { queryOf, safeNext, type IdentityPageDeps } from './context.js';

type Audience = 'person' | 'staff';

function LoginForm({ audience, next }: { audience: Audience; next: string }) {
  const t = useT();
  const action = audience === 'staff' ? '/staff/login' : '/login';
  return (
    <>
      <h1>{audience === 'staff' ? t('pages.login.staffTitle') : t('pages.login.title')}</h1>
      {audience === 'staff' ? <p className="lead">{t('pages.login.staffLead')}</p> : null}
      <Form action={action}>
        <input type="hidden" name="next" value={next} />
        {audience === 'staff' ? (
          <TextInput name="login" label={t('pages.login.username')} autoComplete="username" spellCheck={false} width={20} />
        ) : (
          <TextInput name="login" label={t('pages.login.login')} autoComplete="username" spellCheck={false} width={20} />
        )}
        <TextInput name="password" type="password" label={t('pages.login.password')} autoComplete="current-password" width={30} />
        <Button>{t('pages.login.submit')}</Button>
      </Form>
      {audience === 'person' ? (
        <>
          <p>
            {t('pages.login.noAccount')} <a href="/register">{t('pages.login.register')}</a>
          </p>
          <p>
            <a href="/staff/login">{t('pages.login.staffLink')}</a>
          </p>
        </>
      ) : null}
    </>
  );
}

function TotpForm({ next }: { next: string }) {
  const t = useT();
  return (
    <Form action="/login/totp">
      <input type="hidden" name="next" value={next} />
      <TextInput
        name="code"
        label={t('pages.totp.title')}
        isPageHeading
        hint={t('pages.totp.code.hint')}
        autoComplete="one-time-code"
        inputMode="numeric"
        spellCheck={false}
        width={6}
      />
      <Button>{t('pages.totp.submit')}</Button>
    </Form>
  );
}

function EnrolForm({ secret, uri }: { secret: string; uri: string }) {
  const t = useT();
  return (
    <>
      <h1>{t('pages.enrol.title')}</h1>
      <p>{t('pages.enrol.lead')}</p>
      <SummaryList
        rows={[
          { key: t('pages.enrol.secret'), value: <span className="secret">{secret}</span> },
          { key: t('pages.enrol.uri'), value: <code>{uri}</code> },
        ]}
      />
      <WarningText>{t('pages.enrol.warning')}</WarningText>
      <Form action="/login/enrol">
        <input type="hidden" name="secret" value={secret} />
        <input type="hidden" name="uri" value={uri} />
        <TextInput name="code" label={t('pages.enrol.code')} hint={t('pages.enrol.code.hint')} autoComplete="one-time-code" inputMode="numeric" spellCheck={false} width={6} />
        <Button>{t('pages.enrol.submit')}</Button>
      </Form>
    </>
  );
}

function SignedOut({ everywhere }: { everywhere: boolean }) {
  const t = useT();
  return (
    <>
      <h1>{everywhere ? t('pages.loggedOutEverywhere.title') : t('pages.loggedOut.title')}</h1>
      <p>{everywhere ? t('pages.loggedOutEverywhere.body') : t('pages.loggedOut.body')}</p>
      <ButtonLink href="/login">{t('pages.loggedOut.again')}</ButtonLink>
    </>
  );
}

/** Sign-in (password, then the one-time code or authenticator set-up), sign-out. */
export function loginPages(app: HttpApp, deps: IdentityPageDeps): void {
  const showLogin = (request: FastifyRequest, reply: FastifyReply, audience: Audience, next: string, form?: FormState & { status?: number }) => {
    const t = tr(request);
    return sendPage(request, reply, {
      title: audience === 'staff' ? t('pages.login.staffTitle') : t('pages.login.title'),
      form,
      status: form?.status,
      children: <LoginForm audience={audience} next={next} />,
    });
  };

  const logIn = async (request: FastifyRequest, reply: FastifyReply, audience: Audience) => {
    const values = formBody(request);
    const t = tr(request);
    const next = safeNext(values.next);
    try {
      const missing = requiredFields(values, { login: audience === 'staff' ? t('pages.login.username') : t('pages.login.login'), password: t('pages.login.password') });
      if (missing) throw missing;
      const session = await deps.identity.login({ login: values.login!, password: values.password!, userAgent: request.headers['user-agent'], ip: request.ip });
      // Rotation: whatever session this browser had before ends; the new one replaces it.
      if (request.principal?.kind === 'account') await deps.identity.logout(request.principal).catch(() => undefined);
      setSessionCookie(reply, session, deps.cookie);
      if (session.mfaRequired) return seeOther(reply, `/login/totp?next=${encodeURIComponent(next)}`);
      if (session.mfaEnrollmentRequired) return seeOther(reply, '/login/enrol');
      return seeOther(reply, next);
    } catch (error) {
      return showLogin(request, reply, audience, next, formStateFrom(error, request, values, 'login'));
    }
  };

  app.get('/login', { schema: { hide: true } }, async (request, reply) => showLogin(request, reply, 'person', safeNext(queryOf(request).next)));
  app.post('/login', { schema: { hide: true } }, async (request, reply) => logIn(request, reply, 'person'));
  app.get('/staff/login', { schema: { hide: true } }, async (request, reply) => showLogin(request, reply, 'staff', safeNext(queryOf(request).next)));
  app.post('/staff/login', { schema: { hide: true } }, async (request, reply) => logIn(request, reply, 'staff'));

  const showTotp = (request: FastifyRequest, reply: FastifyReply, next: string, form?: FormState & { status?: number }) =>
    sendPage(request, reply, { title: tr(request)('pages.totp.title'), form, status: form?.status, children: <TotpForm next={next} /> });

  app.get('/login/totp', { schema: { hide: true } }, async (request, reply) => {
    const principal = request.principal;
    const next = safeNext(queryOf(request).next);
    if (principal?.kind !== 'account') return seeOther(reply, '/login');
    if (!principal.mfaEnrolled || principal.mfaPassed) return seeOther(reply, next);
    return showTotp(request, reply, next);
  });

  app.post('/login/totp', { schema: { hide: true } }, async (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== 'account') return seeOther(reply, '/login');
    const values = formBody(request);
    const t = tr(request);
    const next = safeNext(values.next);
    try {
      const missing = requiredFields(values, { code: t('pages.totp.code') });
      if (missing) throw missing;
      await deps.identity.passTotp(principal, values.code!);
      return seeOther(reply, next);
    } catch (error) {
      return showTotp(request, reply, next, formStateFrom(error, request, values, 'code'));
    }
  });

  app.get('/login/enrol', { schema: { hide: true } }, async (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== 'account') return seeOther(reply, '/login?next=%2Flogin%2Fenrol');
    if (principal.mfaEnrolled) return seeOther(reply, '/account');
    const { secret, uri } = await deps.identity.startTotpEnrolment(principal);
    return sendPage(request, reply, { title: tr(request)('pages.enrol.title'), children: <EnrolForm secret={secret} uri={uri} /> });
  });

  app.post('/login/enrol', { schema: { hide: true } }, async (request, reply) => {
    const principal = request.principal;
    if (principal?.kind !== 'account') return seeOther(reply, '/login');
    const values = formBody(request);
    const t = tr(request);
    try {
      const missing = requiredFields(values, { code: t('pages.totp.code') });
      if (missing) throw missing;
      await deps.identity.confirmTotpEnrolment(principal, values.code!);
      return seeOther(reply, '/account');
    } catch (error) {
      // The secret was shown on the page already; it comes back from the form so the person can
      // keep using the account they added. A tampered value only changes what they see.
      const secret = /^[A-Z2-7]{16,64}$/.test(values.secret ?? '') ? values.secret! : '';
      const uri = (values.uri ?? '').startsWith('otpauth://') ? values.uri!.slice(0, 500) : '';
      if (!secret) return seeOther(reply, '/login/enrol');
      const form = formStateFrom(error, request, values, 'code');
      return sendPage(request, reply, { title: tr(request)('pages.enrol.title'), form, status: form.status, children: <EnrolForm secret={secret} uri={uri} /> });
    }
  });

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    if (request.principal?.kind === 'account') await deps.identity.logout(request.principal);
    clearSessionCookie(reply, deps.cookie);
    return seeOther(reply, '/signed-out');
  });

  app.get('/signed-out', { schema: { hide: true } }, async (request, reply) => {
    const everywhere = queryOf(request).everywhere === '1';
    const t = tr(request);
    return sendPage(request, reply, {
      title: everywhere ? t('pages.loggedOutEverywhere.title') : t('pages.loggedOut.title'),
      children: <SignedOut everywhere={everywhere} />,
    });
  });
}
