/**
 * Upload links (docs/architecture.md §1–2): which period a coordinator's link is for, until when it works, and what the drop
 * page's endpoint checks before it hands out a presigned POST. Pure: the clock and keys come in as arguments.
 */
import {
  addDays,
  comparePeriods,
  formatPeriod,
  nextPeriod,
  type Period,
  periodOfDate,
  projectActiveIn,
  rigaStartOfDay,
  submissionDeadline,
} from './period';
import { type LinkClaims, type SigningKeyRing, signLink, type VerifiedLink, verifyLink } from './signed-link';
import type { Bilingual, IsoDate } from './types';

export const UPLOAD_LINK_KIND = 'upload';
/** A verdict token: lets the page that made one upload ask what became of that upload, and of nothing else. */
export const VERDICT_KIND = 'verdict';
/** A link works this many days after the later of its period's deadline and the mail's date. */
export const LINK_GRACE_DAYS = 30;
/** Largest workbook the drop page accepts (decimal MB, as the mail limits). */
export const MAX_UPLOAD_BYTES = 10_000_000;
/** A presigned POST lives this long: enough to send 10 MB on a slow line, short enough to be useless later. */
export const PRESIGNED_POST_SECONDS = 15 * 60;
/** How long the page may ask for its upload's verdict. */
export const VERDICT_TOKEN_SECONDS = 24 * 60 * 60;

export interface UploadScope {
  project: string;
  period: string;
}

/**
 * When a link mailed at `mailedAt` for a period with `deadline` stops working: 30 days after the end of the
 * deadline day (Riga) or after the mail, whichever is later.
 */
export function uploadLinkExpiry(deadline: IsoDate, mailedAt: Date): Date {
  const deadlineEnds = rigaStartOfDay(addDays(deadline, 1)).getTime();
  const from = Math.max(deadlineEnds, mailedAt.getTime());
  return new Date(from + LINK_GRACE_DAYS * 86_400_000);
}

export function signUploadLink(ring: SigningKeyRing, scope: UploadScope, expiresAt: Date): string {
  const claims: LinkClaims = {
    kind: UPLOAD_LINK_KIND,
    exp: Math.floor(expiresAt.getTime() / 1000),
    scope: { project: scope.project, period: scope.period },
  };
  return signLink(ring, claims);
}

export type VerifiedUpload =
  | { ok: true; scope: UploadScope; expiresAt: Date }
  | { ok: false; reason: Exclude<VerifiedLink, { ok: true }>['reason'] };

export function verifyUploadLink(ring: SigningKeyRing, token: string, now: Date): VerifiedUpload {
  const v = verifyLink(ring, token, UPLOAD_LINK_KIND, now);
  if (!v.ok) return v;
  const { project, period } = v.claims.scope;
  if (project === undefined || period === undefined) return { ok: false, reason: 'malformed' };
  return { ok: true, scope: { project, period }, expiresAt: new Date(v.claims.exp * 1000) };
}

/**
 * The period a link in a mail about an unreadable workbook is for: the project's earliest period whose deadline
 * is today or later; when the project has ended, its last period.
 */
export function nextDuePeriod(project: { start: IsoDate; end: IsoDate }, deadlineDays: number, today: IsoDate): string {
  const last = periodOfDate(project.end);
  // A project runs a few years: walking its quarters from the start is short and obviously right.
  for (let p: Period = periodOfDate(project.start); comparePeriods(p, last) <= 0; p = nextPeriod(p)) {
    if (projectActiveIn(project, p) && submissionDeadline(p, deadlineDays) >= today) return formatPeriod(p);
  }
  return formatPeriod(last);
}

/** Why the page cannot be used; the same words on the page and in tests. */
export const LINK_MESSAGES: Record<
  'expired' | 'invalid' | 'not-xlsx' | 'too-large' | 'empty' | 'unknown-project',
  Bilingual
> = {
  expired: {
    lv: 'Šīs saites derīguma termiņš ir beidzies. Izmantojiet saiti jaunākajā atgādinājumā vai apstiprinājumā, vai sazinieties ar vadošo iestādi.',
    en: 'This link has expired. Use the link in your latest reminder or receipt, or contact the managing authority.',
  },
  invalid: {
    lv: 'Šī saite nav derīga (tā ir bojāta vai atsaukta). Izmantojiet saiti jaunākajā e-pastā.',
    en: 'This link is not valid (it is damaged or has been revoked). Use the link in your latest e-mail.',
  },
  'not-xlsx': {
    lv: 'Var augšupielādēt tikai Excel darbgrāmatu (.xlsx).',
    en: 'Only an Excel workbook (.xlsx) can be uploaded.',
  },
  'too-large': {
    lv: 'Fails ir lielāks par 10 MB.',
    en: 'The file is larger than 10 MB.',
  },
  empty: {
    lv: 'Fails ir tukšs.',
    en: 'The file is empty.',
  },
  'unknown-project': {
    lv: 'Šis projekts vairs nav reģistrā. Sazinieties ar vadošo iestādi.',
    en: 'This project is no longer in the registry. Contact the managing authority.',
  },
};

/** The original file name as it may appear in a key: the user's name, kept readable, in a safe alphabet. */
export function safeUploadName(original: string): string {
  const base = original.replace(/^.*[\\/]/, '').normalize('NFC');
  const stem = base.replace(/\.xlsx$/i, '');
  const safe = stem
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80);
  return `${safe || 'workbook'}.xlsx`;
}

export function isXlsxName(name: string): boolean {
  return /\.xlsx$/i.test(name.trim());
}
