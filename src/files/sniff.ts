import { fileTypeFromBuffer } from 'file-type';
import type { MessageKey } from '../core/i18n.js';
import './messages.js';

/** What applicants may upload as materials (the catalogue's UPLOAD_TYPES use the same names). */
export const FILE_KINDS = ['pdf', 'jpeg', 'png'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const MIME_OF: Record<FileKind, string> = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };
const EXTENSIONS: Record<FileKind, string[]> = { pdf: ['pdf'], jpeg: ['jpg', 'jpeg'], png: ['png'] };

export function isFileKind(value: unknown): value is FileKind {
  return typeof value === 'string' && (FILE_KINDS as readonly string[]).includes(value);
}

/**
 * The kind of a file judged by its bytes alone (magic numbers, via `file-type`); the name and
 * Content-Type the client sent are never trusted. Undefined when it is none of ours.
 */
export async function sniffKind(bytes: Uint8Array): Promise<FileKind | undefined> {
  if (bytes.length === 0) return undefined;
  const detected = await fileTypeFromBuffer(bytes);
  switch (detected?.mime) {
    case 'application/pdf':
      return 'pdf';
    case 'image/jpeg':
      return 'jpeg';
    // An animated PNG is still a PNG every viewer shows.
    case 'image/png':
    case 'image/apng':
      return 'png';
    default:
      return undefined;
  }
}

/** The catalogue message naming a set of kinds in a fixed order ("PDF、JPEG 或 PNG"). */
export function kindsMessageKey(kinds: readonly FileKind[]): MessageKey {
  const ordered = FILE_KINDS.filter((kind) => kinds.includes(kind));
  return `files.types.${ordered.join('-')}` as MessageKey;
}

const MAX_NAME_LENGTH = 120;

/**
 * A filename safe to store and to send back in Content-Disposition: no directories (either slash),
 * no control or bidi-override characters (which can disguise `exe.pdf` as `pdf.exe`), none of the
 * characters Windows forbids, at most 120 characters, and an extension that matches the content.
 */
export function sanitizeFilename(raw: string, kind: FileKind): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const name = base
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '');
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  const matches = EXTENSIONS[kind].includes(extension);
  // A wrong extension ("scan.exe" holding a PNG) is replaced; text after a dot that is no
  // extension at all ("v1.2 final") stays part of the name.
  let stem = matches || /^[a-z0-9]{1,5}$/.test(extension) ? name.slice(0, dot) : name;
  const suffix = matches ? extension : EXTENSIONS[kind][0]!;
  stem = stem.trim() || 'file';
  // Count code points, not UTF-16 units, so a Chinese name is not cut in half a character.
  const room = MAX_NAME_LENGTH - suffix.length - 1;
  const points = Array.from(stem);
  if (points.length > room) stem = points.slice(0, room).join('');
  return `${stem}.${suffix}`;
}

/**
 * `Content-Disposition: attachment` with the name twice: an ASCII fallback for old clients and
 * the UTF-8 name (RFC 6266 / RFC 8187) that every current browser uses.
 */
export function attachmentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
