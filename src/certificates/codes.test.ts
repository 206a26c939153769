import { exportJWK, generateKeyPair, CompactSign } from 'jose';
import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, CODE_LENGTH, groupCode, maskPersonName, newVerificationCode, normalizeCode } from './codes.js';
import { CERTIFICATE_JWS_TYPE, CertificateSigner, SignatureInvalid, publicJwk } from './signing.js';

describe('verification codes are easy to read aloud and impossible to guess', () => {
  it('uses twenty characters of an alphabet without 0, O, 1 or I, and never repeats in practice', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01IO]/);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
    const codes = new Set(Array.from({ length: 2000 }, () => newVerificationCode()));
    expect(codes.size).toBe(2000);
    for (const code of [...codes].slice(0, 50)) {
      expect(code).toHaveLength(CODE_LENGTH);
      expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    }
    // Every symbol turns up: the five-bit mapping is not stuck on part of the alphabet.
    expect(new Set([...codes].join('')).size).toBe(32);
  });

  it('prints in groups of four and reads back whatever a person typed', () => {
    const code = 'ABCD2345EFGH6789JKLM';
    expect(groupCode(code)).toBe('ABCD-2345-EFGH-6789-JKLM');
    expect(normalizeCode('abcd-2345 efgh-6789-jklm')).toBe(code);
    // Full-width characters from a Chinese input method.
    expect(normalizeCode('ＡＢＣＤ－２３４５　ＥＦＧＨ６７８９ＪＫＬＭ')).toBe(code);
  });

  it("masks a person's name to the first character", () => {
    expect(maskPersonName('王芳')).toBe('王*');
    expect(maskPersonName('欧阳娜娜')).toBe('欧***');
    expect(maskPersonName('李')).toBe('*');
  });
});

describe('certificate signatures', () => {
  async function keySet() {
    const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const rsa = await generateKeyPair('RS256', { extractable: true });
    return {
      keys: [
        { ...(await exportJWK(rsa.privateKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ed.privateKey)), kid: 'ed-1', alg: 'EdDSA', use: 'sig' },
      ] as Record<string, unknown>[],
      rsaPrivate: rsa.privateKey,
    };
  }

  it('signs with the Ed25519 key, names it in the header, and verifies what it signed', async () => {
    const { keys } = await keySet();
    const signer = new CertificateSigner({ keys });
    const jws = await signer.sign({ jti: 'c1', number: '〔2026〕第000001号' });
    const header = JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString());
    expect(header).toEqual({ alg: 'EdDSA', kid: 'ed-1', typ: CERTIFICATE_JWS_TYPE });
    await expect(signer.verify(jws)).resolves.toEqual({ payload: { jti: 'c1', number: '〔2026〕第000001号' }, kid: 'ed-1' });
  });

  it('refuses a changed payload, a stripped signature, alg none, another key and an RS256 token from the same set', async () => {
    const { keys, rsaPrivate } = await keySet();
    const signer = new CertificateSigner({ keys });
    const jws = await signer.sign({ jti: 'c1', fields: [{ key: 'name', value: '王芳' }] });
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const changed = Buffer.from(Buffer.from(payload, 'base64url').toString().replace('王芳', '王五')).toString('base64url');
    await expect(signer.verify(`${header}.${changed}.${signature}`)).rejects.toBeInstanceOf(SignatureInvalid);
    await expect(signer.verify(`${header}.${payload}.`)).rejects.toBeInstanceOf(SignatureInvalid);
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: CERTIFICATE_JWS_TYPE })).toString('base64url');
    await expect(signer.verify(`${none}.${payload}.`)).rejects.toBeInstanceOf(SignatureInvalid);
    await expect(signer.verify('not a jws')).rejects.toBeInstanceOf(SignatureInvalid);

    const stranger = new CertificateSigner({ keys: (await keySet()).keys });
    await expect(stranger.verify(jws)).rejects.toBeInstanceOf(SignatureInvalid);

    const rs = await new CompactSign(new TextEncoder().encode(JSON.stringify({ jti: 'c1' })))
      .setProtectedHeader({ alg: 'RS256', kid: 'rs-1', typ: CERTIFICATE_JWS_TYPE })
      .sign(rsaPrivate);
    await expect(signer.verify(rs)).rejects.toBeInstanceOf(SignatureInvalid);
  });

  it('refuses a JWS of the same key that is not a certificate (an ID token, say)', async () => {
    const { keys } = await keySet();
    const signer = new CertificateSigner({ keys });
    const { importJWK } = await import('jose');
    const key = await importJWK(keys[1] as never, 'EdDSA');
    const idToken = await new CompactSign(new TextEncoder().encode(JSON.stringify({ sub: 'x' }))).setProtectedHeader({ alg: 'EdDSA', kid: 'ed-1', typ: 'JWT' }).sign(key);
    await expect(signer.verify(idToken)).rejects.toBeInstanceOf(SignatureInvalid);
  });

  it('publishes only the public half of each key', async () => {
    const { keys } = await keySet();
    for (const key of keys) {
      const visible = publicJwk(key);
      expect(Object.keys(visible)).not.toContain('d');
      expect(Object.keys(visible)).not.toContain('p');
      expect(visible.kid).toBe(key.kid);
    }
  });
});
