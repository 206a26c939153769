import { describe, expect, it } from 'vitest';
import { attachmentDisposition, kindsMessageKey, sanitizeFilename, sniffKind } from './sniff.js';

describe('what an uploaded file is, and what it may be called', () => {
  it.each([
    ['营业执照.pdf', 'pdf', '营业执照.pdf'],
    ['C:\\fakepath\\身份证.PNG', 'png', '身份证.png'],
    ['../../etc/passwd', 'pdf', 'passwd.pdf'],
    // A program renamed is judged by content elsewhere; here its name can no longer claim .exe.
    ['setup.exe', 'jpeg', 'setup.jpg'],
    ['photo.jpeg', 'jpeg', 'photo.jpeg'],
    ['申请表 v1.2 final', 'pdf', '申请表 v1.2 final.pdf'],
    // A right-to-left override would show "invoice\u202Efdp.exe" as "invoiceexe.pdf".
    ['invoice\u202Efdp.exe', 'pdf', 'invoicefdp.pdf'],
    ['a<b>:"c|d?*.pdf', 'pdf', 'a_b___c_d__.pdf'],
    ['...', 'png', 'file.png'],
    ['', 'pdf', 'file.pdf'],
    ['\u0000\u0007报告.pdf', 'pdf', '报告.pdf'],
  ] as const)('%j stored as a %s is called %j', (raw, kind, expected) => {
    expect(sanitizeFilename(raw, kind)).toBe(expected);
  });

  it('keeps long names to 120 characters without cutting a Chinese character in half', () => {
    const name = sanitizeFilename(`${'材'.repeat(200)}.pdf`, 'pdf');
    expect(Array.from(name)).toHaveLength(120);
    expect(name.endsWith('材.pdf')).toBe(true);
  });

  it('names the download for old and new browsers alike', () => {
    expect(attachmentDisposition('营业执照 (副本).pdf')).toBe(
      `attachment; filename="____ (__).pdf"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%28%E5%89%AF%E6%9C%AC%29.pdf`,
    );
    expect(attachmentDisposition('a"b;c.pdf')).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%3Bc.pdf`);
  });

  it('recognises only PDF, JPEG and PNG by their bytes', async () => {
    expect(await sniffKind(Buffer.from('%PDF-1.7\n%%EOF\n', 'latin1'))).toBe('pdf');
    expect(await sniffKind(Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00]))).toBe('jpeg');
    expect(await sniffKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]))).toBe('png');
    // A ZIP (and so a .docx), a GIF, plain text and nothing at all are none of them.
    expect(await sniffKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]))).toBeUndefined();
    expect(await sniffKind(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBeUndefined();
    expect(await sniffKind(Buffer.from('just some text', 'utf8'))).toBeUndefined();
    expect(await sniffKind(Buffer.alloc(0))).toBeUndefined();
  });

  it('lists accepted kinds in one fixed order, whatever order a material gives them in', () => {
    expect(kindsMessageKey(['png', 'pdf'])).toBe('files.types.pdf-png');
    expect(kindsMessageKey(['png', 'jpeg', 'pdf'])).toBe('files.types.pdf-jpeg-png');
  });
});
