/**
 * Storage keys (docs/architecture.md §3): built and parsed here only. The same keys are used on disk and in S3.
 */

import { editionSuffix } from './editions';
import type { Lang } from './types';

const PROJECT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const PERIOD = /^\d{4}-Q[1-4]$/;
/** Versions are S3 version ids or content hashes; keep them to a safe alphabet. */
const VERSION = /^[A-Za-z0-9._-]{1,1024}$/;
const CUTOFF = /^\d{4}-(?:06-30|12-31)$/;
const LEDGER_SLOT = /^deliveries\/[A-Za-z0-9._/-]+$/;

export function isProjectId(id: string): boolean {
  return PROJECT_ID.test(id);
}

function check(kind: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value)) throw new Error(`invalid ${kind} for a storage key: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Rejections of objects that are not where uploads go (issue 14) are filed under this folder: it can never be a
 * project ID (project IDs are `[a-z0-9-]`), so no project's rejections are mixed with them.
 */
export const MISPLACED_FOLDER = '_misplaced';

export const keys = {
  inboxPrefix: 'inbox/',
  pendingPrefix: 'pending/',
  registryPrefix: 'registry/',
  submissionsPrefix: 'submissions/',
  rejectionsPrefix: 'rejections/',
  reportsPrefix: 'reports/',
  deliveriesPrefix: 'deliveries/',

  submission(period: string, projectId: string, sourceVersion: string): string {
    return `submissions/${check('period', period, PERIOD)}/${check('project id', projectId, PROJECT_ID)}/${check('version', sourceVersion, VERSION)}.json`;
  },
  submissionsOf(period: string, projectId?: string): string {
    const base = `submissions/${check('period', period, PERIOD)}/`;
    return projectId === undefined ? base : `${base}${check('project id', projectId, PROJECT_ID)}/`;
  },
  /** Rejections are filed under the upload's folder name, which may not be a valid project id. */
  rejection(folder: string, sourceVersion: string, ext: 'json' | 'xlsx' = 'json'): string {
    const safeFolder = folder.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
    return `rejections/${safeFolder}/${check('version', sourceVersion, VERSION)}.${ext}`;
  },
  /** The record an operator's purge of one upload version leaves behind (when, why, which hashes). */
  purge(sourceVersion: string): string {
    return `purges/${check('version', sourceVersion, VERSION)}.json`;
  },
  purgesPrefix: 'purges/',
  /**
   * An upload refused only for reasons a later registry or date can lift (issue 14): kept as pending, re-examined,
   * then decided. Mutable: it records the registry and date it was last examined against.
   */
  pending(folder: string, sourceVersion: string): string {
    const safeFolder = folder.replace(/[^A-Za-z0-9._-]/g, '_') || '_';
    return `pending/${safeFolder}/${check('version', sourceVersion, VERSION)}.json`;
  },
  /** Accepted registry versions, normalised. */
  registryVersion(sourceVersion: string): string {
    return `registry-versions/${check('version', sourceVersion, VERSION)}.json`;
  },
  registryVersionsPrefix: 'registry-versions/',
  /** Ingest receipt: one per source object version; marks "already ingested". */
  ingested(sourceKey: string, sourceVersion: string): string {
    return `ingested/${sourceKey.replace(/[^A-Za-z0-9._/-]/g, '_')}/${check('version', sourceVersion, VERSION)}.json`;
  },
  /** Every ingest receipt of one source key (one per version). */
  ingestedOf(sourceKey: string): string {
    return `ingested/${sourceKey.replace(/[^A-Za-z0-9._/-]/g, '_')}/`;
  },
  reportsOf(period: string): string {
    return `reports/${check('period', period, PERIOD)}/`;
  },
  revisionPrefix(period: string, revision: number): string {
    if (!Number.isInteger(revision) || revision < 1) throw new Error(`invalid revision ${revision}`);
    return `reports/${check('period', period, PERIOD)}/r${revision}/`;
  },
  /** A project's report file in one edition (see `editions.ts`): `<projectId>.pdf`, `<projectId>.en.pdf`. */
  projectReport(
    period: string,
    revision: number,
    projectId: string,
    ext: 'pdf' | 'xlsx',
    edition: Lang = 'lv',
  ): string {
    return `${keys.revisionPrefix(period, revision)}${check('project id', projectId, PROJECT_ID)}${editionSuffix(edition)}.${ext}`;
  },
  /** The programme summary in one edition: `programme.xlsx`, `programme.en.xlsx`. */
  programmeReport(period: string, revision: number, ext: 'pdf' | 'xlsx', edition: Lang = 'lv'): string {
    return `${keys.revisionPrefix(period, revision)}programme${editionSuffix(edition)}.${ext}`;
  },
  /** What a revision is built from, written before any report file (see app/revisions.ts). */
  plan(period: string, revision: number): string {
    return `${keys.revisionPrefix(period, revision)}plan.json`;
  },
  manifest(period: string, revision: number): string {
    return `${keys.revisionPrefix(period, revision)}manifest.json`;
  },
  /** The first attempt of a manager's report e-mail in the ledger (see {@link keys.deliverySlot}). */
  delivery(period: string, revision: number, recipientHash: string): string {
    return keys.ledgerAttempt(keys.deliverySlot(period, revision, recipientHash), 1);
  },
  /** The first attempt of a reminder in the ledger (see {@link keys.reminderSlot}). */
  reminder(period: string, projectId: string): string {
    return keys.ledgerAttempt(keys.reminderSlot(period, projectId), 1);
  },
  /*
   * Mail ledger slots (app/ledger.ts): one slot per e-mail that must go out once. A slot is a key stem; its
   * attempts are `<slot>.json` (the first) and `<slot>.attempt-<k>.json` (retries after a definite failure).
   */
  /** A manager's report e-mail: one per period, revision and recipient (filed under a hash of the address). */
  deliverySlot(period: string, revision: number, recipientHash: string): string {
    if (!Number.isInteger(revision) || revision < 1) throw new Error(`invalid revision ${revision}`);
    return `deliveries/${check('period', period, PERIOD)}/r${revision}/${check('recipient hash', recipientHash, /^[a-f0-9]{16,64}$/)}`;
  },
  /** An auditor's revision-page e-mail (issue 18): one per period, revision and auditor. */
  auditorDeliverySlot(period: string, revision: number, recipientHash: string): string {
    return `${keys.revisionDeliveriesPrefix(period, revision)}auditors/${check('recipient hash', recipientHash, /^[a-f0-9]{16,64}$/)}`;
  },
  /** Every delivery ledger entry of one revision: managers' at the top, auditors' under `auditors/`. */
  revisionDeliveriesPrefix(period: string, revision: number): string {
    if (!Number.isInteger(revision) || revision < 1) throw new Error(`invalid revision ${revision}`);
    return `deliveries/${check('period', period, PERIOD)}/r${revision}/`;
  },
  /** A coordinator's reminder: one per project and period. */
  reminderSlot(period: string, projectId: string): string {
    return `deliveries/${check('period', period, PERIOD)}/reminders/${check('project id', projectId, PROJECT_ID)}`;
  },
  /** The coordinator's receipt (acceptance or rejection) for one uploaded object version. */
  uploadMailSlot(sourceKey: string, sourceVersion: string): string {
    return `deliveries/uploads/${sourceKey.replace(/[^A-Za-z0-9._/-]/g, '_')}/${check('version', sourceVersion, VERSION)}`;
  },
  /** Art. 42 transmissions (docs/architecture.md §3): `transmissions/<cutoff>/r<n>/…`, archived like reports. */
  transmissionsPrefix: 'transmissions/',
  transmissionRevisionPrefix(cutoff: string, revision: number): string {
    if (!Number.isInteger(revision) || revision < 1) throw new Error(`invalid revision ${revision}`);
    return `transmissions/${check('cut-off', cutoff, CUTOFF)}/r${revision}/`;
  },
  /** The Latvian edition is `transmission.xlsx`, the English one `transmission.en.xlsx`. */
  transmission(cutoff: string, revision: number, lang: 'lv' | 'en'): string {
    return `${keys.transmissionRevisionPrefix(cutoff, revision)}transmission${lang === 'en' ? '.en' : ''}.xlsx`;
  },
  transmissionPlan(cutoff: string, revision: number): string {
    return `${keys.transmissionRevisionPrefix(cutoff, revision)}plan.json`;
  },
  transmissionManifest(cutoff: string, revision: number): string {
    return `${keys.transmissionRevisionPrefix(cutoff, revision)}manifest.json`;
  },
  /** A manager's transmission e-mail: one per cut-off, revision and recipient. */
  transmissionDeliverySlot(cutoff: string, revision: number, recipientHash: string): string {
    return `deliveries/${keys.transmissionRevisionPrefix(cutoff, revision)}${check('recipient hash', recipientHash, /^[a-f0-9]{16,64}$/)}`;
  },
  /** The one "still waiting" mail about an upload pending for a week. */
  waitingMailSlot(sourceKey: string, sourceVersion: string): string {
    return `${keys.uploadMailSlot(sourceKey, sourceVersion)}.waiting`;
  },
  /**
   * The slot an e-mail's `X-PMIF-Delivery` header names (the slot without `deliveries/`, set by app/ledger.ts), or
   * undefined when the value cannot be one: it comes back in SES notifications, which are input like any other.
   */
  slotOfDeliveryHeader(value: string): string | undefined {
    const slot = `deliveries/${value.trim()}`;
    if (!LEDGER_SLOT.test(slot) || slot.split('/').some((part) => part === '' || part === '.' || part === '..')) {
      return undefined;
    }
    return slot;
  },
  /**
   * The archive's content-addressed store: each source upload, normalised record, registry workbook and code bundle
   * a revision uses, once per SHA-256 (DESIGN §3), under Object Lock on AWS.
   */
  blobsPrefix: 'blobs/',
  blob(sha256: string): string {
    return `blobs/sha256/${check('SHA-256', sha256, /^[0-9a-f]{64}$/)}`;
  },
  ledgerAttempt(slot: string, attempt: number): string {
    if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`invalid ledger attempt ${attempt}`);
    check('ledger slot', slot, LEDGER_SLOT);
    return attempt === 1 ? `${slot}.json` : `${slot}.attempt-${attempt}.json`;
  },
};

/**
 * What lives in the archive (on AWS the Object Lock bucket): the reports, the Art. 42 transmissions, and the
 * content-addressed inputs and code they were made from. Everything else is in the data bucket.
 */
export const ARCHIVE_PREFIXES: readonly string[] = [keys.reportsPrefix, keys.transmissionsPrefix, keys.blobsPrefix];

/**
 * An upload through a link: `inbox/<project>/<period>--<stamp>--<original name>.xlsx`. The key names the period the
 * link was for (ingest refuses a workbook for another period) and the coordinator's own file name; the stamp keeps
 * two uploads of the same file apart (the folder store has no versions).
 */
export function linkUploadKey(projectId: string, period: string, stamp: string, fileName: string): string {
  check('upload stamp', stamp, /^[0-9]{8}T[0-9]{6}Z-[a-z0-9]{4,16}$/);
  check('upload file name', fileName, /^[^/\\]{1,120}\.xlsx$/u);
  return `inbox/${check('project id', projectId, PROJECT_ID)}/${check('period', period, PERIOD)}--${stamp}--${fileName}`;
}

/** The period a link upload's key names; null for any other inbox key. */
export function linkUploadPeriod(key: string): string | null {
  const inbox = parseInboxKey(key);
  const m = inbox && /^(\d{4}-Q[1-4])--[0-9]{8}T[0-9]{6}Z-[a-z0-9]{4,16}--/.exec(inbox.file);
  return m ? m[1]! : null;
}

/** A ledger attempt key → its slot and attempt number; null for anything else. */
export function parseLedgerKey(key: string): { slot: string; attempt: number } | null {
  const m = /^(deliveries\/[A-Za-z0-9._/-]+?)(?:\.attempt-(\d+))?\.json$/.exec(key);
  if (!m) return null;
  return { slot: m[1]!, attempt: m[2] === undefined ? 1 : Number(m[2]) };
}

export interface InboxKey {
  folder: string;
  file: string;
}

/** `inbox/<projectId>/<file>.xlsx` → its parts; null for anything else (other prefixes, nested folders). */
export function parseInboxKey(key: string): InboxKey | null {
  const m = /^inbox\/([^/]+)\/([^/]+)$/.exec(key);
  if (!m) return null;
  return { folder: m[1]!, file: m[2]! };
}

/** `transmissions/<cutoff>/r<n>/<file>` → its parts. */
export function parseTransmissionKey(key: string): { cutoff: string; revision: number; file: string } | null {
  const m = /^transmissions\/(\d{4}-(?:06-30|12-31))\/r(\d+)\/([^/]+)$/.exec(key);
  if (!m) return null;
  return { cutoff: m[1]!, revision: Number(m[2]), file: m[3]! };
}

/** A report file's name → the report (a project id or `programme`), its edition and its format; null otherwise. */
export function parseReportFile(file: string): { subject: string; edition: Lang; ext: 'pdf' | 'xlsx' } | null {
  const m = /^([a-z0-9-]+?)(?:\.(en))?\.(pdf|xlsx)$/.exec(file);
  if (!m) return null;
  return { subject: m[1]!, edition: (m[2] as Lang | undefined) ?? 'lv', ext: m[3] as 'pdf' | 'xlsx' };
}

/** `reports/<period>/r<n>/<file>` → its parts. */
export function parseReportKey(key: string): { period: string; revision: number; file: string } | null {
  const m = /^reports\/(\d{4}-Q[1-4])\/r(\d+)\/([^/]+)$/.exec(key);
  if (!m) return null;
  return { period: m[1]!, revision: Number(m[2]), file: m[3]! };
}

/**
 * What an object under `inbox/` or `registry/` is (issue 14: every upload gets an answer). `submission`: exactly
 * `inbox/<projectId>/<file>.xlsx` (any letter case of the extension: Windows writes `.XLSX`); `registry`:
 * `registry/…xlsx`; `misplaced`: anything else under those prefixes (the inbox root, nested folders, other
 * extensions, a folder that is not shaped like a project ID), with the project the first folder names, when it is
 * shaped like one, so its coordinators can be told. Null: not an upload at all.
 */
export type UploadPlace =
  | { kind: 'registry' }
  | { kind: 'submission'; folder: string; file: string }
  | { kind: 'misplaced'; folder: string | null };

export function classifyUpload(key: string): UploadPlace | null {
  // A "folder" object (the S3 console makes them): no upload.
  if (key.endsWith('/')) return null;
  if (key.startsWith('registry/')) {
    return isXlsxKey(key) && key.length > 'registry/'.length
      ? { kind: 'registry' }
      : { kind: 'misplaced', folder: null };
  }
  if (!key.startsWith('inbox/')) return null;
  const parts = key.slice('inbox/'.length).split('/');
  const first = parts.length > 1 && isProjectId(parts[0]!) ? parts[0]! : null;
  if (parts.length === 2 && first !== null && isXlsxKey(parts[1]!) && parts[1]!.length > '.xlsx'.length)
    return { kind: 'submission', folder: first, file: parts[1]! };
  return { kind: 'misplaced', folder: first };
}

export function isXlsxKey(key: string): boolean {
  return /\.xlsx$/i.test(key);
}
