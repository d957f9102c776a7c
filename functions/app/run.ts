/**
 * The whole local flow, as the scheduler would run it: ingest everything new, remind before a deadline, generate
 * every period whose deadline has passed (a new revision only when its sources changed: see
 * `core/revision-policy.ts`), deliver what is undelivered. Every step is safe to repeat and to run twice at once.
 * A mail that certainly failed does not stop the run: the rest is done, then {@link UnsentMailError} is thrown so
 * the caller knows a repeat is due (the repeat sends only what failed).
 */

import { latestDueCutoff, periodInReminderWindow, periodsDue } from '../core/calendar';
import { keys } from '../core/keys';
import { rigaDate } from '../core/period';
import { activeProjects } from '../core/report-model';
import { type DeliverOutcome, deliverPeriod } from './deliver';
import type { Deps } from './deps';
import { type GenerateOutcome, generatePeriod } from './generate';
import { type IngestOutcome, ingestObject } from './ingest';
import { UnsentMailError } from './ledger';
import { loadRegistryInForce } from './registry-store';
import { type RemindOutcome, remindPeriod } from './remind';
import {
  deliverTransmission,
  produceTransmission,
  type TransmissionDeliverOutcome,
  type TransmissionOutcome,
} from './transmission';

export interface RunProgress {
  stage: 'ingest' | 'generate' | 'deliver' | 'transmission';
  done: number;
  total: number;
  label: string;
}

export interface RunResult {
  ingested: IngestOutcome[];
  reminded: RemindOutcome[];
  generated: GenerateOutcome[];
  delivered: DeliverOutcome[];
  /** The Art. 42 transmission of the latest due cut-off, and its delivery (none before the first is due). */
  transmitted: TransmissionOutcome[];
  transmissionsDelivered: TransmissionDeliverOutcome[];
}

export interface RunOptions {
  /** Worker threads per period for rendering (see `generate.ts`); default there. */
  workers?: number;
}

export async function runAll(
  deps: Deps,
  onProgress?: (p: RunProgress) => void,
  options: RunOptions = {},
): Promise<RunResult> {
  const result: RunResult = {
    ingested: [],
    reminded: [],
    generated: [],
    delivered: [],
    transmitted: [],
    transmissionsDelivered: [],
  };
  const unsent: UnsentMailError[] = [];
  /** Runs a step; a failed mail is remembered (its outcome kept when it has one) and the run goes on. */
  const mailing = async <T>(step: () => Promise<T>, keep: (outcome: T) => void): Promise<void> => {
    try {
      keep(await step());
    } catch (err) {
      if (!(err instanceof UnsentMailError)) throw err;
      unsent.push(err);
      if (err.outcome) keep(err.outcome as T);
    }
  };
  const byUploadTime = (a: { lastModified: Date; key: string }, b: { lastModified: Date; key: string }) =>
    a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : 1);
  // The registry first: submissions are validated against the registry in force.
  const registryUploads = (await deps.store.list(keys.registryPrefix)).sort(byUploadTime);
  for (const info of registryUploads) result.ingested.push(await ingestObject(deps, info.key));
  let registry = await loadRegistryInForce(deps.store);
  const inbox = (await deps.store.list(keys.inboxPrefix)).sort(byUploadTime);
  let done = 0;
  for (const info of inbox) {
    await mailing(
      () => ingestObject(deps, info.key, { registry }),
      (o) => result.ingested.push(o),
    );
    onProgress?.({ stage: 'ingest', done: ++done, total: inbox.length, label: info.key });
  }
  registry = await loadRegistryInForce(deps.store);
  if (!registry) return finish(result, unsent);
  const today = rigaDate(deps.clock.now());
  const reminder = periodInReminderWindow(registry, today);
  if (reminder) {
    await mailing(
      () => remindPeriod(deps, reminder),
      (o) => result.reminded.push(o),
    );
  }
  const periods = periodsDue(registry, today).filter((period) => activeProjects(registry!, period).length > 0);
  done = 0;
  for (const period of periods) {
    result.generated.push(
      await generatePeriod(deps, { period, ...(options.workers === undefined ? {} : { workers: options.workers }) }),
    );
    onProgress?.({ stage: 'generate', done: ++done, total: periods.length, label: period });
  }
  done = 0;
  for (const period of periods) {
    await mailing(
      () => deliverPeriod(deps, period),
      (o) => result.delivered.push(o),
    );
    onProgress?.({ stage: 'deliver', done: ++done, total: periods.length, label: period });
  }
  // After the Q4 and Q2 deadlines: the Art. 42 transmission of the latest due cut-off, to the programme's managers.
  const cutoff = latestDueCutoff(registry, today);
  if (cutoff) {
    result.transmitted.push(await produceTransmission(deps, { cutoff }));
    await mailing(
      () => deliverTransmission(deps, cutoff),
      (o) => result.transmissionsDelivered.push(o),
    );
    onProgress?.({ stage: 'transmission', done: 1, total: 1, label: cutoff });
  }
  return finish(result, unsent);
}

function finish(result: RunResult, unsent: UnsentMailError[]): RunResult {
  if (unsent.length === 0) return result;
  const failed = unsent.reduce((sum, err) => sum + err.failed, 0);
  throw new UnsentMailError(failed, result, { cause: unsent.length === 1 ? unsent[0] : new AggregateError(unsent) });
}
