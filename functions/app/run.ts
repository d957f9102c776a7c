/**
 * The whole local flow, as the scheduler would run it: ingest everything new, remind before a deadline, generate
 * every period whose deadline has passed (a new revision only when its inputs changed: see
 * `core/revision-policy.ts`), deliver what is undelivered. Every step is safe to repeat and to run twice at once.
 *
 * Nothing can poison a run (issue 14): a failure in one upload, record or period is caught, named (the key, what
 * failed, what to do) and the run goes on with everything else; the caller decides the exit code from
 * {@link RunResult.failures} and the in-doubt counts. A mail that certainly failed is such a failure: the next run
 * sends only what failed.
 */

import { availableParallelism } from 'node:os';
import { BACKFILL_LIMIT, latestDueCutoff, periodInReminderWindow, periodsDue } from '../core/calendar';
import { keys } from '../core/keys';
import { rigaDate } from '../core/period';
import type { ObjectInfo } from '../core/ports';
import { activeProjects } from '../core/report-model';
import type { Registry } from '../core/types';
import { heldFailure, heldInTransmission, heldWithoutBackfill } from './backfill';
import { type DeliverOutcome, deliverPeriod, ReportIntegrityError } from './deliver';
import { CorruptRecordError, type Deps } from './deps';
import { type GenerateOutcome, generatePeriod, PARALLEL_FROM_PROJECTS } from './generate';
import { type IngestOutcome, ingestObject } from './ingest';
import { UnsentMailError } from './ledger';
import { RenderPool } from './parallel-render';
import { InboxReadAhead } from './read-ahead';
import { shareParsedRecords } from './records';
import { loadRegistryInForce } from './registry-store';
import { type RemindOutcome, remindPeriod } from './remind';
import {
  deliverTransmission,
  produceTransmission,
  type TransmissionDeliverOutcome,
  type TransmissionHeld,
  type TransmissionOutcome,
} from './transmission';

export { BACKFILL_LIMIT };

export interface RunProgress {
  stage: 'ingest' | 'generate' | 'deliver' | 'transmission';
  done: number;
  total: number;
  label: string;
}

/** One thing a run could not do: which object or period, what went wrong, and what an operator should do. */
export interface RunFailure {
  key: string;
  what: string;
  todo: string;
}

export interface RunResult {
  ingested: IngestOutcome[];
  reminded: RemindOutcome[];
  generated: GenerateOutcome[];
  delivered: DeliverOutcome[];
  /** The Art. 42 transmission of the latest due cut-off, and its delivery (none before the first is due). */
  transmitted: TransmissionOutcome[];
  transmissionsDelivered: TransmissionDeliverOutcome[];
  /** The transmission this run did not write nor mail: it would count periods in {@link held}. */
  transmissionsHeld: TransmissionHeld[];
  /** Never-reported periods the run did not issue because there were more than {@link BACKFILL_LIMIT}. */
  held: string[];
  failures: RunFailure[];
}

export interface RunOptions {
  /**
   * Render worker threads for the whole run (default: {@link runWorkers} of the machine's available parallelism);
   * 1 renders on this thread, one period after another.
   */
  workers?: number;
  /** A pool the caller started (and closes), e.g. warmed while it prepared the run; otherwise the run starts one. */
  pool?: RenderPool;
  /** Issue every due period that was never reported, however many (a first deployment, `npm start`). */
  backfill?: boolean;
}

/** What to do about an error, in words an operator can act on. */
export function failureOf(key: string, err: unknown): RunFailure {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  if (err instanceof UnsentMailError)
    return { key, what, todo: 'the mail server refused it; the next run sends what was not sent' };
  if (err instanceof CorruptRecordError)
    return { key, what, todo: `restore ${err.key} from an earlier version (or remove it and re-ingest its upload)` };
  if (err instanceof ReportIntegrityError)
    return { key, what, todo: `nothing was mailed; restore ${err.key} from the archive, then run again` };
  return { key, what, todo: 'fix the cause, then run again: finished work is not redone' };
}

export async function runAll(
  deps: Deps,
  onProgress?: (p: RunProgress) => void,
  options: RunOptions = {},
): Promise<RunResult> {
  // Every period's planning reads every earlier period's records, and each revision's inputs are read to render and
  // to deliver: parsed once for the whole run.
  const release = shareParsedRecords(deps.store);
  try {
    return await runSteps(deps, onProgress, options);
  } finally {
    release();
  }
}

