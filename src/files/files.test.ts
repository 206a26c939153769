import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../core/testing.js';
import { staffSession, sessionCookieOf } from '../identity/testing.js';
import { makeResidentId } from '../reference/testing.js';
import { createServices, type Services } from '../services.js';
import { createElement } from 'react';
import { formStateFrom, sendPage } from '../web/page.js';
import { FileInput, UploadForm } from './components.js';
import { MultipartLimitError, readMultipart } from './multipart.js';

// Tiny but real files of each accepted kind, built here so the test shows what they are.
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const pixels = deflateSync(Buffer.from([0, 0x2f, 0x7a, 0xb9, 0xff])); // filter byte + one pixel
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

function pdf(text = 'Tongban'): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>',
    `<< /Length ${`BT /F1 12 Tf 10 50 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 12 Tf 10 50 Td (${text}) Tj ET\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(out.length);
    out += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function jpeg(): Buffer {
  // SOI, a JFIF APP0 segment, EOI: what every JPEG starts and ends with.
  return Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00, 0xff, 0xd9]);
}

function windowsExecutable(): Buffer {
  // DOS header ("MZ") whose e_lfanew points at a PE signature: a Windows program.
  const bytes = Buffer.alloc(256);
  bytes.write('MZ', 0, 'latin1');
  bytes.writeUInt32LE(0x80, 0x3c);
  bytes.write('PE\0\0', 0x80, 'latin1');
  return bytes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A multipart body as a browser would send it, fields in the order given. */
async function multipart(parts: ({ name: string; value: string } | { name: string; filename: string; bytes: Buffer; type?: string })[]) {
  const form = new FormData();
  for (const part of parts) {
    if ('value' in part) form.append(part.name, part.value);
    else form.append(part.name, new Blob([new Uint8Array(part.bytes)], { type: part.type ?? 'application/octet-stream' }), part.filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type')! };
}

const wang = { name: '王芳', idNumber: makeResidentId({ region: '310115', birthDate: '1984-06-12', sequence: 122 }), phone: '13912340001', password: 'harbour-lights-84' };
const li = { name: '李明', idNumber: makeResidentId({ region: '310104', birthDate: '1991-02-03', sequence: 31 }), phone: '13912340002', password: 'maple-street-1991' };

type Test = Awaited<ReturnType<typeof createTestPlatform>> & { app: Awaited<ReturnType<typeof import('../app.js').buildApp>> };

describe('applicants upload materials: real type from the content, size limits, stored once by hash', () => {
  let t: Test;
  let services: Services;
  let wangSession: { cookie: string; csrf: string; accountId: string };
  let liSession: { cookie: string; csrf: string; accountId: string };
  let pageFormSaw: { fields: Record<string, string>; files: { field: string; filename: string; size: number }[] } | undefined;

  const logIn = async (who: { phone: string; password: string }) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/identity/sessions', payload: { login: who.phone, password: who.password } });
    const cookie = sessionCookieOf(response);
    const principal = await services.identity.resolveSession(cookie.slice('tb_session='.length));
    return { cookie, csrf: (response.json() as { csrfToken: string }).csrfToken, accountId: principal!.accountId };
  };
  const upload = async (
    who: { cookie: string; csrf?: string },
    file: { filename: string; bytes: Buffer; type?: string },
    options: { query?: string; field?: string; lang?: string } = {},
  ) => {
    const body = await multipart([{ name: options.field ?? 'file', ...file }]);
    return t.app.inject({
      method: 'POST',
      url: `/api/v1/files${options.query ?? ''}`,
      headers: {
        cookie: who.cookie,
        'content-type': body.contentType,
        ...(who.csrf ? { 'x-csrf-token': who.csrf } : {}),
        ...(options.lang ? { 'accept-language': options.lang } : {}),
      },
      payload: body.payload,
    });
  };
  const counts = async () => ({
    uploads: Number((await t.platform.db.selectFrom('fileUploads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    contents: Number((await t.platform.db.selectFrom('fileContents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  });

  beforeAll(async () => {
    const platform = await createTestPlatform();
    const { buildApp } = await import('../app.js');
    const app = await buildApp(platform.platform);
    // What an application form page does: a no-JavaScript form with text fields and files,
    // shown again with the problem against the file input when an upload is refused.
    const formPage = (request: Parameters<typeof sendPage>[0], reply: Parameters<typeof sendPage>[1], form?: ReturnType<typeof formStateFrom>) =>
      sendPage(request, reply, {
        title: '个体工商户设立登记',
        form,
        status: form?.status,
        children: createElement(
          UploadForm,
          { action: '/test/apply' },
          createElement('input', { type: 'text', name: 'businessName', 'aria-label': '名称' }),
          createElement(FileInput, { name: 'licence', label: '经营场所证明', types: ['pdf', 'png'], maxSizeMb: 1 }),
          createElement(FileInput, { name: 'photo', label: '照片', types: ['jpeg'], maxSizeMb: 1, optional: true }),
        ),
      });
    app.get('/test/apply', async (request, reply) => formPage(request, reply));
    app.post('/test/apply', { config: { multipartForm: true } }, async (request, reply) => {
      let form: Awaited<ReturnType<typeof readMultipart>>;
      try {
        form = await readMultipart(request, { maxFiles: 3, maxBytes: 5 * 1024 * 1024, maxFileBytes: 1024 * 1024 });
      } catch (error) {
        if (error instanceof MultipartLimitError) return formPage(request, reply, formStateFrom(error, request, error.values));
        throw error;
      }
      pageFormSaw = { fields: form.fields, files: form.files.map((f) => ({ field: f.field, filename: f.filename, size: f.bytes.length })) };
      return reply.redirect('/test/applied', 303);
    });
    // A route that forgot `multipartForm`: multipart never reaches it.
    app.post('/test/no-opt-in', async (request) => {
      const form = await readMultipart(request, { maxFiles: 1, maxBytes: 1024 * 1024 });
      return { files: form.files.length };
    });
    await app.ready();
    t = {
      ...platform,
      app,
      async close() {
        await app.close();
        await platform.close();
      },
    };
    services = createServices(t.platform);
    for (const person of [wang, li]) await services.identity.createVerifiedPerson(person);
    wangSession = await logIn(wang);
    liSession = await logIn(li);
  });
  afterAll(() => t.close());

  it('accepts a PDF, a PNG and a JPEG, judged by content, and gives each back to its owner as a download', async () => {
    const names: string[] = [];
    for (const [file, type] of [
      [{ filename: '营业执照申请书.pdf', bytes: pdf() }, 'pdf'],
      [{ filename: 'C:\\Users\\wang\\Desktop\\身份证 正面.PNG', bytes: png() }, 'png'],
      // The browser's Content-Type is ignored: the bytes say JPEG.
      [{ filename: 'photo.exe', bytes: jpeg(), type: 'text/plain' }, 'jpeg'],
    ] as const) {
      const response = await upload(wangSession, file);
      expect(response.statusCode, response.body).toBe(201);
      const stored = response.json();
      expect(stored).toMatchObject({ type, size: file.bytes.length, sha256: sha256(file.bytes), attached: false });
      names.push(stored.filename);

      const meta = await t.app.inject({ method: 'GET', url: `/api/v1/files/${stored.id}`, headers: { cookie: wangSession.cookie } });
      expect(meta.json()).toEqual(stored);

      const download = await t.app.inject({ method: 'GET', url: `/api/v1/files/${stored.id}/content`, headers: { cookie: wangSession.cookie } });
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.equals(file.bytes)).toBe(true);
      expect(download.headers['content-type']).toBe({ pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' }[type]);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.headers['cache-control']).toContain('no-store');
      const disposition = String(download.headers['content-disposition']);
      expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
      expect(decodeURIComponent(disposition.split("UTF-8''")[1]!)).toBe(stored.filename);
    }
    // No directories from the client's path, and the extension follows the content.
    expect(names).toEqual(['营业执照申请书.pdf', '身份证 正面.png', 'photo.jpg']);
  });

  it('refuses a Windows program renamed to .pdf with a 415 naming the field, and stores nothing', async () => {
    const before = await counts();
    const response = await upload(wangSession, { filename: 'invoice.pdf', bytes: windowsExecutable(), type: 'application/pdf' }, { lang: 'en' });
    expect(response.statusCode).toBe(415);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.json();
    expect(problem.code).toBe('fileTypeNotAllowed');
    expect(problem.errors).toEqual([
      {
        field: '/file',
        code: 'files.type.notAllowed',
        message: 'The selected file is not a PDF, JPEG or PNG file. Upload a PDF, JPEG or PNG file (the type is read from the content; renaming the file does not help).',
      },
    ]);
    const chinese = await upload(wangSession, { filename: 'invoice.pdf', bytes: windowsExecutable() });
    expect(chinese.json().errors[0].message).toContain('PDF、JPEG 或 PNG');
    expect(await counts()).toEqual(before);
  });

  it('refuses a text file, and a PDF where the material asks only for a photo', async () => {
    const before = await counts();
    const text = await upload(wangSession, { filename: 'notes.pdf', bytes: Buffer.from('这不是 PDF，只是文字。\n', 'utf8') });
    expect(text.statusCode).toBe(415);
    const wrongKind = await upload(wangSession, { filename: 'photo.pdf', bytes: pdf() }, { query: '?types=jpeg,png', lang: 'en' });
    expect(wrongKind.statusCode).toBe(415);
    expect(wrongKind.json().errors[0].message).toContain('not a JPEG or PNG file');
    const unknown = await upload(wangSession, { filename: 'x.pdf', bytes: pdf() }, { query: '?types=exe' });
    expect(unknown.statusCode).toBe(400);
    const empty = await upload(wangSession, { filename: 'empty.pdf', bytes: Buffer.alloc(0) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0]).toMatchObject({ field: '/file', code: 'files.empty' });
    expect(await counts()).toEqual(before);
  });

  it('refuses a file over the global cap or over the material’s own limit with a 413 naming the field, storing nothing', async () => {
    const before = await counts();
    const huge = Buffer.concat([pdf(), Buffer.alloc(20 * 1024 * 1024 + 10, 0x20)]);
    const tooBig = await upload(wangSession, { filename: 'scan.pdf', bytes: huge }, { lang: 'en' });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().errors).toEqual([{ field: '/file', code: 'files.tooLarge', message: 'The selected file must not be larger than 20 MB.' }]);

    const overMaterialLimit = Buffer.concat([pdf(), Buffer.alloc(1024 * 1024, 0x20)]);
    const tooBigForMaterial = await upload(wangSession, { filename: 'scan.pdf', bytes: overMaterialLimit }, { query: '?maxSizeMb=1' });
    expect(tooBigForMaterial.statusCode).toBe(413);
    expect(tooBigForMaterial.json().errors[0]).toMatchObject({ field: '/file', message: '所选文件不能超过 1 MB。' });
    expect(await counts()).toEqual(before);

    // Two files where one is allowed: refused too.
    const body = await multipart([
      { name: 'file', filename: 'a.pdf', bytes: pdf('a') },
      { name: 'file', filename: 'b.pdf', bytes: pdf('b') },
    ]);
    const two = await t.app.inject({
      method: 'POST',
      url: '/api/v1/files',
      headers: { cookie: wangSession.cookie, 'x-csrf-token': wangSession.csrf, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(two.statusCode).toBe(413);
    expect(await counts()).toEqual(before);
  });

  it('stores the same content once, however many times and by whom it is uploaded', async () => {
    const bytes = pdf('户口簿首页');
    const before = await counts();
    const first = (await upload(wangSession, { filename: '户口簿.pdf', bytes })).json();
    const second = (await upload(wangSession, { filename: '户口簿（再次）.pdf', bytes })).json();
    const third = (await upload(liSession, { filename: 'household.pdf', bytes })).json();
    expect(new Set([first.id, second.id, third.id]).size).toBe(3);
    expect(first.sha256).toBe(sha256(bytes));
    expect(second.sha256).toBe(first.sha256);
    expect(third.sha256).toBe(first.sha256);
    expect(await counts()).toEqual({ uploads: before.uploads + 3, contents: before.contents + 1 });
  });

  it('does not let another account see or download an upload (404, as if it did not exist)', async () => {
    const mine = (await upload(wangSession, { filename: '结婚证.png', bytes: png() })).json();
    for (const url of [`/api/v1/files/${mine.id}`, `/api/v1/files/${mine.id}/content`]) {
      const other = await t.app.inject({ method: 'GET', url, headers: { cookie: liSession.cookie } });
      expect(other.statusCode).toBe(404);
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode).toBe(401);
    }
    const anonymousUpload = await upload({ cookie: '' }, { filename: 'a.pdf', bytes: pdf() });
    expect(anonymousUpload.statusCode).toBe(401);
  });

  it('a no-JavaScript form posts text fields and files with its CSRF token as the first field', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/test/apply', headers: { cookie: wangSession.cookie, accept: 'text/html' } });
    // React writes the attribute as encType; HTML attribute names ignore case.
    expect(page.body).toMatch(/<form [^>]*enctype="multipart\/form-data"/i);
    // The token comes before every input, so it arrives before any file.
    expect(page.body).toMatch(/<form[^>]*><input type="hidden" name="_csrf" value="[^"]+"\/>/);
    expect(page.body).toContain('<label class="label" for="licence">经营场所证明</label>');
    expect(page.body).toContain('可上传 PDF 或 PNG 文件，不超过 1 MB。');
    expect(page.body).toContain('accept="application/pdf,.pdf,image/png,.png"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;

    const body = await multipart([
      { name: '_csrf', value: csrf },
      { name: 'businessName', value: '浦东新区王记面馆' },
      { name: 'licence', filename: '执照.pdf', bytes: pdf() },
      // A file input where nothing was chosen.
      { name: 'photo', filename: '', bytes: Buffer.alloc(0) },
      { name: 'agree', value: 'yes' },
    ]);
    const posted = await t.app.inject({ method: 'POST', url: '/test/apply', headers: { cookie: wangSession.cookie, 'content-type': body.contentType }, payload: body.payload });
    expect(posted.statusCode).toBe(303);
    expect(pageFormSaw).toEqual({
      fields: { _csrf: csrf, businessName: '浦东新区王记面馆', agree: 'yes' },
      files: [{ field: 'licence', filename: '执照.pdf', size: pdf().length }],
    });

    // Over the material's limit: the form comes back with the error on the file input and the name kept.
    pageFormSaw = undefined;
    const tooBig = await multipart([
      { name: '_csrf', value: csrf },
      { name: 'businessName', value: '浦东新区王记面馆' },
      { name: 'licence', filename: '执照.pdf', bytes: Buffer.concat([pdf(), Buffer.alloc(1024 * 1024)]) },
    ]);
    const again = await t.app.inject({
      method: 'POST',
      url: '/test/apply',
      headers: { cookie: wangSession.cookie, 'content-type': tooBig.contentType, accept: 'text/html' },
      payload: tooBig.payload,
    });
    expect(again.statusCode).toBe(413);
    expect(again.body).toContain('<a href="#licence">所选文件不能超过 1 MB。</a>');
    expect(again.body).toContain('id="licence-error"');
    expect(pageFormSaw).toBeUndefined();
  });

  it('refuses a multipart form post without the right token before any file is read', async () => {
    pageFormSaw = undefined;
    const cases = [
      // No token at all: what a cross-site form would send.
      [{ name: 'licence', filename: 'a.pdf', bytes: pdf() }],
      [{ name: '_csrf', value: 'guessed-token-guessed-token' }, { name: 'licence', filename: 'a.pdf', bytes: pdf() }],
      // The right token, but only after the file.
      [{ name: 'licence', filename: 'a.pdf', bytes: pdf() }, { name: '_csrf', value: wangSession.csrf }],
      // Fields only, no token.
      [{ name: 'businessName', value: 'x' }],
    ];
    for (const parts of cases) {
      const body = await multipart(parts);
      const response = await t.app.inject({ method: 'POST', url: '/test/apply', headers: { cookie: wangSession.cookie, 'content-type': body.contentType }, payload: body.payload });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('csrf');
    }
    expect(pageFormSaw).toBeUndefined();

    // The upload API without the header or the field is refused the same way, storing nothing.
    const before = await counts();
    const noHeader = await upload({ cookie: wangSession.cookie }, { filename: 'a.pdf', bytes: pdf('no header') });
    expect(noHeader.statusCode).toBe(403);
    expect(await counts()).toEqual(before);

    // A route that did not declare itself an upload route takes no multipart body at all, token or not.
    const body = await multipart([{ name: '_csrf', value: wangSession.csrf }, { name: 'file', filename: 'a.pdf', bytes: pdf() }]);
    for (const headers of [{}, { 'x-csrf-token': wangSession.csrf }]) {
      const notOptedIn = await t.app.inject({
        method: 'POST',
        url: '/test/no-opt-in',
        headers: { cookie: wangSession.cookie, 'content-type': body.contentType, ...headers },
        payload: body.payload,
      });
      expect(notOptedIn.statusCode).toBe(415);
      expect(notOptedIn.json().code).toBe('unsupportedMediaType');
    }
  });

  it('staff read a material only when the application layer allows it, and every attempt is audited', async () => {
    const material = (await upload(wangSession, { filename: '证明.pdf', bytes: pdf('proof') })).json();
    const applicationId = '0190f000-0000-7000-8000-000000000002';
    await t.platform.db.transaction().execute((tx) => services.files.attach(tx, [material.id], applicationId));
    const officer = await staffSession(t as never, { roles: ['officer'] });
    const principal = (await services.identity.resolveSession(officer.cookie.slice('tb_session='.length)))!;
    const wangPerson = (await services.identity.findVerifiedPerson(wang.name, wang.idNumber))!;

    const read = await services.files.readForStaff(principal, material.id, async (id) => ({
      allowed: id === applicationId,
      subjectPersonId: wangPerson.id,
      purpose: `application ${id}`,
    }));
    expect(read.bytes.equals(pdf('proof'))).toBe(true);
    await expect(services.files.readForStaff(principal, material.id, async () => ({ allowed: false, subjectPersonId: wangPerson.id }))).rejects.toMatchObject({ status: 404 });
    const events = await t.platform.db.selectFrom('auditEvents').select(['action', 'outcome', 'subjectPersonId', 'detail']).where('action', '=', 'files.read').orderBy('seq').execute();
    expect(events.map((e) => [e.outcome, e.subjectPersonId])).toEqual([
      ['success', wangPerson.id],
      ['denied', wangPerson.id],
    ]);
    expect(JSON.parse(events[0]!.detail)).toEqual({ fileId: material.id, applicationId });
  });
  it('uploads become materials of one application; unattached ones are removed after a day', async () => {
    const attached = (await upload(wangSession, { filename: '章程.pdf', bytes: pdf('articles') })).json();
    const orphan = (await upload(wangSession, { filename: '草稿.pdf', bytes: pdf('draft only') })).json();
    const applicationId = '0190f000-0000-7000-8000-000000000001';

    expect(await services.files.ownUpload(wangSession.accountId, attached.id)).toMatchObject({ id: attached.id, type: 'pdf' });
    expect(await services.files.ownUpload(liSession.accountId, attached.id)).toBeNull();
    await t.platform.db.transaction().execute((tx) => services.files.attach(tx, [attached.id], applicationId));
    // A retried submit attaches again without harm; another application cannot take it.
    await t.platform.db.transaction().execute((tx) => services.files.attach(tx, [attached.id], applicationId));
    await expect(t.platform.db.transaction().execute((tx) => services.files.attach(tx, [attached.id, orphan.id], 'another-application'))).rejects.toMatchObject({
      status: 409,
      code: 'fileNotAvailable',
    });
    expect((await services.files.get(wangSession.accountId, orphan.id)).attachedTo).toBeNull();
    expect(await services.files.ownUpload(wangSession.accountId, attached.id)).toBeNull();
    expect((await services.files.attachedTo(applicationId)).map((f) => f.id)).toEqual([attached.id]);
    expect((await services.files.readAttached(applicationId, attached.id)).bytes.equals(pdf('articles'))).toBe(true);
    await expect(services.files.readAttached(applicationId, orphan.id)).rejects.toMatchObject({ status: 404 });

    t.clock.advance(25 * 3_600_000);
    await services.jobs.enqueue('files.cleanup');
    await services.jobs.runDue();
    await expect(services.files.get(wangSession.accountId, orphan.id)).rejects.toMatchObject({ status: 404 });
    expect(await t.platform.db.selectFrom('fileContents').select('sha256').where('sha256', '=', orphan.sha256).executeTakeFirst()).toBeUndefined();
    expect((await services.files.readContent(wangSession.accountId, attached.id)).bytes.equals(pdf('articles'))).toBe(true);
    // Once cleaned up, an upload cannot be attached any more.
    await expect(t.platform.db.transaction().execute((tx) => services.files.attach(tx, [orphan.id], applicationId))).rejects.toMatchObject({ status: 409 });
  });
});
