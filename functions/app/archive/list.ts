/** `archive list`: every archived revision of the reports, with its status and manifest hash. */
import { keys } from '../../core/keys';
import type { RevisionPlan } from '../revisions';
import {
  type ArchiveDeps,
  archivedRevisions,
  isManifestShaped,
  type ListedRevision,
  MANIFEST_FILE,
  readJsonObject,
  subjectOf,
  summariseManifest,
  unreadRevision,
} from './shared';

/** One revision as `archive list` shows it. */
export interface ArchivedRevision extends ListedRevision {
  period: string;
}

/** Every archived revision, oldest period first, optionally of one period and of one project (or `programme`). */
export async function listArchive(
  deps: Pick<ArchiveDeps, 'store'>,
  filter: { period?: string; project?: string } = {},
): Promise<ArchivedRevision[]> {
  const out: ArchivedRevision[] = [];
  const all = await archivedRevisions(deps.store, filter.period);
  for (const period of [...all.keys()].sort()) {
    const revisions = all.get(period)!;
    for (const revision of [...revisions.keys()].sort((a, b) => a - b)) {
      const files = revisions.get(revision)!;
      const manifestKey = keys.manifest(period, revision);
      const row: ArchivedRevision = { period, ...unreadRevision(revision, manifestKey) };
      if (files.has(MANIFEST_FILE)) {
        Object.assign(row, await summariseManifest(deps.store, manifestKey, isManifestShaped));
      } else {
        const plan = (await readJsonObject<RevisionPlan>(deps.store, keys.plan(period, revision)))?.value;
        row.generatedAt = plan?.generatedAt ?? null;
        row.codeVersion = plan?.codeVersion ?? null;
      }
      if (filter.project !== undefined) {
        row.outputs = row.outputs.filter((o) => subjectOf(o.key) === filter.project);
        const named = row.outputs.length > 0 || [...files].some((f) => f.startsWith(`${filter.project}.`));
        if (!named) continue;
      }
      out.push(row);
    }
  }
  return out;
}

/** Every period that has an archived revision. */
export async function archivedPeriods(deps: Pick<ArchiveDeps, 'store'>): Promise<string[]> {
  return [...(await archivedRevisions(deps.store)).keys()].sort();
}
