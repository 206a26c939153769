import type { MessageKey, MessageParams } from './i18n.js';

/** One wrong field: a JSON pointer-ish path (`/idNumber`) and a message key with its parameters. */
export interface FieldProblem {
  field: string;
  message: MessageKey;
  params?: MessageParams;
}

/**
 * Domain errors are values with a stable `code`; one handler in core turns them into RFC 9457
 * problem+json, translated for the reader. Services never build HTTP responses themselves.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly titleKey: MessageKey,
    readonly detailKey?: MessageKey,
    readonly params: MessageParams = {},
    readonly fields: FieldProblem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
  }
}

export const invalid = (code: string, fields: FieldProblem[], detailKey: MessageKey = 'error.validation.detail', params?: MessageParams) =>
  new AppError(400, code, 'error.validation.title', detailKey, params, fields);

export const fieldInvalid = (code: string, field: string, message: MessageKey, params?: MessageParams) =>
  invalid(code, [{ field, message, params }]);

export const unauthorized = (code = 'unauthorized', detailKey: MessageKey = 'error.unauthorized.detail', params?: MessageParams) =>
  new AppError(401, code, 'error.unauthorized.title', detailKey, params);

export const forbidden = (code = 'forbidden', detailKey: MessageKey = 'error.forbidden.detail', params?: MessageParams) =>
  new AppError(403, code, 'error.forbidden.title', detailKey, params);

export const notFound = (code = 'notFound', detailKey: MessageKey = 'error.notFound.detail', params?: MessageParams) =>
  new AppError(404, code, 'error.notFound.title', detailKey, params);

export const conflict = (code: string, detailKey: MessageKey, params?: MessageParams, fields: FieldProblem[] = []) =>
  new AppError(409, code, 'error.conflict.title', detailKey, params, fields);

export const tooManyRequests = (code: string, retryAfterSeconds: number, detailKey: MessageKey = 'error.tooManyRequests.detail') =>
  new AppError(429, code, 'error.tooManyRequests.title', detailKey, { seconds: retryAfterSeconds }, [], {
    'retry-after': String(retryAfterSeconds),
  });
