/**
 * Ingest one uploaded object: guard → parse → validate → normalise, then store the submission (or registry
 * version) or the rejection, and tell the coordinator. Safe to repeat: keyed on the object's version. The steps are
 * ordered so that a crash anywhere leaves work the next delivery of the event finishes: record (create-only) →
 * receipt e-mail (through the mail ledger: one per object version, never two) → ingest receipt (marks it done).
 */

import { XLSX_CONTENT_TYPE } from '../core/cells';
import { isXlsxKey, keys, linkUploadPeriod, parseInboxKey } from '../core/keys';
import { rigaDate } from '../core/period';
import { AlreadyExistsError, type OutgoingMail } from '../core/ports';
import type { Registry, Rejection, SourceRef, ValidationIssue } from '../core/types';
import { parseRegistry } from '../intake/read-registry';
import { parseSubmission } from '../intake/read-submission';
import { readXlsx, type WorkbookData } from '../intake/read-xlsx';
import { composeAcceptanceMail, composeRejectionMail } from '../mail/compose-mails';
import { buildAnnotatedWorkbook } from '../workbooks/annotate-workbook';
import { type Deps, jsonBytes, recordBytes, sha256Hex } from './deps';
import { type SendOnceResult, sendOnce, UnsentMailError } from './ledger';
import { loadRegistryInForce } from './registry-store';
import { uploadLinkFor } from './upload-links';

/** What became of the coordinator's e-mail about an upload (`none`: nobody to tell). */
export type ReceiptMail = Exclude<SendOnceResult['status'], 'failed'> | 'none';

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
      kind: 'submission' | 'registry';
      key: string;
      recordKey: string;
      issues: ValidationIssue[];
      mail: ReceiptMail;
    }
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

async function putOnce(deps: Deps, key: string, value: unknown, contentType = 'application/json'): Promise<void> {
  const bytes = value instanceof Uint8Array ? value : jsonBytes(value);
  try {
    await deps.store.put(key, bytes, { ifNoneMatch: true, contentType });
  } catch (err) {
    // Written by an earlier delivery of the same event: already done.
    if (!(err instanceof AlreadyExistsError)) throw err;
  }
}

export async function ingestObject(
  deps: Deps,
  key: string,
  options: {
    /** The registry in force, when the caller already loaded it (a batch run). */
    registry?: Registry | null;
    /** The exact object version an event announced; a later upload to the same key is a different version. */
    version?: string;
  } = {},
): Promise<IngestOutcome> {
  const isRegistry = key.startsWith(keys.registryPrefix);
  const inbox = parseInboxKey(key);
  if ((!isRegistry && !inbox) || !isXlsxKey(key)) return { status: 'skipped', key, reason: 'not-an-upload' };
  const object = await deps.store.get(key, options.version);
  if (!object) return { status: 'skipped', key, reason: 'not-found' };
  const receiptKey = keys.ingested(key, object.version);
  if (await deps.store.get(receiptKey)) return { status: 'skipped', key, reason: 'already-ingested' };

  const source: SourceRef = {
    key,
    version: object.version,
    sha256: sha256Hex(object.bytes),
    bytes: object.bytes.byteLength,
    uploadedAt: object.lastModified.toISOString(),
  };
  const kind = isRegistry ? 'registry' : 'submission';
  const registry = isRegistry
    ? null
    : options.registry !== undefined
      ? options.registry
      : await loadRegistryInForce(deps.store);
  let read: ReturnType<typeof readXlsx> | null = readXlsx(object.bytes);
  let outcome: IngestOutcome;
  if (!read.ok) {
    const folder = inbox?.folder ?? 'registry';
    outcome = await reject(deps, source, folder, kind, [readProblemIssue(read.problem)], null, null, registry, null);
  } else if (isRegistry) {
    const result = parseRegistry(read.workbook, source);
    if (result.registry) {
      const recordKey = keys.registryVersion(object.version);
      await putOnce(deps, recordKey, recordBytes(result.registry));
      outcome = { status: 'accepted', kind, key, recordKey, warnings: result.issues.length, mail: 'none' };
    } else {
      outcome = await reject(deps, source, 'registry', kind, result.issues, null, null, null, read.workbook);
    }
  } else {
    const result = parseSubmission(read.workbook, source, {
      registry,
      folder: inbox!.folder,
      today: rigaDate(deps.clock.now()),
      linkPeriod: linkUploadPeriod(key),
    });
    if (result.submission) {
      const s = result.submission;
      // Let the workbook go before the record is serialised: together they would not fit the memory budget.
      read = null;
      const recordKey = keys.submission(s.period, s.projectId, object.version);
      await putOnce(deps, recordKey, recordBytes(s));
      const to = registry?.projects.find((p) => p.id === s.projectId)?.coordinatorEmails ?? [];
      const uploadLink = to.length > 0 ? await uploadLinkFor(deps, registry, s.projectId, s.period) : undefined;
      const mail = await receiptMail(deps, source, to, () =>
        composeAcceptanceMail({
          from: deps.mailFrom,
          to,
          projectId: s.projectId,
          period: s.period,
          sourceKey: key,
          sha256: source.sha256,
          warnings: s.warnings,
          uploadLink,
        }),
      );
      outcome = { status: 'accepted', kind, key, recordKey, warnings: s.warnings.length, mail };
    } else {
      outcome = await reject(
        deps,
        source,
        inbox!.folder,
        kind,
        result.issues,
        result.projectId,
        result.period,
        registry,
        read.workbook,
      );
    }
  }
  await putOnce(deps, receiptKey, {
    key,
    version: object.version,
    status: outcome.status,
    recordKey: 'recordKey' in outcome ? outcome.recordKey : null,
  });
  deps.log.info('ingest.done', {
    kind,
    status: outcome.status,
    version: object.version,
    issues: outcome.status === 'rejected' ? outcome.issues.length : 0,
    mail: outcome.status === 'skipped' ? undefined : outcome.mail,
  });
  return outcome;
}

