/**
 * The whole local flow, as the scheduler would run it: ingest everything new, generate every period whose
 * deadline has passed (a new revision only when its sources changed), deliver what is undelivered.
 */

import { periodInReminderWindow, periodsDue } from '../core/calendar';
import { keys } from '../core/keys';
import { rigaDate } from '../core/period';
import { activeProjects } from '../core/report-model';
import { type DeliverOutcome, deliverPeriod } from './deliver';
import type { Deps } from './deps';
import { type GenerateOutcome, generatePeriod } from './generate';
import { type IngestOutcome, ingestObject } from './ingest';
import { loadRegistryInForce } from './registry-store';
import { type RemindOutcome, remindPeriod } from './remind';

export interface RunProgress {
  stage: 'ingest' | 'generate' | 'deliver';
  done: number;
  total: number;
  label: string;
}

export interface RunResult {
  ingested: IngestOutcome[];
  reminded: RemindOutcome[];
  generated: GenerateOutcome[];
  delivered: DeliverOutcome[];
}

export async function runAll(deps: Deps, onProgress?: (p: RunProgress) => void): Promise<RunResult> {
  const result: RunResult = { ingested: [], reminded: [], generated: [], delivered: [] };
  const byUploadTime = (a: { lastModified: Date; key: string }, b: { lastModified: Date; key: string }) =>
    a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : 1);
  // The registry first: submissions are validated against the registry in force.
  const registryUploads = (await deps.store.list(keys.registryPrefix)).sort(byUploadTime);
  for (const info of registryUploads) result.ingested.push(await ingestObject(deps, info.key));
  let registry = await loadRegistryInForce(deps.store);
  const inbox = (await deps.store.list(keys.inboxPrefix)).sort(byUploadTime);
  let done = 0;
  for (const info of inbox) {
    result.ingested.push(await ingestObject(deps, info.key, { registry }));
    onProgress?.({ stage: 'ingest', done: ++done, total: inbox.length, label: info.key });
  }
  registry = await loadRegistryInForce(deps.store);
  if (!registry) return result;
  const today = rigaDate(deps.clock.now());
  const reminder = periodInReminderWindow(registry, today);
  if (reminder) result.reminded.push(await remindPeriod(deps, reminder));
  const periods = periodsDue(registry, today).filter((period) => activeProjects(registry!, period).length > 0);
  done = 0;
  for (const period of periods) {
    result.generated.push(await generatePeriod(deps, { period }));
    onProgress?.({ stage: 'generate', done: ++done, total: periods.length, label: period });
  }
  done = 0;
  for (const period of periods) {
    result.delivered.push(await deliverPeriod(deps, period));
    onProgress?.({ stage: 'deliver', done: ++done, total: periods.length, label: period });
  }
  return result;
}