async function runSteps(
  deps: Deps,
  onProgress: ((p: RunProgress) => void) | undefined,
  options: RunOptions,
): Promise<RunResult> {
  const result: RunResult = {
    ingested: [],
    reminded: [],
    generated: [],
    delivered: [],
    transmitted: [],
    transmissionsDelivered: [],
    transmissionsHeld: [],
    held: [],
    failures: [],
  };
  /** Runs one step; its failure is recorded under `key` (a mail's failure keeps the step's outcome) and the run goes on. */
  const guarded = async <T>(key: string, step: () => Promise<T>, keep: (outcome: T) => void): Promise<boolean> => {
    try {
      keep(await step());
      return true;
    } catch (err) {
      if (err instanceof UnsentMailError && err.outcome) keep(err.outcome as T);
      result.failures.push(failureOf(key, err));
      deps.log.error('run.step-failed', { key, error: err instanceof Error ? err.name : 'unknown' });
      return false;
    }
  };
  const byUploadTime = (a: { lastModified: Date; key: string }, b: { lastModified: Date; key: string }) =>
    a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : 1);
  // The registry first: submissions are validated against the registry in force.
  const registryUploads = (await deps.store.list(keys.registryPrefix)).sort(byUploadTime);
  for (const info of registryUploads) {
    await guarded(
      info.key,
      () => ingestObject(deps, info.key),
      (o) => result.ingested.push(o),
    );
  }
  let registry: Registry | null = null;
  // Without a readable registry nothing can be checked or reported: stop here, named.
  if (
    !(await guarded(
      keys.registryVersionsPrefix,
      () => loadRegistryInForce(deps.store),
      (r) => (registry = r),
    ))
  )
    return result;
  const inbox = (await deps.store.list(keys.inboxPrefix)).sort(byUploadTime);
  await ingestInbox(deps, inbox, registry, options.pool, guarded, result, onProgress);
  if (!registry) return result;
  await reportAndDeliver(deps, registry, result, guarded, onProgress, options);
  return result;
}

type Guarded = <T>(key: string, step: () => Promise<T>, keep: (outcome: T) => void) => Promise<boolean>;

/**
 * Ingest the inbox in upload order. With a pool, the workbooks are read a few uploads ahead on its workers while
 * this thread records, mails and receipts the ones before (`read-ahead.ts`): the same decisions in the same order.
 */
async function ingestInbox(
  deps: Deps,
  inbox: readonly ObjectInfo[],
  registry: Registry | null,
  pool: RenderPool | undefined,
  guarded: Guarded,
  result: RunResult,
  onProgress: ((p: RunProgress) => void) | undefined,
): Promise<void> {
  const ahead = pool && registry ? new InboxReadAhead(deps, pool, registry, inbox, READ_AHEAD * pool.size) : undefined;
  try {
    await ahead?.fill();
    let done = 0;
    for (const info of inbox) {
      await guarded(
        info.key,
        () => ingestObject(deps, info.key, { registry, ...(ahead ? { readsAhead: ahead } : {}) }),
        (o) => result.ingested.push(o),
      );
      onProgress?.({ stage: 'ingest', done: ++done, total: inbox.length, label: info.key });
    }
  } finally {
    ahead?.close();
  }
}

/** Uploads read ahead per worker: enough to keep each busy while this thread commits, few enough to hold. */
const READ_AHEAD = 3;

async function reportAndDeliver(
  deps: Deps,
  registry: Registry,
  result: RunResult,
  guarded: Guarded,
  onProgress: ((p: RunProgress) => void) | undefined,
  options: RunOptions,
): Promise<void> {
  const today = rigaDate(deps.clock.now());
  const reminder = periodInReminderWindow(registry, today);
  if (reminder) {
    await guarded(
      `reminders ${reminder}`,
      () => remindPeriod(deps, reminder),
      (o) => result.reminded.push(o),
    );
  }
  const due = periodsDue(registry, today).filter((period) => activeProjects(registry, period).length > 0);
  const cutoff = latestDueCutoff(registry, today);
  const periods = await withinBackfillLimit(deps, due, result, options, cutoff);
  const largest = Math.max(0, ...periods.map((period) => activeProjects(registry, period).length));
  const pool = renderPoolFor(periods, largest, options);
  try {
    await generateAndDeliver(deps, periods, { ...options, pool }, guarded, result, onProgress);
  } finally {
    if (pool && pool !== options.pool) await pool.close();
  }
  if (cutoff) await transmitLatest(deps, cutoff, result, guarded, onProgress);
}

/**
 * After the Q4 and Q2 deadlines: the Art. 42 transmission of the latest due cut-off, to the programme's managers.
 * Held, neither written nor mailed, when its figures would count periods the backfill bound held (see backfill.ts).
 */
async function transmitLatest(
  deps: Deps,
  cutoff: string,
  result: RunResult,
  guarded: Guarded,
  onProgress: ((p: RunProgress) => void) | undefined,
): Promise<void> {
  const held = heldInTransmission(result.held, cutoff);
  if (held.length > 0) {
    result.transmissionsHeld.push({ status: 'held', cutoff, held });
    deps.log.warn('run.transmission-held', { cutoff, periods: held.length });
  } else {
    const produced = await guarded(
      `transmission ${cutoff}`,
      () => produceTransmission(deps, { cutoff }),
      (o) => result.transmitted.push(o),
    );
    if (produced) {
      await guarded(
        `transmission ${cutoff}`,
        () => deliverTransmission(deps, cutoff),
        (o) => result.transmissionsDelivered.push(o),
      );
    }
  }
  onProgress?.({ stage: 'transmission', done: 1, total: 1, label: cutoff });
}

