/**
 * Ingest one uploaded object: guard → parse → validate → normalise, then store the submission (or registry
 * version) or the rejection, and tell the coordinator. Safe to repeat: keyed on the object's version. The steps are
 * ordered so that a crash anywhere leaves work the next delivery of the event finishes: record (create-only) →
 * receipt e-mail (through the mail ledger: one per object version, never two) → ingest receipt (marks it done).
 *
 * Every upload gets an answer (issue 14): an object that is not where uploads go is refused with a record; the
 * answer goes to the coordinators of the folder that was written to, never to a project the workbook names; an
 * upload refused only for reasons a later registry or date can lift stays *pending* (`pending.ts`) instead.
 */

import { XLSX_CONTENT_TYPE } from '../core/cells';
import { issue, onlyLiftable } from '../core/issue-codes';
import { classifyUpload, keys, linkUploadPeriod, MISPLACED_FOLDER } from '../core/keys';
import { rigaDate } from '../core/period';
import { AlreadyExistsError } from '../core/ports';
import type { Registry, Rejection, SourceRef, ValidationIssue } from '../core/types';
import { parseRegistry } from '../intake/read-registry';
import { readSubmission } from '../intake/read-submission';
import { readXlsx, type WorkbookData } from '../intake/read-xlsx';
import { composeAcceptanceMail, composeRejectionMail } from '../mail/coordinator-mails';
import { buildAnnotatedWorkbook } from '../workbooks/annotate-workbook';
import { type Deps, jsonBytes, recordBytes, sha256Hex } from './deps';
import {
  keepPending,
  type PendingOutcome,
  type PendingUpload,
  readPending,
  reexaminationDue,
  stillPending,
} from './pending';
import type { ReadsAhead } from './read-ahead';
import { readRecord } from './records';
import { loadRegistryInForce } from './registry-store';
import { uploadLinkFor } from './upload-links';
import { coordinatorsOf, type ReceiptMail, receiptMail } from './upload-mail';

export type { ReceiptMail };

export type IngestOutcome =
  | {
      status: 'accepted';
      kind: 'submission' | 'registry';
      key: string;
      recordKey: string;
      warnings: number;
      mail: ReceiptMail;
    }
  | {
      status: 'rejected';
      kind: 'submission' | 'registry' | 'misplaced';
      key: string;
      recordKey: string;
      issues: ValidationIssue[];
      mail: ReceiptMail;
    }
  | PendingOutcome
  | { status: 'skipped'; key: string; reason: 'already-ingested' | 'not-found' | 'not-an-upload' };

/** Turn a whole-file read problem into an issue with no cell. */
function readProblemIssue(problem: {
  code: string;
  message: { lv: string; en: string };
  found?: string;
  sheet?: string;
  cell?: string;
}): ValidationIssue {
  const result: ValidationIssue = { severity: 'error', code: problem.code, message: problem.message };
  if (problem.found !== undefined) result.found = problem.found;
  if (problem.sheet !== undefined) result.sheet = problem.sheet;
  if (problem.cell !== undefined) result.cell = problem.cell;
  return result;
}

