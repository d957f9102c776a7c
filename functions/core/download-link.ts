/**
 * Download links and revision pages (issue 18): signed links (`signed-link.ts`) for managers and auditors to open
 * archived reports without an AWS identity. Pure: keys and the clock come in as arguments.
 *
 * - A `download` token names the exact archived object keys it opens (a project's PDF and XLSX in the reader's
 *   edition, or one output of a revision) and its expiry. The key asked for in the URL is only a choice among the
 *   named ones: a key the token does not name is refused before anything is read.
 * - A `revision` token names one period and revision: it opens the revision page, which lists that revision's
 *   outputs (each with its own short download token), sources, manifest and changes.
 *
 * Neither carries credentials. The endpoint that receives one checks it, then reads with its own rights (a
 * presigned GET that lives minutes, or the local folder store).
 */
import { parseReportKey } from './keys';
import { type LinkClaims, type LinkRefusal, type SigningKeyRing, signLink, verifyLink } from './signed-link';
import type { Bilingual } from './types';

export const DOWNLOAD_KIND = 'download';
export const REVISION_KIND = 'revision';
/** Managers' download links and revision pages live this long after the mail. */
export const MANAGER_LINK_DAYS = 90;
/** A presigned GET lives this long: enough to start a download, useless to anyone who finds it later. */
export const DOWNLOAD_PRESIGN_SECONDS = 5 * 60;
/** Default archive retention (years) when none is configured: the stack's default Object Lock retention. */
export const DEFAULT_RETENTION_YEARS = 10;
/** The most keys one download token names (a token stays well under the verifier's 2 048 characters). */
export const MAX_DOWNLOAD_KEYS = 8;

const DAY_MS = 86_400_000;
/** Keys in a token are separated by this; archive keys never contain it (see `keys.ts`). */
const KEY_SEPARATOR = ' ';

/**
 * Whether a key may be named by a download token at all: a report revision's file under `reports/` (reports,
 * their manifest). Sources, records, ledgers and inboxes are never opened by a link, whoever signed it.
 */
export function isDownloadableKey(key: string): boolean {
  const parsed = parseReportKey(key);
  return parsed !== null && /^[a-z0-9][a-z0-9.-]*\.(pdf|xlsx|json)$/.test(parsed.file) && parsed.file !== 'plan.json';
}

export class DownloadScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadScopeError';
  }
}

/** Sign a download token for exactly `objectKeys`, valid until `expiresAt`. */
export function signDownloadLink(ring: SigningKeyRing, objectKeys: readonly string[], expiresAt: Date): string {
  if (objectKeys.length === 0 || objectKeys.length > MAX_DOWNLOAD_KEYS) {
    throw new DownloadScopeError(`a download link names 1 to ${MAX_DOWNLOAD_KEYS} keys, not ${objectKeys.length}`);
  }
  const bad = objectKeys.find((k) => !isDownloadableKey(k));
  if (bad !== undefined) throw new DownloadScopeError(`${bad} is not an archived report file`);
  const claims: LinkClaims = {
    kind: DOWNLOAD_KIND,
    exp: Math.floor(expiresAt.getTime() / 1000),
    scope: { keys: [...new Set(objectKeys)].join(KEY_SEPARATOR) },
  };
  return signLink(ring, claims);
}

export type Opened<T> = { ok: true; value: T; expiresAt: Date } | { ok: false; reason: LinkRefusal | 'not-named' };

/**
 * Check a download token and pick the key to open: `requested` when the token names it; the one key when the
 * token names one and nothing was asked for. Anything else is `not-named`: the token opens nothing outside its list.
 */