/**
 * Periods generated at once when a pool renders: their planning, loading, writing and archiving on this thread
 * overlap the workers' rendering of the others. Periods are independent (each its own revisions and files; shared
 * archive blobs are content-addressed and written create-only).
 */
const PERIODS_AT_ONCE = 3;

/**
 * One pool for every period of the run: workers start once and load the renderers once. `workers` given, a pool of
 * that many (none for one); by default {@link runWorkers} of the cores, when there is more than one.
 */
function renderPoolFor(periods: readonly string[], largest: number, options: RunOptions): RenderPool | undefined {
  if (options.pool) return options.pool;
  if (periods.length === 0) return undefined;
  if (options.workers !== undefined) return options.workers > 1 ? new RenderPool(options.workers) : undefined;
  const cores = availableParallelism();
  return cores > 1 ? new RenderPool(runWorkers(cores, largest)) : undefined;
}

/**
 * The workers a run's pool starts by default, given the cores and the projects of its largest period: one fewer
 * than the cores while every period is small, since this thread works throughout a run (ingesting, writing and
 * archiving every file, composing every mail) and is a core's worth of work itself, and each worker loads and
 * optimizes the renderers afresh (measured on 2 cores, `npm start`'s sample, at most 9 projects a period: one
 * worker took 0.83–0.90× the CPU and 0.92–0.97× the time of two, in two sets of pairs, and 400 MB at its peak
 * against 576). A period of {@link PARALLEL_FROM_PROJECTS} or more
 * keeps every core's worker busy, as `generate` gives it one.
 */
export function runWorkers(cores: number, largestPeriod: number): number {
  return largestPeriod >= PARALLEL_FROM_PROJECTS ? cores : Math.max(1, cores - 1);
}

/**
 * Generate every period, a few at once on a pool (one at a time without), and deliver each as soon as it and every
 * period before it are done: outcomes, failures and mails are taken in period order, so the ledger and the e-mails
 * are those of generating everything first, while the mails of the first periods go out as the later ones render.
 * A period whose revision failed is not delivered: its last good revision was delivered when it was issued.
 */
async function generateAndDeliver(
  deps: Deps,
  periods: readonly string[],
  options: RunOptions,
  guarded: Guarded,
  result: RunResult,
  onProgress: ((p: RunProgress) => void) | undefined,
): Promise<void> {
  const outcomes = startGenerating(deps, periods, options);
  let done = 0;
  for (const [i, period] of periods.entries()) {
    const ok = await guarded(
      period,
      async () => {
        const outcome = await outcomes[i]!;
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      },
      (o) => result.generated.push(o),
    );
    onProgress?.({ stage: 'generate', done: i + 1, total: periods.length, label: period });
    if (ok) {
      await guarded(
        period,
        () => deliverPeriod(deps, period),
        (o) => result.delivered.push(o),
      );
    }
    onProgress?.({ stage: 'deliver', done: ++done, total: periods.length, label: period });
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Starts generating every period, up to {@link PERIODS_AT_ONCE} at once on a pool (one at a time without); each
 * outcome is caught where it settles, for the caller to take in period order.
 */
function startGenerating(
  deps: Deps,
  periods: readonly string[],
  { pool, workers }: RunOptions,
): Promise<Settled<GenerateOutcome>>[] {
  const how = pool ? { pool } : workers === undefined ? {} : { workers };
  const limit = pool ? PERIODS_AT_ONCE : 1;
  let running = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
  };
  const free = () => {
    running--;
    waiting.shift()?.();
  };
  return periods.map(async (period): Promise<Settled<GenerateOutcome>> => {
    await slot();
    try {
      return { ok: true, value: await generatePeriod(deps, { period, ...how }) };
    } catch (error) {
      return { ok: false, error };
    } finally {
      free();
    }
  });
}

/**
 * The due periods this run may issue: all reported ones, and the never-reported ones unless too many at once. The
 * held failure names the transmission of `cutoff` when it is held with them.
 */
async function withinBackfillLimit(
  deps: Deps,
  due: string[],
  result: RunResult,
  options: RunOptions,
  cutoff: string | null,
): Promise<string[]> {
  if (options.backfill) return due;
  const held = await heldWithoutBackfill(deps, due);
  if (held.length === 0) return due;
  result.held = held;
  result.failures.push({
    ...heldFailure(held, cutoff),
    todo: 'check the project dates in the registry; if these periods are really due, run again with --backfill',
  });
  deps.log.warn('run.backfill-held', { periods: held.length, first: held[0], last: held.at(-1) });
  return due.filter((p) => !held.includes(p));
}
