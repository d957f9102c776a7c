/**
 * Download and revision tokens (issue 18): a token opens exactly the archived objects it names, until its expiry,
 * only when signed by a key of the ring, only for its kind. The property-style part draws many token scopes and
 * requested keys from a seeded generator (close neighbours of the named keys, encodings, traversal, other
 * prefixes) and checks, down to the HTTP answer, that nothing outside the token's list is ever read or handed out.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  auditorLinkExpiry,
  DownloadScopeError,
  isDownloadableKey,
  MANAGER_LINK_DAYS,
  managerLinkExpiry,
  openDownloadLink,
  openRevisionLink,
  signDownloadLink,
  signRevisionLink,
} from '../../functions/core/download-link';
import { type DownloadGate, type ObjectStore, silentLogger } from '../../functions/core/ports';
import { type SigningKeyRing, signingKey, signLink } from '../../functions/core/signed-link';
import { signUploadLink } from '../../functions/core/upload-link';
import { handleEndpointRequest } from '../../functions/upload/router';
import { mulberry32 } from '../../sample/sample-projects';
import { MemoryStore } from '../helpers/faults';

const key = () => signingKey(randomBytes(32));
const NOW = new Date('2026-01-20T08:00:00Z');
const LATER = new Date('2026-04-20T08:00:00Z');
const PDF = 'reports/2025-Q4/r1/one-stop-shop.en.pdf';
const XLSX = 'reports/2025-Q4/r1/one-stop-shop.en.xlsx';

describe('download tokens', () => {
  const ring: SigningKeyRing = { current: key() };
  const token = signDownloadLink(ring, [PDF, XLSX], LATER);

  it('open each key they name, and only those', () => {
    expect(openDownloadLink(ring, token, PDF, NOW)).toEqual({ ok: true, value: PDF, expiresAt: LATER });
    expect(openDownloadLink(ring, token, XLSX, NOW)).toMatchObject({ ok: true, value: XLSX });
    for (const other of [
      'reports/2025-Q4/r1/one-stop-shop.pdf',
      'reports/2025-Q4/r2/one-stop-shop.en.pdf',
      'reports/2025-Q4/r1/programme.en.pdf',
      'reports/2025-Q4/r1/manifest.json',
      `${PDF} `,
      PDF.toUpperCase(),
      `${PDF}\n${XLSX}`,
      `${PDF} ${XLSX}`,
      'reports/2025-Q4/r1/../r1/one-stop-shop.en.pdf',
      encodeURIComponent(PDF),
      'inbox/one-stop-shop/2025-Q4.xlsx',
    ]) {
      expect(openDownloadLink(ring, token, other, NOW), other).toEqual({ ok: false, reason: 'not-named' });
    }
  });

  it('need the key named in the URL when they name more than one; with one, it may be left out', () => {
    expect(openDownloadLink(ring, token, null, NOW)).toEqual({ ok: false, reason: 'not-named' });
    const single = signDownloadLink(ring, [PDF], LATER);
    expect(openDownloadLink(ring, single, null, NOW)).toMatchObject({ ok: true, value: PDF });
  });

  it('can name only archived report files (never sources, records, ledgers, plans)', () => {
    for (const k of [
      'inbox/one-stop-shop/a.xlsx',
      'submissions/2025-Q4/one-stop-shop/v1.json',
      'deliveries/2025-Q4/r1/abcdefabcdefabcdef.json',
      'reports/2025-Q4/r1/plan.json',
      'reports/2025-Q4/r1/../../inbox/x.xlsx',
      'registry/registry.xlsx',
    ]) {
      expect(isDownloadableKey(k), k).toBe(false);
      expect(() => signDownloadLink(ring, [k], LATER)).toThrow(DownloadScopeError);
    }
    expect(() => signDownloadLink(ring, [], LATER)).toThrow(DownloadScopeError);
  });

  it('refuse a token whose scope names a non-report key even when validly signed (not ours to honour)', () => {
    const forged = signLink(ring, { kind: 'download', exp: LATER.getTime() / 1000, scope: { keys: 'inbox/x/a.xlsx' } });
    expect(openDownloadLink(ring, forged, 'inbox/x/a.xlsx', NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('expire at the second they say', () => {
    expect(openDownloadLink(ring, token, PDF, new Date(LATER.getTime() - 1000)).ok).toBe(true);
    expect(openDownloadLink(ring, token, PDF, LATER)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuse every single-character change of the token', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const swapped = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      const altered = token.slice(0, i) + swapped + token.slice(i + 1);
      expect(openDownloadLink(ring, altered, PDF, NOW).ok, `position ${i}`).toBe(false);
    }
  });

  it('refuse a scope substituted under the old signature, and a token signed by another key claiming ours', () => {
    const [payload, mac] = token.split('.') as [string, string];
    const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    body.scope.keys = 'reports/2025-Q4/r1/programme.en.pdf';
    const substituted = `${Buffer.from(JSON.stringify(body)).toString('base64url')}.${mac}`;
    expect(openDownloadLink(ring, substituted, 'reports/2025-Q4/r1/programme.en.pdf', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    // An attacker's own key, with our key's id in the payload: the MAC is checked with our key and fails.
    const attacker = { ...key(), id: ring.current.id };
    const foreign = signDownloadLink({ current: attacker }, ['reports/2025-Q4/r1/programme.pdf'], LATER);
    expect(openDownloadLink(ring, foreign, 'reports/2025-Q4/r1/programme.pdf', NOW)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('are revoked with the key that signed them: valid after one rotation, void once the old key is dropped', () => {
    const rotated: SigningKeyRing = { current: key(), previous: ring.current };
    // An auditor's revision page lives for years: the rotation is what ends it early, as it ends download links.
    const page = signRevisionLink(ring, { period: '2025-Q4', revision: 1 }, new Date('2036-01-20T08:00:00Z'));
    expect(openDownloadLink(rotated, token, PDF, NOW).ok).toBe(true);
    expect(openRevisionLink(rotated, page, NOW).ok).toBe(true);
    const revoked: SigningKeyRing = { current: rotated.current };
    expect(openDownloadLink(revoked, token, PDF, NOW)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(openRevisionLink(revoked, page, NOW)).toEqual({ ok: false, reason: 'unknown-key' });
  });

  it('are not upload or revision tokens, and those are not download tokens', () => {
    const upload = signUploadLink(ring, { project: 'one-stop-shop', period: '2025-Q4' }, LATER);
    const revision = signRevisionLink(ring, { period: '2025-Q4', revision: 1 }, LATER);
    expect(openDownloadLink(ring, upload, PDF, NOW)).toEqual({ ok: false, reason: 'wrong-kind' });
    expect(openDownloadLink(ring, revision, PDF, NOW)).toEqual({ ok: false, reason: 'wrong-kind' });
    expect(openRevisionLink(ring, token, NOW)).toEqual({ ok: false, reason: 'wrong-kind' });
    expect(openRevisionLink(ring, revision, NOW)).toEqual({
      ok: true,
      value: { period: '2025-Q4', revision: 1 },
      expiresAt: LATER,
    });
  });
});

describe('link lifetimes', () => {
  it('managers: 90 days from the mail', () => {
    const mailed = new Date('2026-01-16T04:00:00Z');
    expect(managerLinkExpiry(mailed).getTime() - mailed.getTime()).toBe(MANAGER_LINK_DAYS * 86_400_000);
    expect(MANAGER_LINK_DAYS).toBe(90);
  });

  it('auditors: the retention years from the revision, on the same calendar day', () => {
    expect(auditorLinkExpiry('2026-01-16T04:00:00.000Z', 10).toISOString()).toBe('2036-01-16T04:00:00.000Z');
    expect(() => auditorLinkExpiry('not a time', 10)).toThrow(DownloadScopeError);
  });
});

/** Close neighbours of a key: what someone editing a URL would try. */
function neighbours(k: string, next: () => number): string[] {
  const m = /^reports\/(\d{4})-Q(\d)\/r(\d+)\/([a-z0-9-]+)((?:\.en)?)\.(pdf|xlsx)$/.exec(k)!;
  const [, year, q, r, subject, edition, ext] = m as unknown as string[];
  return [
    `reports/${year}-Q${q}/r${Number(r) + 1}/${subject}${edition}.${ext}`,
    `reports/${year}-Q${(Number(q) % 4) + 1}/r${r}/${subject}${edition}.${ext}`,
    `reports/${year}-Q${q}/r${r}/${subject}${edition === '' ? '.en' : ''}.${ext}`,
    `reports/${year}-Q${q}/r${r}/${subject}${edition}.${ext === 'pdf' ? 'xlsx' : 'pdf'}`,
    `reports/${year}-Q${q}/r${r}/programme${edition}.${ext}`,
    `reports/${year}-Q${q}/r${r}/manifest.json`,
    `reports/${year}-Q${q}/r${r}/./${subject}${edition}.${ext}`,
    `/${k}`,
    `${k}/`,
    `${k}%00`,
    k.replace('/', '%2F'),
    `inbox/${subject}/x.xlsx`,
    `submissions/${year}-Q${q}/${subject}/v${Math.floor(next() * 9)}.json`,
  ];
}