async function reject(
  deps: Deps,
  source: SourceRef,
  folder: string,
  kind: 'submission' | 'registry',
  issues: ValidationIssue[],
  projectId: string | null,
  period: string | null,
  registry: Registry | null,
  workbook: WorkbookData | null,
): Promise<IngestOutcome> {
  const record: Rejection = { schemaVersion: 1, kind: 'rejection', source, projectId, period, issues };
  const recordKey = keys.rejection(folder, source.version);
  // The coordinator's own workbook back, every problem marked (or, for an unreadable file, the problems explained).
  const annotated = await buildAnnotatedWorkbook(workbook, issues);
  await putOnce(deps, keys.rejection(folder, source.version, 'xlsx'), annotated, XLSX_CONTENT_TYPE);
  await putOnce(deps, recordKey, record);
  // Reply to the project's coordinators as the registry knows them; an unknown folder has nobody to tell.
  const project =
    registry?.projects.find((p) => p.id === (projectId ?? folder)) ?? registry?.projects.find((p) => p.id === folder);
  const to = project?.coordinatorEmails ?? [];
  // The link is for the upload's period when the workbook (or the link it came through) names one.
  const linkPeriod = period ?? linkUploadPeriod(source.key);
  const uploadLink = project && to.length > 0 ? await uploadLinkFor(deps, registry, project.id, linkPeriod) : undefined;
  const mail = await receiptMail(deps, source, to, () =>
    composeRejectionMail({
      from: deps.mailFrom,
      to,
      projectId: project?.id ?? null,
      sourceKey: source.key,
      issues,
      annotated: { filename: annotatedName(source.key), content: annotated },
      uploadLink,
    }),
  );
  return { status: 'rejected', kind, key: source.key, recordKey, issues, mail };
}

/** `inbox/p/2025-Q3.xlsx` → `2025-Q3-kļūdas.xlsx` (the mail makes the name safe). */
function annotatedName(key: string): string {
  const file = key.slice(key.lastIndexOf('/') + 1).replace(/\.xlsx$/i, '');
  return `${file}-kļūdas.xlsx`;
}

/**
 * The coordinator's one e-mail about one object version (acceptance or rejection), through the mail ledger. A send
 * that certainly failed throws {@link UnsentMailError} before the ingest receipt is written, so the event's retry
 * comes back for it.
 */
async function receiptMail(
  deps: Deps,
  source: SourceRef,
  to: string[],
  compose: () => OutgoingMail,
): Promise<ReceiptMail> {
  if (to.length === 0) return 'none';
  const result = await sendOnce(deps, {
    slot: keys.uploadMailSlot(source.key, source.version),
    event: 'ingest.receipt',
    about: { version: source.version },
    compose,
  });
  if (result.status === 'failed') throw new UnsentMailError(1, null, { cause: result.error });
  return result.status;
}
