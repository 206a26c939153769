import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpApp } from '../../core/http.js';
import {
  Button,
  Form,
  InsetText,
  Panel,
  TextInput,
  formBody,
  formStateFrom,
  requiredFields,
  seeOther,
  sendPage,
  tr,
  useT,
  type FormState,
} from '../../web/page.js';
import { queryOf, type IdentityPageDeps } from './context.js';

const CHALLENGE_PATTERN = /^[\w-]{1,64}$/;

function RegistrationForm() {
  const t = useT();
  return (
    <>
      <h1>{t('pages.register.title')}</h1>
      <p className="lead">{t('pages.register.lead')}</p>
      <Form action="/register">
        <TextInput name="name" label={t('pages.register.name')} hint={t('pages.register.name.hint')} autoComplete="name" spellCheck={false} width={20} />
        <TextInput name="idNumber" label={t('pages.register.idNumber')} hint={t('pages.register.idNumber.hint')} autoComplete="off" spellCheck={false} width={20} />
        <TextInput name="phone" type="tel" label={t('pages.register.phone')} hint={t('pages.register.phone.hint')} autoComplete="tel-national" inputMode="tel" width={20} />
        <TextInput name="password" type="password" label={t('pages.register.password')} hint={t('pages.register.password.hint')} autoComplete="new-password" width={30} />
        <Button>{t('pages.register.submit')}</Button>
      </Form>
      <p>
        {t('pages.register.haveAccount')} <a href="/login">{t('pages.login.submit')}</a>
      </p>
    </>
  );
}

function ConfirmPhoneForm({ challenge, showDevHint }: { challenge: string; showDevHint: boolean }) {
  const t = useT();
  return (
    <>
      <Form action="/register/confirm">
        <input type="hidden" name="challenge" value={challenge} />
        <TextInput
          name="code"
          label={t('pages.confirm.title')}
          isPageHeading
          hint={`${t('pages.confirm.lead')} ${t('pages.confirm.code.hint')}`}
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          width={6}
        />
        <Button>{t('pages.confirm.submit')}</Button>
      </Form>
      <Form action="/register/resend">
        <input type="hidden" name="challenge" value={challenge} />
        <p>{t('pages.confirm.resend.lead')}</p>
        <Button variant="secondary">{t('pages.confirm.resend')}</Button>
      </Form>
      {showDevHint ? (
        <InsetText>
          {t('pages.confirm.devHint')} <a href="/dev/outbox">{t('web.footer.devOutbox')}</a>
        </InsetText>
      ) : null}
    </>
  );
}

function Registered() {
  const t = useT();
  return (
    <>
      <Panel title={t('pages.registered.title')}>{t('pages.registered.body')}</Panel>
      <p>{t('pages.registered.next')}</p>
      <p>
        <a href="/login">{t('pages.registered.login')}</a>
      </p>
    </>
  );
}

/** Registration as a person: real name and ID against the registry, then the SMS code, then done. */
export function registrationPages(app: HttpApp, deps: IdentityPageDeps): void {
  const showRegistration = (request: FastifyRequest, reply: FastifyReply, form?: FormState & { status?: number }) =>
    sendPage(request, reply, { title: tr(request)('pages.register.title'), form, status: form?.status, children: <RegistrationForm /> });

  app.get('/register', { schema: { hide: true } }, async (request, reply) => showRegistration(request, reply));

  app.post('/register', { schema: { hide: true } }, async (request, reply) => {
    const values = formBody(request);
    const t = tr(request);
    try {
      const missing = requiredFields(values, {
        name: t('pages.register.name'),
        idNumber: t('pages.register.idNumber'),
        phone: t('pages.register.phone'),
        password: t('pages.register.password'),
      });
      if (missing) throw missing;
      const { challengeId } = await deps.identity.register(
        { name: values.name!, idNumber: values.idNumber!, phone: values.phone!, password: values.password! },
        request.locale,
      );
      return seeOther(reply, `/register/confirm?challenge=${encodeURIComponent(challengeId)}`);
    } catch (error) {
      return showRegistration(request, reply, formStateFrom(error, request, values, 'idNumber'));
    }
  });

  const showConfirm = (request: FastifyRequest, reply: FastifyReply, challenge: string, form?: FormState & { status?: number }) =>
    sendPage(request, reply, {
      title: tr(request)('pages.confirm.title'),
      form,
      status: form?.status,
      children: <ConfirmPhoneForm challenge={challenge} showDevHint={!deps.production} />,
    });

  app.get('/register/confirm', { schema: { hide: true } }, async (request, reply) => {
    const challenge = queryOf(request).challenge ?? '';
    if (!CHALLENGE_PATTERN.test(challenge)) return seeOther(reply, '/register');
    return showConfirm(request, reply, challenge);
  });

  app.post('/register/confirm', { schema: { hide: true } }, async (request, reply) => {
    const values = formBody(request);
    const t = tr(request);
    const challenge = values.challenge ?? '';
    if (!CHALLENGE_PATTERN.test(challenge)) return seeOther(reply, '/register');
    try {
      const missing = requiredFields(values, { code: t('pages.confirm.code') });
      if (missing) throw missing;
      await deps.identity.confirmPhone(challenge, values.code!);
      return seeOther(reply, '/register/done');
    } catch (error) {
      return showConfirm(request, reply, challenge, formStateFrom(error, request, values, 'code'));
    }
  });

  app.post('/register/resend', { schema: { hide: true } }, async (request, reply) => {
    const values = formBody(request);
    const challenge = values.challenge ?? '';
    if (!CHALLENGE_PATTERN.test(challenge)) return seeOther(reply, '/register');
    try {
      const fresh = await deps.identity.resendRegistrationCode(challenge, request.locale);
      return seeOther(reply, `/register/confirm?challenge=${encodeURIComponent(fresh.challengeId)}`);
    } catch (error) {
      return showConfirm(request, reply, challenge, formStateFrom(error, request, values, 'code'));
    }
  });

  app.get('/register/done', { schema: { hide: true } }, async (request, reply) =>
    sendPage(request, reply, { title: tr(request)('pages.registered.title'), children: <Registered /> }),
  );
}
