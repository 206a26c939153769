import type { FastifyReply } from 'fastify';
import { requirePerson } from '../core/auth.js';
import { fieldInvalid } from '../core/errors.js';
import type { HttpApp } from '../core/http.js';
import { readMultipart } from './multipart.js';
import { FileParams, FileView, UploadQuery } from './schema.js';
import { FILE_MAX_BYTES, type FileContent, type FileInfo, type FileService } from './service.js';
import { attachmentDisposition, isFileKind } from './sniff.js';

export function fileView(file: FileInfo): FileView {
  return {
    id: file.id,
    sha256: file.sha256,
    type: file.type,
    size: file.size,
    filename: file.filename,
    createdAt: file.createdAt,
    attached: file.attachedTo !== null,
  };
}

/**
 * Sends a stored file as a download. Never inline: the browser saves it rather than rendering a
 * PDF's scripts or an image in our origin, must not second-guess the type, and the sandbox CSP
 * disarms it should it be opened in a tab anyway. Personal material is never cached.
 */
export function sendFileContent(reply: FastifyReply, file: FileContent): FastifyReply {
  return reply
    .header('content-type', file.mime)
    .header('content-disposition', attachmentDisposition(file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store')
    .header('content-length', String(file.bytes.length))
    .send(file.bytes);
}

/** Uploading materials and reading one's own uploads. Staff read materials through applications. */
export function fileRoutes(app: HttpApp, files: FileService): void {
  const tags = ['files'];

  app.post(
    '/api/v1/files',
    {
      // An HTML form without JavaScript may post here too, with `_csrf` as its first field.
      config: { multipartForm: true },
      schema: {
        tags,
        summary: 'Upload a material (multipart/form-data, one file in the field "file")',
        description:
          'The type is judged from the content, never from the name or Content-Type: PDF, JPEG or PNG (or those in `types`). ' +
          'At most 20 MB (or `maxSizeMb`): a larger file is refused with 413, a wrong type with 415, each naming the field; nothing is stored then. ' +
          'Identical content is stored once. Unattached uploads are removed after a day. Session callers send x-csrf-token.',
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        response: { 201: FileView },
      },
    },
    async (request, reply) => {
      const principal = requirePerson(request);
      const maxBytes = (request.query.maxSizeMb ?? FILE_MAX_BYTES / 1024 / 1024) * 1024 * 1024;
      const form = await readMultipart(request, { maxFiles: 1, maxBytes, maxFields: 10 });
      const file = form.files.find((f) => f.field === 'file');
      if (!file) throw fieldInvalid('fileRequired', '/file', 'files.required');
      const allowedTypes = request.query.types?.split(',').filter(isFileKind);
      const stored = await files.store(principal.accountId, { filename: file.filename, bytes: file.bytes, allowedTypes, maxBytes, field: '/file' });
      return reply.status(201).send(fileView(stored));
    },
  );

  app.get(
    '/api/v1/files/:id',
    { schema: { tags, summary: 'An upload of mine: type, size, hash, name', params: FileParams, response: { 200: FileView } } },
    async (request) => fileView(await files.get(requirePerson(request).accountId, request.params.id)),
  );

  app.get(
    '/api/v1/files/:id/content',
    {
      schema: {
        tags,
        summary: 'Download an upload of mine',
        description: 'Sent as an attachment with its real type and X-Content-Type-Options: nosniff.',
        params: FileParams,
      },
    },
    async (request, reply) => sendFileContent(reply, await files.readContent(requirePerson(request).accountId, request.params.id)),
  );
}
