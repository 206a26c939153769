import { CompactSign, compactVerify, createLocalJWKSet, importJWK, type JWK } from 'jose';

/** The JWS `typ` of a certificate, so that an ID token signed with the same key is never taken for one. */
export const CERTIFICATE_JWS_TYPE = 'tongban-certificate+jws';
export const CERTIFICATE_JWS_ALG = 'EdDSA';

// Only these members of a JWK are public; everything else (d, p, q, dp, dq, qi, oth) is private.
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'kid', 'alg', 'use'] as const;

export function publicJwk(key: Record<string, unknown>): JWK {
  const result: Record<string, unknown> = {};
  for (const member of PUBLIC_MEMBERS) if (key[member] !== undefined) result[member] = key[member];
  return result as JWK;
}

export class SignatureInvalid extends Error {}

/**
 * Signs certificates with the platform's Ed25519 key (the same JWKS the OIDC provider publishes
 * at /oidc/jwks) and checks signatures against the public halves of those keys. Only EdDSA is
 * accepted on verification, so neither `alg: none` nor an RS256/HS256 confusion can pass.
 */
export class CertificateSigner {
  private signingKey: Promise<{ key: CryptoKey | Uint8Array; kid: string }> | undefined;
  private readonly verificationKeys: ReturnType<typeof createLocalJWKSet>;

  /** `typ` sets the JWS type signed and required (the audit trail's checkpoints use their own, so neither passes for the other). */
  constructor(
    private readonly jwks: { keys: Record<string, unknown>[] },
    private readonly typ: string = CERTIFICATE_JWS_TYPE,
  ) {
    // Retired keys stay in the set (without their private part) so that old certificates still verify.
    this.verificationKeys = createLocalJWKSet({ keys: jwks.keys.filter((k) => k.kty === 'OKP' && k.crv === 'Ed25519').map(publicJwk) });
  }

  private key() {
    return (this.signingKey ??= (async () => {
      // The newest Ed25519 key with a private part signs; the set lists keys oldest first.
      const jwk = [...this.jwks.keys].reverse().find((k) => k.kty === 'OKP' && k.crv === 'Ed25519' && typeof k.d === 'string');
      if (!jwk || typeof jwk.kid !== 'string') throw new Error('SIGNING_JWKS has no Ed25519 private key with a kid; certificates cannot be signed');
      return { key: (await importJWK(jwk as JWK, CERTIFICATE_JWS_ALG)) as CryptoKey | Uint8Array, kid: jwk.kid };
    })());
  }

  async kid(): Promise<string> {
    return (await this.key()).kid;
  }

  async sign(payload: Record<string, unknown>): Promise<string> {
    const { key, kid } = await this.key();
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: CERTIFICATE_JWS_ALG, kid, typ: this.typ })
      .sign(key);
  }

  /** The payload of a genuine certificate JWS, with the key that signed it; SignatureInvalid otherwise. */
  async verify(compact: string): Promise<{ payload: Record<string, unknown>; kid: string }> {
    try {
      const { payload, protectedHeader } = await compactVerify(compact.trim(), this.verificationKeys, { algorithms: [CERTIFICATE_JWS_ALG] });
      if (protectedHeader.typ !== this.typ) throw new SignatureInvalid(`not a ${this.typ}`);
      const parsed = JSON.parse(new TextDecoder().decode(payload)) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SignatureInvalid('payload is not an object');
      return { payload: parsed as Record<string, unknown>, kid: String(protectedHeader.kid ?? '') };
    } catch (error) {
      if (error instanceof SignatureInvalid) throw error;
      throw new SignatureInvalid(error instanceof Error ? error.message : 'invalid');
    }
  }
}