function randomKey(next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const subject = pick(['one-stop-shop', 'latvian-language', 'return-support', 'programme', 'a', 'a-b-c-1']);
  const edition = pick(['', '.en']);
  const ext = pick(['pdf', 'xlsx']);
  return `reports/${pick(['2024', '2025', '2026'])}-Q${pick([1, 2, 3, 4])}/r${pick([1, 2, 3, 10])}/${subject}${edition}.${ext}`;
}

/** A store that says what was read, and a presigner that says what it signed. */
class WatchedStore implements ObjectStore {
  readonly reads: string[] = [];
  constructor(private readonly inner: MemoryStore) {}
  get(key: string, version?: string) {
    this.reads.push(key);
    return this.inner.get(key, version);
  }
  put(...args: Parameters<ObjectStore['put']>) {
    return this.inner.put(...args);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
}

describe('property: no token opens a key outside its list', () => {
  it('holds for 300 drawn scopes, each asked for its own keys, their neighbours and random keys', async () => {
    // Seeded (the sample's mulberry32), so a failing case can be replayed.
    const next = mulberry32(18);
    const ring: SigningKeyRing = { current: key() };
    const memory = new MemoryStore();
    const store = new WatchedStore(memory);
    const signed: string[] = [];
    const gate: DownloadGate = {
      presignGet: async (k) => {
        signed.push(k);
        return `https://archive.example/${k}?X-Amz-Expires=300`;
      },
    };
    const clock = { now: () => NOW };
    const log = silentLogger;
    let opened = 0;
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const named = [...new Set(Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomKey(next)))];
      const token = signDownloadLink(ring, named, LATER);
      const asked = [
        ...named,
        ...named.flatMap((k) => neighbours(k, next)),
        ...Array.from({ length: 5 }, () => randomKey(next)),
      ];
      for (const k of asked) await memory.put(k, new TextEncoder().encode(`bytes of ${k}`));
      for (const requested of asked) {
        const direct = openDownloadLink(ring, token, requested, NOW);
        expect(direct.ok, `${named.join(' ')} ← ${requested}`).toBe(named.includes(requested));
        if (direct.ok) expect(direct.value).toBe(requested);
        // And through the endpoint, both ways it can answer: streamed (local) and presigned (S3).
        const query = new URLSearchParams({ t: token, k: requested });
        store.reads.length = 0;
        signed.length = 0;
        const local = await handleEndpointRequest(
          { store, clock, log, keys: { keyRing: async () => ring }, gate: null as never },
          { method: 'GET', path: '/download', query },
        );
        const s3 = await handleEndpointRequest(
          { store, clock, log, keys: { keyRing: async () => ring }, gate: null as never, downloads: gate },
          { method: 'GET', path: '/download', query },
        );
        if (named.includes(requested)) {
          opened++;
          expect(local.status).toBe(200);
          expect(new TextDecoder().decode(local.body as Uint8Array)).toBe(`bytes of ${requested}`);
          expect(s3.status).toBe(302);
          expect(signed).toEqual([requested]);
        } else {
          refused++;
          expect(local.status).toBe(403);
          expect(s3.status).toBe(403);
          expect(store.reads.filter((r) => r.startsWith('reports/') || r.startsWith('inbox/'))).toEqual([]);
          expect(signed).toEqual([]);
        }
      }
    }
    // The draw exercised both sides many times.
    expect(opened).toBeGreaterThan(300);
    expect(refused).toBeGreaterThan(3000);
  });
});
