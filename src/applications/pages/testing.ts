/** Helpers of the page tests: multipart bodies as a browser sends them, and reading a rendered form. */

import type { createTestApp } from '../../core/testing.js';
import { TINY_PNG } from '../testing.js';

type TestApp = Awaited<ReturnType<typeof createTestApp>>;

// A minimal valid PNG (1x1 pixel) and the start of a Windows executable renamed to .png.
export const PNG = TINY_PNG;
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);

export type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer };

/** A multipart/form-data body as a browser sends it: the fields in page order, the CSRF token first. */
export function multipart(parts: Part[]) {
  const boundary = `----TongbanTest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('bytes' in part) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`), part.bytes, Buffer.from('\r\n'));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The opening tag of the input (or select, textarea) with this id, to look at its attributes whatever their order. */
export const tag = (html: string, id: string) => new RegExp(`<(?:input|select|textarea)[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0] ?? '';
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
export const field = (name: string, value: string): Part => ({ name, value });
export const png = (name: string, filename = 'lease.png'): Part => ({ name, filename, type: 'image/png', bytes: PNG });
/** An <input type=file> left empty: browsers still send the part, with no name and no bytes. */
export const noFile = (name: string): Part => ({ name, filename: '', type: 'application/octet-stream', bytes: Buffer.alloc(0) });


/** Pages as a browser reads and posts them: each post carries the CSRF token of the page it comes from. */
export function pageClient(app: () => TestApp) {
  const get = (url: string, cookie?: string) => app().app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
  const postForm = async (pageUrl: string, action: string, cookie: string, fields: Record<string, string | string[]>) => {
    const page = await get(pageUrl, cookie);
    const body = new URLSearchParams({ _csrf: csrfOf(page.body) });
    for (const [key, value] of Object.entries(fields)) for (const v of ([] as string[]).concat(value)) body.append(key, v);
    return app().app.inject({ method: 'POST', url: action, headers: { accept: 'text/html', cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  };
  const postMultipart = async (pageUrl: string, action: string, cookie: string, parts: Part[]) => {
    const page = await get(pageUrl, cookie);
    const { payload, contentType } = multipart([field('_csrf', csrfOf(page.body)), ...parts]);
    return app().app.inject({ method: 'POST', url: action, headers: { accept: 'text/html', cookie, 'content-type': contentType }, payload });
  };
  return { get, postForm, postMultipart };
}
