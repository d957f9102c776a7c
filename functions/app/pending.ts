/**
 * Pending uploads (issue 14): decisions that depend on time or on the registry are not final. An upload refused
 * only for reasons a later registry or a later date can lift (`LIFTABLE_CODES`: unknown project, period outside the
 * project or in the future, no registry, a category or indicator the registry does not know) is not answered with
 * a "no": it is kept under `pending/` with the registry version and the date it was examined against, and examined
 * again when the registry in force changes or the period it waits for begins. A run with a wrong clock
 * (`--now 2018-01-01`) thus loses nothing: the next run with the right clock accepts what it could not.
 *
 * Nobody is mailed while it is pending. After a week still pending, its coordinators get one mail (a ledger slot of
 * its own) saying what it waits for; the final decision then gets its own, single, mail.
 */
import { keys } from '../core/keys';
import { parsePeriod, periodStart } from '../core/period';
import type { IsoDate, Registry, SourceRef, ValidationIssue } from '../core/types';
import { composeWaitingMail } from '../mail/coordinator-mails';
import { type Deps, jsonBytes } from './deps';
import { readRecord } from './records';
import { coordinatorsOf, type ReceiptMail, receiptMail } from './upload-mail';

/** How long an upload may wait before its coordinators are told it is waiting. */
export const WAITING_MAIL_AFTER_DAYS = 7;

/** An upload not decided yet: waits for a registry change or the period's start. */
export interface PendingOutcome {
  status: 'pending';
  kind: 'submission';
  key: string;
  recordKey: string;
  issues: ValidationIssue[];
  /** The one "still waiting" mail after a week, or `none`. */
  mail: ReceiptMail;
}

export interface PendingUpload {
  schemaVersion: 1;
  kind: 'pending';
  source: SourceRef;
  /** The inbox folder written to: whose coordinators are answered. */
  folder: string;
  projectId: string | null;
  period: string | null;
  /** The liftable issues it waits on (with every warning of the last examination). */
  issues: ValidationIssue[];
  /** The registry in force at the last examination; null: none was. */
  registryVersion: string | null;
  /** Riga date of the last examination. */
  examinedOn: IsoDate;
  /** The date that lifts a "period in future" refusal (the period's first day); null when only the registry can. */
  wakeOn: IsoDate | null;
}

export async function readPending(deps: Pick<Deps, 'store'>, key: string): Promise<PendingUpload | null> {
  return readRecord<PendingUpload>(deps, key);
}

/** Whether something that could lift the refusal has moved since the last examination. */
export function reexaminationDue(pending: PendingUpload, registry: Registry | null, today: IsoDate): boolean {
  if ((registry?.source.version ?? null) !== pending.registryVersion) return true;
  return pending.wakeOn !== null && today >= pending.wakeOn;
}

/** Store (or refresh) the pending record of an upload whose only errors are liftable. */
export async function keepPending(
  deps: Deps,
  input: {
    source: SourceRef;
    folder: string;
    result: { projectId: string | null; period: string | null; issues: ValidationIssue[] };
    registry: Registry | null;
    today: IsoDate;
    previous: PendingUpload | null;
    pendingKey: string;
  },
): Promise<PendingOutcome> {
  const { source, folder, result, registry, today } = input;
  const period = result.period ? parsePeriod(result.period) : null;
  const waitsForDate = result.issues.some((i) => i.severity === 'error' && i.code === 'period-in-future');
  const record: PendingUpload = {
    schemaVersion: 1,
    kind: 'pending',
    source,
    folder,
    projectId: result.projectId,
    period: result.period,
    issues: result.issues,
    registryVersion: registry?.source.version ?? null,
    examinedOn: today,
    wakeOn: waitsForDate && period ? periodStart(period) : null,
  };
  await deps.store.put(input.pendingKey, jsonBytes(record), { contentType: 'application/json' });
  deps.log.info('ingest.pending', {
    version: source.version,
    codes: [...new Set(result.issues.filter((i) => i.severity === 'error').map((i) => i.code))].join(','),
  });
  return stillPending(deps, record, input.pendingKey, registry);
}

/** The outcome of an upload that stays pending, with the one "still waiting" mail once it has waited a week. */
export async function stillPending(
  deps: Deps,
  pending: PendingUpload,
  pendingKey: string,
  registry: Registry | null,
): Promise<PendingOutcome> {
  const waited = deps.clock.now().getTime() - new Date(pending.source.uploadedAt).getTime();
  const to = coordinatorsOf(registry, pending.folder);
  const errors = pending.issues.filter((i) => i.severity === 'error');
  const mail =
    waited >= WAITING_MAIL_AFTER_DAYS * 86_400_000
      ? await receiptMail(
          deps,
          keys.waitingMailSlot(pending.source.key, pending.source.version),
          pending.source,
          to,
          () =>
            composeWaitingMail({
              from: deps.mailFrom,
              to,
              projectId: pending.folder,
              sourceKey: pending.source.key,
              since: pending.source.uploadedAt.slice(0, 10),
              issues: errors,
            }),
        )
      : 'none';
  return {
    status: 'pending',
    kind: 'submission',
    key: pending.source.key,
    recordKey: pendingKey,
    issues: errors,
    mail,
  };
}

/** Every pending upload's key and version: what a registry change or a new day re-examines (AWS: no inbox scan). */
export async function pendingUploads(deps: Pick<Deps, 'store'>): Promise<{ key: string; version: string }[]> {
  const out: { key: string; version: string }[] = [];
  for (const info of await deps.store.list(keys.pendingPrefix)) {
    if (!info.key.endsWith('.json')) continue;
    const pending = await readPending(deps, info.key);
    if (pending) out.push({ key: pending.source.key, version: pending.source.version });
  }
  return out;
}
