import type { Logger } from 'pino';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, type FieldProblem } from './errors.js';
import { newId } from './ids.js';
import { isLocale, negotiateLocale, translate, type Locale, type MessageParams } from './i18n.js';
import { bodyAjv, fieldProblems, pointerSegment, queryAjv } from './validation.js';
import './messages.js';

export const API_BODY_LIMIT = 64 * 1024;
const MAX_JSON_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
  }
}

export interface HttpOptions {
  logger: Logger;
  production: boolean;
  publicUrl: string;
}

/**
 * Keeps ID numbers, phone numbers and tokens out of the logs: request URLs are logged without
 * their query string, and headers that carry credentials are dropped.
 */
export const logSerializers = {
  req(request: FastifyRequest) {
    return { method: request.method, path: request.url.split('?')[0], remoteAddress: request.ip };
  },
  res(reply: FastifyReply) {
    return { statusCode: reply.statusCode };
  },
};

export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.idNumber',
  '*.phone',
  '*.code',
  '*.token',
];

function checkJsonShape(value: unknown, depth: number): string | undefined {
  if (depth > MAX_JSON_DEPTH) return 'tooDeep';
  if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) return `key:${key}`;
      const problem = checkJsonShape((value as Record<string, unknown>)[key], depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

/**
 * JSON Pointer to the first string or key holding a NUL character. PostgreSQL text cannot store
 * one (the query fails), so such input is refused as a field problem before it reaches a store.
 */
function findNulCharacter(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '/' : undefined;
  if (!value || typeof value !== 'object' || depth > MAX_JSON_DEPTH) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const innerPath = `${path}/${pointerSegment(key)}`;
    if (key.includes('\u0000')) return innerPath;
    const found = findNulCharacter(inner, innerPath, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function badRequest(code: string, detailKey: Parameters<typeof translate>[1], params?: MessageParams, fields: FieldProblem[] = []) {
  return new AppError(400, code, 'error.badRequest.title', detailKey as never, params, fields);
}

/** Renders a message whose parameters may themselves be message keys, written `{key}`. */
function render(locale: Locale, key: string, params: MessageParams = {}): string {
  const resolved: MessageParams = {};
  for (const [name, value] of Object.entries(params)) {
    resolved[name] = typeof value === 'string' && /^\{[\w.-]+\}$/.test(value) ? translate(locale, value.slice(1, -1)) : value;
  }
  return translate(locale, key, resolved);
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  requestId: string;
  errors?: { field: string; message: string; code: string }[];
}

export function problemBody(error: AppError, request: FastifyRequest): Problem {
  const locale = request.locale ?? 'zh-CN';
  return {
    type: `https://tongban.gov.cn/problems/${error.code}`,
    title: render(locale, error.titleKey),
    status: error.status,
    code: error.code,
    ...(error.detailKey ? { detail: render(locale, error.detailKey, error.params) } : {}),
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...(error.fields.length
      ? { errors: error.fields.map((f) => ({ field: f.field, message: render(locale, f.message, f.params), code: f.message })) }
      : {}),
  };
}

/** Maps anything thrown during a request to an AppError; unknown errors become a 500 without details. */
export function toAppError(error: FastifyError | Error): AppError | undefined {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError & { validationContext?: string; validation?: unknown[] };
  if (fe.validation) {
    const prefix = fe.validationContext && fe.validationContext !== 'body' ? `/${fe.validationContext}` : '';
    return new AppError(400, 'validation', 'error.validation.title', 'error.validation.detail', {}, fieldProblems(fe.validation as never, prefix));
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError(413, 'bodyTooLarge', 'error.bodyTooLarge.title', 'error.bodyTooLarge.detail', { limit: API_BODY_LIMIT });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(415, 'unsupportedMediaType', 'error.unsupportedMediaType.title', 'error.unsupportedMediaType.detail');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return badRequest('invalidJson', 'error.invalidJson.detail');
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    if (fe.statusCode === 404) return new AppError(404, 'notFound', 'error.notFound.title', 'error.notFound.detail');
    if (fe.statusCode === 413) return new AppError(413, 'bodyTooLarge', 'error.bodyTooLarge.title', 'error.bodyTooLarge.detail', { limit: API_BODY_LIMIT });
    if (fe.statusCode === 415) return new AppError(415, 'unsupportedMediaType', 'error.unsupportedMediaType.title', 'error.unsupportedMediaType.detail');
    return badRequest('badRequest', 'error.invalidJson.detail');
  }
  return undefined;
}

export type HtmlErrorRenderer = (request: FastifyRequest, reply: FastifyReply, problem: Problem) => unknown;

/** Pages (anything outside /api and the OIDC endpoints) get an HTML error page instead of JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  const url = request.url;
  if (url.startsWith('/api') || url.startsWith('/oidc') || url.startsWith('/.well-known')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

export async function createHttpApp(options: HttpOptions) {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: API_BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : newId();
    },
    trustProxy: options.production,
    ajv: { customOptions: { allErrors: true, coerceTypes: false, removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? bodyAjv.compile(schema) : queryAjv.compile(schema),
  );

  app.log.info('starting HTTP application');

  let htmlErrorRenderer: HtmlErrorRenderer | undefined;
  app.decorate('setHtmlErrorRenderer', (renderer: HtmlErrorRenderer) => {
    htmlErrorRenderer = renderer;
  });

  // The platform's own JSON parser: same limits as Fastify's, plus a depth limit and a ban on
  // prototype keys, each answered with a message that says which rule was broken.
  app.removeContentTypeParser('application/json');
  // Fastify also takes text/plain by default; no route wants a bare string, and a JSON body sent as
  // text/plain deserves "send application/json" (415) rather than "expected an object".
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: API_BODY_LIMIT }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(badRequest('invalidJson', 'error.invalidJson.detail'), undefined);
    }
    const problem = checkJsonShape(parsed, 0);
    if (problem === 'tooDeep') return done(badRequest('jsonTooDeep', 'error.tooDeep.detail'), undefined);
    if (problem) return done(badRequest('forbiddenKey', 'error.forbiddenKey.detail', { key: problem.slice(4) }), undefined);
    done(null, parsed);
  });

  app.addHook('preValidation', async (request) => {
    const field =
      findNulCharacter(request.body, '') ?? findNulCharacter(request.query, '/querystring') ?? findNulCharacter(request.params, '/params');
    if (field) throw new AppError(400, 'validation', 'error.validation.title', 'error.validation.detail', {}, [{ field, message: 'field.nulCharacter' }]);
  });

  await app.register(cookie);
  // After the cookie plugin, so that the remembered `lang` cookie is already parsed.
  app.decorateRequest('locale', 'zh-CN');
  app.addHook('onRequest', async (request, reply) => {
    const fromQuery = new URL(request.url, 'http://x').searchParams.get('lang');
    const fromCookie = request.cookies?.lang;
    request.locale = isLocale(fromQuery) ? fromQuery : isLocale(fromCookie) ? fromCookie : negotiateLocale(request.headers['accept-language']);
    reply.header('x-request-id', request.id);
    reply.header('content-language', request.locale);
  });

  await app.register(formbody, { bodyLimit: API_BODY_LIMIT });

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (!appError) {
      request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    }
    const effective =
      appError ?? new AppError(500, 'internal', 'error.internal.title', 'error.internal.detail', { requestId: String(request.id) });
    const problem = problemBody(effective, request);
    for (const [name, value] of Object.entries(effective.headers)) reply.header(name, value);
    reply.status(effective.status);
    if (htmlErrorRenderer && wantsHtml(request)) return htmlErrorRenderer(request, reply, problem);
    return reply.type('application/problem+json; charset=utf-8').send(problem);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const problem = problemBody(new AppError(404, 'notFound', 'error.notFound.title', 'error.notFound.detail'), request);
    reply.status(404);
    if (htmlErrorRenderer && wantsHtml(request)) return htmlErrorRenderer(request, reply, problem);
    return reply.type('application/problem+json; charset=utf-8').send(problem);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tongban API',
        version: '1',
        description: 'Integrated government service platform. Errors are RFC 9457 problem+json; send Accept-Language: en for English messages.',
      },
      servers: [{ url: options.publicUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tb_session' },
          clientCredentials: { type: 'http', scheme: 'bearer', description: 'OAuth 2.0 client-credentials access token of a departmental client' },
        },
      },
    },
    hideUntagged: false,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

export type HttpApp = Awaited<ReturnType<typeof createHttpApp>>;

declare module 'fastify' {
  interface FastifyInstance {
    setHtmlErrorRenderer(renderer: HtmlErrorRenderer): void;
  }
}

