import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ReactNode } from 'react';
import type { MessageKey } from '../../core/i18n.js';
import { Button, ButtonLink, CsrfField, InsetText, PAGE_CSP, renderPage, tr, useT } from '../../web/page.js';
import { fastifyOf, interactionPath } from './provider.js';
import type { PersonScope } from './schema.js';
import './messages.js';

/** Where the person is sent to sign in to Tongban, coming back to the interaction afterwards. */
export function LoginPrompt({ client, uid }: { client: string; uid: string }) {
  const t = useT();
  return (
    <>
      <h1>{t('oidc.login.title')}</h1>
      <p className="lead">{t('oidc.login.lead', { client })}</p>
      <ButtonLink href={`/login?next=${encodeURIComponent(interactionPath(uid))}`}>{t('oidc.login.continue')}</ButtonLink>
    </>
  );
}

/** Consent names the system and lists what it will receive, one line per scope. */
export function ConsentPage({ client, scopes, uid }: { client: string; scopes: (PersonScope | 'offline_access')[]; uid: string }) {
  const t = useT();
  return (
    <>
      <h1>{t('oidc.consent.title', { client })}</h1>
      <p className="lead">{t('oidc.consent.lead', { client })}</p>
      <ul>
        {scopes.map((scope) => (
          <li key={scope}>{t(`oidc.scope.${scope}`)}</li>
        ))}
      </ul>
      <InsetText>{t('oidc.consent.remember')}</InsetText>
      <form method="post" action={`${interactionPath(uid)}/consent`} noValidate>
        <CsrfField />
        <div className="button-group">
          <Button name="decision" value="allow">
            {t('oidc.consent.allow')}
          </Button>
          <Button name="decision" value="deny" variant="secondary">
            {t('oidc.consent.deny')}
          </Button>
        </div>
      </form>
    </>
  );
}

export function InteractionExpired() {
  const t = useT();
  return (
    <>
      <h1>{t('oidc.interaction.expiredTitle')}</h1>
      <p>{t('oidc.interaction.expired')}</p>
    </>
  );
}

function ProviderError({ error }: { error: string }) {
  const t = useT();
  return (
    <>
      <h1>{t('oidc.error.title')}</h1>
      <p>{t('oidc.error.lead')}</p>
      <p className="hint">{t('oidc.error.code', { error })}</p>
    </>
  );
}

/** The provider's own form (its action and anti-forgery value) with our words and buttons. */
function LogoutConfirmation({ form }: { form: string }) {
  const t = useT();
  return (
    <>
      <h1>{t('oidc.logout.title')}</h1>
      <p>{t('oidc.logout.lead')}</p>
      <div dangerouslySetInnerHTML={{ __html: form }} />
      <div className="button-group">
        <button type="submit" className="button button--primary" form="op.logoutForm" name="logout" value="yes">
          {t('oidc.logout.yes')}
        </button>
        <button type="submit" className="button button--secondary" form="op.logoutForm">
          {t('oidc.logout.no')}
        </button>
      </div>
    </>
  );
}

function SignedOut() {
  const t = useT();
  return (
    <>
      <h1>{t('oidc.logout.doneTitle')}</h1>
      <p>{t('oidc.logout.doneLead')}</p>
      <p>
        <a href="/">{t('oidc.logout.home')}</a>
      </p>
    </>
  );
}

/** Pages the provider itself renders (errors, sign-out), in the site's layout and language. */
export function providerPages() {
  const send = (ctx: KoaContextWithOIDC, title: MessageKey, children: ReactNode) => {
    const fastify = fastifyOf(ctx);
    ctx.type = 'html';
    ctx.set('content-security-policy', PAGE_CSP);
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('cache-control', 'no-store');
    // Every provider request arrives through our Fastify route; the fallback is for safety only.
    ctx.body = fastify ? renderPage(fastify.request, fastify.reply, { title: tr(fastify.request)(title), children }) : `<!DOCTYPE html><title>Tongban</title><h1>${ctx.status}</h1>`;
  };
  return {
    renderError: async (ctx: KoaContextWithOIDC, out: { error: string }) => send(ctx, 'oidc.error.title', <ProviderError error={out.error} />),
    logoutSource: async (ctx: KoaContextWithOIDC, form: string) => send(ctx, 'oidc.logout.title', <LogoutConfirmation form={form} />),
    postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => send(ctx, 'oidc.logout.doneTitle', <SignedOut />),
  };
}
