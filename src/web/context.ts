import { createContext, useContext } from 'react';
import type { FastifyRequest } from 'fastify';
import type { Locale, Translator } from '../core/i18n.js';

/** One problem with one field, already translated. `field` is the input's id (`idNumber`), or '' for the form as a whole. */
export interface FormError {
  field: string;
  message: string;
}

/** What a re-rendered form needs: what the person typed and what was wrong with it. */
export interface FormState {
  values?: Record<string, string | string[] | undefined>;
  errors?: FormError[];
}

export interface PageContextValue {
  request: FastifyRequest;
  locale: Locale;
  t: Translator;
  form: FormState;
  csrfToken(): string;
}

export const PageContext = createContext<PageContextValue | null>(null);

export function usePage(): PageContextValue {
  const page = useContext(PageContext);
  if (!page) throw new Error('portal components must be rendered through sendPage');
  return page;
}

export function useT(): Translator {
  return usePage().t;
}

