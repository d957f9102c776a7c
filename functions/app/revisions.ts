/**
 * Reading what the archive holds about a period's revisions: plans (written first), manifests (written last) and
 * the exact inputs they name. Kept apart from rendering so delivery and verification need no renderer to load it.
 */
import { keys, parseReportKey } from '../core/keys';
import type { Manifest, ManifestSource, RevisionBasis } from '../core/manifest';
import { upgradeSubmission } from '../core/submission-record';
import type { NormalisedSubmission, Registry } from '../core/types';
import type { Deps } from './deps';
import { mapLimit } from './map-limit';
import { readRecord } from './records';

/** What a revision is built from, fixed before any file is written. */
export interface RevisionPlan extends RevisionBasis {
  schemaVersion: 1;
  kind: 'plan';
  projectIds: string[];
}

export interface RevisionInputs {
  registry: Registry;
  /** Every accepted upload of the active projects for this period and earlier (in force and superseded). */
  submissions: NormalisedSubmission[];
}

/** How steps refer to a plan between processes: small enough for any Step Functions payload. */
export interface PlanRef {
  period: string;
  revision: number;
  projectIds: string[];
}

export interface RevisionInputs {
  registry: Registry;
  /** Every accepted upload of the active projects for this period and earlier (in force and superseded). */
  submissions: NormalisedSubmission[];
}

export async function readJson<T>(deps: Pick<Deps, 'store'>, key: string): Promise<T | null> {
  return readRecord<T>(deps, key);
}

/** The revisions of a period: the latest complete one (with a manifest) and the latest planned one. */
export async function revisionsOf(deps: Pick<Deps, 'store'>, period: string) {
  let complete = 0;
  let planned = 0;
  for (const info of await deps.store.list(keys.reportsOf(period))) {
    const parsed = parseReportKey(info.key);
    if (parsed?.file === 'manifest.json') complete = Math.max(complete, parsed.revision);
    if (parsed?.file === 'plan.json') planned = Math.max(planned, parsed.revision);
  }
  return { complete, planned };
}

/** The latest complete revision of a period (the one with a manifest), if any. */
export async function latestManifest(deps: Pick<Deps, 'store'>, period: string): Promise<Manifest | null> {
  const { complete } = await revisionsOf(deps, period);
  return complete > 0 ? readJson<Manifest>(deps, keys.manifest(period, complete)) : null;
}

/** A full plan from a reference (the state machine passes references; the plan itself is in the archive). */
export async function resolvePlan(deps: Pick<Deps, 'store'>, ref: RevisionPlan | PlanRef): Promise<RevisionPlan> {
  if ('sources' in ref) return ref;
  const plan = await readJson<RevisionPlan>(deps, keys.plan(ref.period, ref.revision));
  if (!plan) throw new Error(`no plan for ${ref.period} r${ref.revision}`);
  return plan;
}

/** The exact registry version and submission records a plan or manifest names. */
export async function loadRevisionInputs(
  deps: Pick<Deps, 'store'>,
  ref: { period: string; revision: number; registry: { version: string }; sources: readonly ManifestSource[] },
  /** Only this project's submissions: a render step needs no other project's records. */
  projectId?: string,
): Promise<RevisionInputs> {
  const registry = await readJson<Registry>(deps, keys.registryVersion(ref.registry.version));
  if (!registry)
    throw new Error(`registry version ${ref.registry.version} of ${ref.period} r${ref.revision} is missing`);
  const sources = projectId === undefined ? ref.sources : ref.sources.filter((s) => isRecordOf(s.recordKey, projectId));
  const submissions = await mapLimit(sources, 16, async (source) => {
    const s = await readJson<NormalisedSubmission>(deps, source.recordKey);
    if (!s) throw new Error(`submission record ${source.recordKey} of ${ref.period} r${ref.revision} is missing`);
    // Read as planning read it: a record stored under an earlier schema (euros as floats, IDs as written) is
    // rendered in today's, or its money would be missing from the report. The verifier does the same.
    return upgradeSubmission(s);
  });
  return { registry, submissions };
}

/** Whether `submissions/<period>/<projectId>/<version>.json` belongs to the project. */
function isRecordOf(recordKey: string, projectId: string): boolean {
  return recordKey.split('/')[2] === projectId;
}