export function openDownloadLink(
  ring: SigningKeyRing,
  token: string,
  requested: string | null,
  now: Date,
): Opened<string> {
  const v = verifyLink(ring, token, DOWNLOAD_KIND, now);
  if (!v.ok) return v;
  const named = (v.claims.scope.keys ?? '').split(KEY_SEPARATOR).filter((k) => k !== '');
  // A token we signed names only report files; one that names anything else is not ours to honour.
  if (named.length === 0 || !named.every(isDownloadableKey)) return { ok: false, reason: 'malformed' };
  const key = requested === null || requested === '' ? (named.length === 1 ? named[0] : undefined) : requested;
  if (key === undefined || !named.includes(key)) return { ok: false, reason: 'not-named' };
  return { ok: true, value: key, expiresAt: new Date(v.claims.exp * 1000) };
}

export interface RevisionScope {
  period: string;
  revision: number;
}

export function signRevisionLink(ring: SigningKeyRing, scope: RevisionScope, expiresAt: Date): string {
  if (parseReportKey(`reports/${scope.period}/r${scope.revision}/manifest.json`) === null || scope.revision < 1) {
    throw new DownloadScopeError(`no revision ${scope.period} r${scope.revision}`);
  }
  return signLink(ring, {
    kind: REVISION_KIND,
    exp: Math.floor(expiresAt.getTime() / 1000),
    scope: { period: scope.period, revision: String(scope.revision) },
  });
}

export function openRevisionLink(ring: SigningKeyRing, token: string, now: Date): Opened<RevisionScope> {
  const v = verifyLink(ring, token, REVISION_KIND, now);
  if (!v.ok) return v;
  const { period, revision } = v.claims.scope;
  const parsed = parseReportKey(`reports/${period}/r${revision}/manifest.json`);
  if (!parsed || `${parsed.revision}` !== revision) return { ok: false, reason: 'malformed' };
  return {
    ok: true,
    value: { period: parsed.period, revision: parsed.revision },
    expiresAt: new Date(v.claims.exp * 1000),
  };
}

/** When a manager's links, mailed at `mailedAt`, stop working. */
export function managerLinkExpiry(mailedAt: Date): Date {
  return new Date(mailedAt.getTime() + MANAGER_LINK_DAYS * DAY_MS);
}

/**
 * When an auditor's revision page stops working: when the archive's retention of that revision ends (its
 * generated-at time plus the retention years, calendar years in UTC). Revocation comes earlier by key rotation.
 */
export function auditorLinkExpiry(generatedAt: string, retentionYears: number): Date {
  const start = new Date(generatedAt);
  if (Number.isNaN(start.getTime())) throw new DownloadScopeError(`generated-at ${generatedAt} is not a time`);
  const end = new Date(start);
  end.setUTCFullYear(end.getUTCFullYear() + retentionYears);
  return end;
}

/** The words of the pages a download or revision link can lead to, in both languages. */
export const DOWNLOAD_MESSAGES = {
  expired: (until: string, contacts: readonly string[]): Bilingual => {
    const who = contacts.length > 0 ? contacts.join(', ') : null;
    return {
      lv: `Šīs saites derīguma termiņš beidzās ${until}. Lūdziet jaunu saiti ${who ? `vadošajai iestādei: ${who}` : 'vadošajai iestādei'}.`,
      en: `This link expired on ${until}. Ask the managing authority for a new one${who ? `: ${who}` : ''}.`,
    };
  },
  invalid: {
    lv: 'Šī saite nav derīga (tā ir bojāta vai atsaukta). Izmantojiet saiti no sava e-pasta vai sazinieties ar vadošo iestādi.',
    en: 'This link is not valid (it is damaged or has been revoked). Use the link in your e-mail, or contact the managing authority.',
  } satisfies Bilingual,
  notNamed: {
    lv: 'Šī saite neatver šo failu. Izmantojiet saiti tieši tā, kā tā ir e-pastā.',
    en: 'This link does not open that file. Use the link exactly as it is in the e-mail.',
  } satisfies Bilingual,
  missing: {
    lv: 'Šis fails arhīvā nav atrasts. Sazinieties ar vadošo iestādi.',
    en: 'This file is not in the archive. Contact the managing authority.',
  } satisfies Bilingual,
};
