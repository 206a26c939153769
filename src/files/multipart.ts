import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { csrfDeferredToBody, verifyCsrfToken } from '../core/csrf.js';
import { AppError, invalid } from '../core/errors.js';
import { API_BODY_LIMIT, type HttpApp } from '../core/http.js';
import type { MessageParams } from '../core/i18n.js';
import { FILE_MAX_BYTES, fileTooLarge } from './service.js';
import './messages.js';

/**
 * Adds the multipart/form-data parser, once, for the whole app. It only marks the request as
 * multipart and leaves the body unread: a route declared with `config: { multipartForm: true }`
 * streams it with `readMultipart`, so the JSON and urlencoded parsers (and their 64 KB limit) are
 * untouched, and no upload ever touches a disk.
 */
export async function registerMultipart(app: HttpApp): Promise<void> {
  await app.register(multipart, {
    // Backstops only: readMultipart enforces the real limits with a message naming the field.
    limits: { fileSize: FILE_MAX_BYTES + 1, files: 50, fields: 500, parts: 550, fieldSize: API_BODY_LIMIT, fieldNameSize: 200, headerPairs: 100 },
    throwFileSizeLimit: false,
  });
  // Only routes that read uploads take multipart bodies; every other route answers 415 as it did
  // before the parser existed, instead of meeting an empty body.
  app.addHook('preValidation', async (request) => {
    if (request.isMultipart() && request.routeOptions.config?.multipartForm !== true) {
      throw new AppError(415, 'unsupportedMediaType', 'error.unsupportedMediaType.title', 'error.unsupportedMediaType.detail');
    }
  });
}

export interface MultipartLimits {
  /** Most files in one request; a file input left empty does not count. */
  maxFiles: number;
  /** All files of the request together. */
  maxBytes: number;
  /** One file; maxBytes when not given. */
  maxFileBytes?: number;
  /** Most text fields (200 when not given). */
  maxFields?: number;
}

export interface UploadedPart {
  /** The form field's name. */
  field: string;
  /** The name the browser sent; never trusted, only kept (sanitised) as the file's label. */
  filename: string;
  bytes: Buffer;
}

export interface MultipartForm {
  /** Text fields, the first value of each name. */
  fields: Record<string, string>;
  /** Every value of each name (checkboxes). */
  lists: Record<string, string[]>;
  files: UploadedPart[];
}

/**
 * A limit broken while the form was streaming. It carries the text fields read so far, so that a
 * page can show the form again with what was typed.
 */
export class MultipartLimitError extends AppError {
  constructor(
    base: AppError,
    readonly values: Record<string, string>,
  ) {
    // Stop reading at once: the rest of an oversized body is not worth receiving.
    super(base.status, base.code, base.titleKey, base.detailKey, base.params, base.fields, { ...base.headers, connection: 'close' });
  }
}

const malformed = () => new AppError(400, 'multipartMalformed', 'error.badRequest.title', 'files.multipart.malformed');
const fieldProblem = (code: string, field: string, message: 'files.multipart.fieldTooLong' | 'files.multipart.nul', params?: MessageParams) =>
  invalid(code, [{ field: `/${field}`, message, params: params ?? { field } }]);

/**
 * Reads a multipart form: text fields and files, with the limits enforced while it streams (a
 * file is cut off the moment it passes its limit, with a problem naming the field). Files left
 * empty by the browser (an input where nothing was chosen) are skipped.
 *
 * CSRF: if the route opted in with `config: { multipartForm: true }` and the request carried no
 * x-csrf-token header, the `_csrf` field must come before any file (as `<UploadForm>` renders
 * it); a request without it, or with a wrong one, is refused before a single file byte is kept.
 */
export async function readMultipart(request: FastifyRequest, limits: MultipartLimits): Promise<MultipartForm> {
  if (!request.isMultipart()) {
    throw new AppError(415, 'multipartRequired', 'error.unsupportedMediaType.title', 'files.multipart.required');
  }
  const maxFileBytes = Math.min(limits.maxFileBytes ?? limits.maxBytes, limits.maxBytes);
  const maxFields = limits.maxFields ?? 200;
  const fields: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const files: UploadedPart[] = [];
  let totalBytes = 0;
  let fieldCount = 0;
  const fail = (error: AppError): never => {
    throw new MultipartLimitError(error, { ...fields });
  };

  try {
    // The parser's own limits sit just above ours (with room for inputs left empty), so ours,
    // which name the field, are the ones that fire.
    for await (const part of request.parts({ limits: { fileSize: maxFileBytes + 1, files: limits.maxFiles + 20, fields: maxFields + 1 } })) {
      if (part.type === 'field') {
        if (++fieldCount > maxFields) fail(new AppError(413, 'tooManyFields', 'error.bodyTooLarge.title', 'files.multipart.tooManyFields'));
        const name = part.fieldname;
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        if (part.valueTruncated || part.fieldnameTruncated) fail(fieldProblem('fieldTooLong', name, 'files.multipart.fieldTooLong'));
        // PostgreSQL text cannot hold NUL; refuse it here as the JSON parser does for JSON bodies.
        if (name.includes('\u0000') || value.includes('\u0000')) fail(fieldProblem('validation', name.replace(/\u0000/g, ''), 'files.multipart.nul'));
        if (name === '_csrf' && csrfDeferredToBody(request)) verifyCsrfToken(request, value);
        fields[name] ??= value;
        (lists[name] ??= []).push(value);
        continue;
      }
      const field = part.fieldname;
      if (csrfDeferredToBody(request)) {
        part.file.resume();
        verifyCsrfToken(request, undefined);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file as AsyncIterable<Buffer>) {
        size += chunk.length;
        totalBytes += chunk.length;
        if (size > maxFileBytes) fail(fileTooLarge(`/${field}`, maxFileBytes));
        if (totalBytes > limits.maxBytes) fail(fileTooLarge(`/${field}`, limits.maxBytes));
        chunks.push(chunk);
      }
      // Browsers send an input where nothing was chosen as an empty part without a name.
      if (size === 0 && !part.filename) continue;
      if (files.length >= limits.maxFiles) {
        fail(new AppError(413, 'tooManyFiles', 'error.bodyTooLarge.title', 'error.validation.detail', {}, [
          { field: `/${field}`, message: 'files.tooMany', params: { limit: limits.maxFiles } },
        ]));
      }
      files.push({ field, filename: part.filename ?? '', bytes: Buffer.concat(chunks, size) });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') {
      fail(new AppError(413, 'tooManyFiles', 'error.bodyTooLarge.title', 'files.tooMany', { limit: limits.maxFiles }));
    }
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') {
      fail(new AppError(413, 'tooManyFields', 'error.bodyTooLarge.title', 'files.multipart.tooManyFields'));
    }
    if (code === 'FST_PROTO_VIOLATION') fail(malformed());
    request.log.info({ error: error instanceof Error ? error.message : String(error) }, 'malformed multipart body');
    fail(malformed());
  }
  // A form whose token never came (or came only after the files) proves nothing.
  if (csrfDeferredToBody(request)) verifyCsrfToken(request, undefined);
  return { fields, lists, files };
}
