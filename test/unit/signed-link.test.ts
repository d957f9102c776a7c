import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { linkUploadKey, linkUploadPeriod, parseInboxKey } from '../../functions/core/keys';
import { type SigningKeyRing, signingKey, signLink, verifyLink } from '../../functions/core/signed-link';
import {
  nextDuePeriod,
  safeUploadName,
  signUploadLink,
  uploadLinkExpiry,
  verifyUploadLink,
} from '../../functions/core/upload-link';

const key = () => signingKey(randomBytes(32));
const NOW = new Date('2026-11-16T04:00:00Z');
const LATER = new Date('2026-12-01T00:00:00Z');

describe('signed links', () => {
  const ring: SigningKeyRing = { current: key() };
  const scope = { project: 'latvian-language', period: '2025-Q3' };
  const token = signUploadLink(ring, scope, LATER);

  it('verifies what it signed, and carries only kind, scope, expiry and a key id', () => {
    expect(verifyUploadLink(ring, token, NOW)).toEqual({ ok: true, scope, expiresAt: LATER });
    const payload = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8'));
    expect(Object.keys(payload).sort()).toEqual(['exp', 'kid', 'kind', 'scope', 'v']);
    expect(token).not.toMatch(/AKIA|ASIA|X-Amz|Signature=/);
    // The key id names the key without revealing it.
    expect(payload.kid).toBe(ring.current.id);
    expect(Buffer.from(ring.current.secret).toString('hex')).not.toContain(payload.kid);
  });

  it('expires at the second it says, not before', () => {
    expect(verifyUploadLink(ring, token, new Date(LATER.getTime() - 1000)).ok).toBe(true);
    expect(verifyUploadLink(ring, token, LATER)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses every single-character change anywhere in the token', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const accepted: number[] = [];
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1 + (i % 7)) % alphabet.length]!;
      const altered = token.slice(0, i) + replacement + token.slice(i + 1);
      const v = verifyUploadLink(ring, altered, NOW);
      // An altered last character can decode to the same bytes (base64url padding bits): then it is the same MAC.
      if (
        v.ok &&
        Buffer.from(altered.split('.')[1]!, 'base64url').equals(Buffer.from(token.split('.')[1]!, 'base64url'))
      )
        continue;
      if (v.ok) accepted.push(i);
    }
    expect(accepted).toEqual([]);
  });

  it('refuses a payload re-signed for another project with another key', () => {
    const forged = signUploadLink({ current: key() }, { ...scope, project: 'iom-return' }, LATER);
    expect(verifyUploadLink(ring, forged, NOW)).toEqual({ ok: false, reason: 'unknown-key' });
    // Same key id, someone else's MAC: the payload of one token with the signature of another.
    const other = signUploadLink(ring, { ...scope, project: 'iom-return' }, LATER);
    const spliced = `${other.split('.')[0]}.${token.split('.')[1]}`;
    expect(verifyUploadLink(ring, spliced, NOW)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    '',
    'abc',
    'a.b.c',
    `${'A'.repeat(3000)}.${'B'.repeat(43)}`,
    `${Buffer.from('not json').toString('base64url')}.${'A'.repeat(43)}`,
    `${Buffer.from('{"v":1}').toString('base64url')}.${'A'.repeat(43)}`,
  ])('refuses a malformed token %#', (bad) => {
    expect(verifyUploadLink(ring, bad, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps kinds apart: a verdict or download token never opens an upload', () => {
    const other = signLink(ring, { kind: 'download', exp: LATER.getTime() / 1000, scope });
    expect(verifyUploadLink(ring, other, NOW)).toEqual({ ok: false, reason: 'wrong-kind' });
    expect(verifyLink(ring, token, 'download', NOW)).toEqual({ ok: false, reason: 'wrong-kind' });
  });

  it('survives a rotation and dies when the previous key is revoked', () => {
    const rotated: SigningKeyRing = { current: key(), previous: ring.current };
    expect(verifyUploadLink(rotated, token, NOW).ok).toBe(true);
    const fresh = signUploadLink(rotated, scope, LATER);
    expect(verifyUploadLink(rotated, fresh, NOW).ok).toBe(true);
    const revoked: SigningKeyRing = { current: rotated.current };
    expect(verifyUploadLink(revoked, token, NOW)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(verifyUploadLink(revoked, fresh, NOW).ok).toBe(true);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => signingKey(randomBytes(16))).toThrow(/at least 32 bytes/);
  });
});

describe('upload link expiry and period', () => {
  it('is 30 days after the end of the deadline day (Riga) when the mail comes earlier', () => {
    // Deadline 2025-10-15 ends at 2025-10-16 00:00 Riga = 2025-10-15 21:00 UTC (summer time).
    expect(uploadLinkExpiry('2025-10-15', new Date('2025-10-10T06:00:00Z')).toISOString()).toBe(
      '2025-11-14T21:00:00.000Z',
    );
  });

  it('is 30 days after the mail when the mail comes after the deadline', () => {
    expect(uploadLinkExpiry('2025-10-15', NOW).toISOString()).toBe('2026-12-16T04:00:00.000Z');
  });

  it('picks the next period whose deadline is still ahead, within the project', () => {
    const project = { start: '2024-01-01', end: '2027-06-30' };
    expect(nextDuePeriod(project, 15, '2026-11-16')).toBe('2026-Q4');
    expect(nextDuePeriod(project, 15, '2026-10-10')).toBe('2026-Q3');
    expect(nextDuePeriod(project, 15, '2026-10-15')).toBe('2026-Q3');
    expect(nextDuePeriod(project, 15, '2023-05-01')).toBe('2024-Q1');
    expect(nextDuePeriod(project, 15, '2030-01-01')).toBe('2027-Q2');
  });
});

describe('link upload keys', () => {
  it('name the period and the original file name, and parse back', () => {
    const key = linkUploadKey(
      'iom-return',
      '2025-Q3',
      '20261116T040000Z-abc123',
      safeUploadName('C:\\Mani\\Pārskats Q3.xlsx'),
    );
    expect(key).toBe('inbox/iom-return/2025-Q3--20261116T040000Z-abc123--Pārskats-Q3.xlsx');
    expect(parseInboxKey(key)?.folder).toBe('iom-return');
    expect(linkUploadPeriod(key)).toBe('2025-Q3');
    expect(linkUploadPeriod('inbox/iom-return/2025-Q3.xlsx')).toBeNull();
  });

  it.each([
    '../../etc/passwd.xlsx',
    'a/b.xlsx',
    '.xlsx',
    '....xlsx',
    `${'x'.repeat(300)}.XLSX`,
    'name with\nnewline.xlsx',
  ])('keeps a hostile file name inside the project folder: %j', (name) => {
    const safe = safeUploadName(name);
    const key = linkUploadKey('iom-return', '2025-Q3', '20261116T040000Z-abc123', safe);
    expect(parseInboxKey(key)?.folder).toBe('iom-return');
    expect(safe).toMatch(/^[\p{L}\p{N}][\p{L}\p{N}._-]*\.xlsx$/u);
  });
});
