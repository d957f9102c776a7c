/**
 * Signed links (docs/architecture.md §2, upload links): a token that names what it opens (`kind` and a small scope such as project
 * and period) and until when, with an HMAC-SHA256 over exactly that. It carries no AWS credentials: the endpoint
 * that receives it checks it and only then acts with its own, short-lived rights.
 *
 * Format: `<payload>.<mac>`, both base64url; payload = JSON `{ v, kid, kind, exp, scope }`. `kid` names the key that
 * signed (a hash of the key, not the key), so the verifier picks it from the two keys it holds, current and
 * previous. A rotation makes a new current key and keeps the old one as previous: links it signed keep working.
 * Revoking the previous key (dropping it from the ring) ends every link it signed at once.
 *
 * `kind` keeps the scopes apart: an upload link is never accepted where a download or verdict token is expected,
 * and new kinds (issue 18: download links for managers and auditors) need no change to the format.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One HMAC key. `id` is derived from the secret, so both runtimes name the same key alike. */
export interface SigningKey {
  id: string;
  secret: Uint8Array;
}

/** The keys a verifier accepts: the current one signs, the previous one (if any) still verifies. */
export interface SigningKeyRing {
  current: SigningKey;
  previous?: SigningKey;
}

/** What a token says. `exp` is in whole seconds since 1970 (UTC). */
export interface LinkClaims {
  kind: string;
  exp: number;
  scope: Record<string, string>;
}

export type LinkRefusal = 'malformed' | 'unknown-key' | 'bad-signature' | 'wrong-kind' | 'expired';

export type VerifiedLink = { ok: true; claims: LinkClaims } | { ok: false; reason: LinkRefusal };

/** The shortest secret we accept: 32 bytes, the HMAC-SHA256 block-size-safe minimum NIST recommends. */
export const MIN_SECRET_BYTES = 32;
const FORMAT_VERSION = 1;
/** A token longer than this is not ours; refuse before decoding anything. */
const MAX_TOKEN_CHARS = 2048;

/** Wrap raw secret bytes as a key, with its id. */
export function signingKey(secret: Uint8Array): SigningKey {
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new Error(`a link signing key needs at least ${MIN_SECRET_BYTES} bytes, got ${secret.byteLength}`);
  }
  const id = createHash('sha256').update(secret).digest('hex').slice(0, 12);
  return { id, secret };
}

function mac(key: SigningKey, payload: string): Buffer {
  return createHmac('sha256', key.secret).update(`pmif-link.${payload}`).digest();
}

/** Sign claims with the ring's current key. */
export function signLink(ring: SigningKeyRing, claims: LinkClaims): string {
  const body = { v: FORMAT_VERSION, kid: ring.current.id, kind: claims.kind, exp: claims.exp, scope: claims.scope };
  const payload = Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
  return `${payload}.${mac(ring.current, payload).toString('base64url')}`;
}

function parsePayload(payload: string): (LinkClaims & { kid: string }) | null {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null) return null;
  const b = body as Record<string, unknown>;
  if (b.v !== FORMAT_VERSION || typeof b.kid !== 'string' || typeof b.kind !== 'string') return null;
  if (typeof b.exp !== 'number' || !Number.isInteger(b.exp)) return null;
  if (typeof b.scope !== 'object' || b.scope === null || Array.isArray(b.scope)) return null;
  const scope: Record<string, string> = {};
  for (const [k, v] of Object.entries(b.scope)) {
    if (typeof v !== 'string') return null;
    scope[k] = v;
  }
  return { kid: b.kid, kind: b.kind, exp: b.exp, scope };
}

/**
 * Check a token: well-formed, signed by a key of the ring, of the expected kind, not expired at `now`. The MAC is
 * checked before anything the payload says is trusted (only `kid` is read first, to pick the key).
 */
export function verifyLink(ring: SigningKeyRing, token: string, kind: string, now: Date): VerifiedLink {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'malformed' };
  const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = m as unknown as [string, string, string];
  const claims = parsePayload(payload);
  if (!claims) return { ok: false, reason: 'malformed' };
  const key = [ring.current, ring.previous].find((k) => k?.id === claims.kid);
  if (!key) return { ok: false, reason: 'unknown-key' };
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  // The last of 43 characters carries 2 unused bits: only the canonical spelling counts, so no altered token passes.
  const canonical = given.toString('base64url') === signature;
  if (!canonical || given.byteLength !== expected.byteLength || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  if (claims.kind !== kind) return { ok: false, reason: 'wrong-kind' };
  if (now.getTime() >= claims.exp * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { kind: claims.kind, exp: claims.exp, scope: claims.scope } };
}