export async function putOnce(
  deps: Deps,
  key: string,
  value: unknown,
  contentType = 'application/json',
): Promise<void> {
  const bytes = value instanceof Uint8Array ? value : jsonBytes(value);
  try {
    await deps.store.put(key, bytes, { ifNoneMatch: true, contentType });
  } catch (err) {
    // Written by an earlier delivery of the same event: already done.
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
}

export interface IngestOptions {
  /** The registry in force, when the caller already loaded it (a batch run). */
  registry?: Registry | null;
  /** The exact object version an event announced; a later upload to the same key is a different version. */
  version?: string;
  /** Examine a pending upload again now, even when neither its registry nor its date moved (an operator's call). */
  reexamine?: boolean;
  /**
   * An operator's `reprocess`: decide again even if it was decided (its original upload time is kept: it is the
   * object's). A different decision is mailed once; the same decision is not mailed again.
   */
  reprocess?: boolean;
  /** Submission workbooks read ahead on worker threads (a batch run); a read made from other inputs is not taken. */
  readsAhead?: ReadsAhead;
}

/** Mail ledger slot of a decision about one upload version (see {@link IngestOptions.reprocess}). */
type SlotFor = (decision: 'accepted' | 'rejected') => string;

export async function ingestObject(deps: Deps, key: string, options: IngestOptions = {}): Promise<IngestOutcome> {
  const place = classifyUpload(key);
  if (!place) return { status: 'skipped', key, reason: 'not-an-upload' };
  const object = await deps.store.get(key, options.version);
  if (!object) return { status: 'skipped', key, reason: 'not-found' };
  const receiptKey = keys.ingested(key, object.version);
  const receipt = await readRecord<{ status: string }>(deps, receiptKey);
  if (receipt && !options.reprocess) return { status: 'skipped', key, reason: 'already-ingested' };
  const base = keys.uploadMailSlot(key, object.version);
  const slotFor: SlotFor = (decision) => (receipt && receipt.status !== decision ? `${base}.${decision}` : base);

  const source: SourceRef = {
    key,
    version: object.version,
    sha256: sha256Hex(object.bytes),
    bytes: object.bytes.byteLength,
    uploadedAt: object.lastModified.toISOString(),
  };
  const registry =
    place.kind === 'registry'
      ? null
      : options.registry !== undefined
        ? options.registry
        : await loadRegistryInForce(deps.store);
  let outcome: IngestOutcome;
  if (place.kind === 'misplaced') {
    const issues = [issue('upload-misplaced', 'error', {}, { found: key, expected: 'inbox/<projectId>/<file>.xlsx' })];
    outcome = await reject(
      deps,
      slotFor,
      source,
      MISPLACED_FOLDER,
      'misplaced',
      issues,
      place.folder,
      null,
      registry,
      null,
    );
  } else if (place.kind === 'registry') {
    outcome = await ingestRegistry(deps, slotFor, source, object.bytes);
  } else {
    const pendingKey = keys.pending(place.folder, object.version);
    const pending = await readPending(deps, pendingKey);
    const today = rigaDate(deps.clock.now());
    // Nothing that could lift its refusal has moved: it stays pending, unexamined (no workbook read).
    if (pending && !options.reexamine && !options.reprocess && !reexaminationDue(pending, registry, today)) {
      return stillPending(deps, pending, pendingKey, registry);
    }
    const decided = await ingestSubmission(deps, slotFor, source, object.bytes, place.folder, registry, {
      pending,
      pendingKey,
      readsAhead: options.readsAhead,
    });
    if (decided.status === 'pending') return decided;
    outcome = decided;
  }
  const done = {
    key,
    version: object.version,
    status: outcome.status,
    recordKey: 'recordKey' in outcome ? outcome.recordKey : null,
  };
  // A reprocessed upload's receipt says what it is now; a first decision's receipt is written once.
  if (receipt) await deps.store.put(receiptKey, jsonBytes(done), { contentType: 'application/json' });
  else await putOnce(deps, receiptKey, done);
  deps.log.info('ingest.done', {
    kind: outcome.status === 'skipped' ? undefined : outcome.kind,
    status: outcome.status,
    version: object.version,
    issues: outcome.status === 'rejected' ? outcome.issues.length : 0,
    mail: outcome.status === 'skipped' ? undefined : outcome.mail,
  });
  return outcome;
}

async function ingestRegistry(
  deps: Deps,
  slotFor: SlotFor,
  source: SourceRef,
  bytes: Uint8Array,
): Promise<IngestOutcome> {
  const read = readXlsx(bytes);
  if (!read.ok) {
    return reject(
      deps,
      slotFor,
      source,
      'registry',
      'registry',
      [readProblemIssue(read.problem)],
      null,
      null,
      null,
      null,
    );
  }
  const result = parseRegistry(read.workbook, source);
  if (!result.registry) {
    return reject(deps, slotFor, source, 'registry', 'registry', result.issues, null, null, null, read.workbook, bytes);
  }
  const recordKey = keys.registryVersion(source.version);
  await putOnce(deps, recordKey, recordBytes(result.registry));
  return {
    status: 'accepted',
    kind: 'registry',
    key: source.key,
    recordKey,
    warnings: result.issues.length,
    mail: 'none',
  };
}

async function ingestSubmission(
  deps: Deps,
  slotFor: SlotFor,
  source: SourceRef,
  bytes: Uint8Array,
  folder: string,
  registry: Registry | null,
  {
    pending,
    pendingKey,
    readsAhead,
  }: { pending: PendingUpload | null; pendingKey: string; readsAhead: ReadsAhead | undefined },
): Promise<IngestOutcome> {
  const today = rigaDate(deps.clock.now());
  const ctx = { registry, folder, today, linkPeriod: linkUploadPeriod(source.key) };
  // Read and checked in one pass: the participant rows are never all held at once (see `readSubmission`).
  const read = (await readsAhead?.take(source, ctx)) ?? (await readSubmission(bytes, source, ctx));
  if (!read.ok) {
    const issues = [readProblemIssue(read.problem)];
    // Without a registry nobody can be answered: wait for one rather than refuse into the void.
    if (registry === null) {
      const result = { projectId: null, period: null, issues: [...issues, issue('registry-missing', 'error')] };
      return keepPending(deps, { source, folder, result, registry, today, previous: pending, pendingKey });
    }
    return reject(deps, slotFor, source, folder, 'submission', issues, folder, null, registry, null);
  }
  const result = read.result;
  if (!result.submission) {
    if (onlyLiftable(result.issues) || registry === null) {
      return keepPending(deps, { source, folder, result, registry, today, previous: pending, pendingKey });
    }
    const named = { projectId: result.projectId, period: result.period };
    // The annotated copy shows every sheet, so the workbook is read again, whole (a refusal only).
    const whole = readXlsx(bytes);
    const workbook = whole.ok ? whole.workbook : null;
    return reject(deps, slotFor, source, folder, 'submission', result.issues, folder, named, registry, workbook, bytes);
  }
  const s = result.submission;
  const recordKey = keys.submission(s.period, s.projectId, source.version);
  await putOnce(deps, recordKey, recordBytes(s));
  const to = coordinatorsOf(registry, folder);
  const uploadLink = to.length > 0 ? await uploadLinkFor(deps, registry, folder, s.period) : undefined;
  const mail = await receiptMail(deps, slotFor('accepted'), source, to, () =>
    composeAcceptanceMail({
      from: deps.mailFrom,
      to,
      projectId: s.projectId,
      period: s.period,
      sourceKey: source.key,
      sha256: source.sha256,
      warnings: s.warnings,
      uploadLink,
    }),
  );
  return { status: 'accepted', kind: 'submission', key: source.key, recordKey, warnings: s.warnings.length, mail };
}

async function reject(
  deps: Deps,
  slotFor: SlotFor,
  source: SourceRef,
  recordFolder: string,
  kind: 'submission' | 'registry' | 'misplaced',
  issues: ValidationIssue[],
  /** The folder's project, whose coordinators are answered (null: nobody to tell). */
  folder: string | null,
  /** What the workbook itself names, when it could be read: kept in the record; another project is never mailed. */
  named: { projectId: string | null; period: string | null } | null,
  registry: Registry | null,
  workbook: WorkbookData | null,
  /** The upload's bytes, when it was read: the annotated copy keeps its drop-downs and formats. */
  original: Uint8Array | null = null,
): Promise<IngestOutcome> {
  const record: Rejection = {
    schemaVersion: 1,
    kind: 'rejection',
    source,
    projectId: named?.projectId ?? folder,
    period: named?.period ?? null,
    issues,
  };
  const namedProject = named?.projectId && named.projectId !== folder ? named.projectId : null;
  const recordKey = keys.rejection(recordFolder, source.version);
  // The coordinator's own workbook back, every problem marked (or, for an unreadable file, the problems explained).
  const annotated = await annotatedCopy(deps, workbook, issues, original);
  await putOnce(deps, keys.rejection(recordFolder, source.version, 'xlsx'), annotated.bytes, XLSX_CONTENT_TYPE);
  await putOnce(deps, recordKey, record);
  const to = coordinatorsOf(registry, folder);
  const known = to.length > 0 ? folder : null;
  // The link is for the upload's period when the workbook (or the link it came through) names one.
  const linkPeriod = named?.period ?? linkUploadPeriod(source.key);
  const uploadLink = known ? await uploadLinkFor(deps, registry, known, linkPeriod) : undefined;
  const mail = await receiptMail(deps, slotFor('rejected'), source, to, () =>
    composeRejectionMail({
      from: deps.mailFrom,
      to,
      projectId: known,
      sourceKey: source.key,
      issues: annotated.issues,
      annotated: { filename: annotatedName(source.key), content: annotated.bytes },
      uploadLink,
      ...(namedProject ? { namedProject } : {}),
    }),
  );
  return { status: 'rejected', kind, key: source.key, recordKey, issues, mail };
}

/**
 * The annotated copy, or, when building it fails for any reason (a sheet name exceljs refuses, such as `History`;
 * anything else), the issue list alone with a line saying so: the rejection must go out whatever the workbook holds.
 */
async function annotatedCopy(
  deps: Deps,
  workbook: WorkbookData | null,
  issues: ValidationIssue[],
  original: Uint8Array | null,
): Promise<{ bytes: Uint8Array; issues: ValidationIssue[] }> {
  try {
    return { bytes: await buildAnnotatedWorkbook(workbook, issues, original), issues };
  } catch (err) {
    deps.log.warn('ingest.annotated-copy-failed', { error: err instanceof Error ? err.name : 'unknown' });
    const withNote = [...issues, issue('annotated-copy-failed', 'warning')];
    return { bytes: await buildAnnotatedWorkbook(null, withNote), issues: withNote };
  }
}

/** `inbox/p/2025-Q3.xlsx` → `2025-Q3-kļūdas.xlsx` (the mail makes the name safe). */
function annotatedName(key: string): string {
  const file = key.slice(key.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  return `${file || 'augsupielade'}-kļūdas.xlsx`;
}
