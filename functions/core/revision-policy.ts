/**
 * When changed sources call for a new revision of an issued period (docs/architecture.md §2 "re-generate on late corrections"):
 * a new registry version, or any change to the period's own submissions, always (its lineage changed, even if a
 * re-upload repeats every number); a change to an earlier period's submissions only when it moves this period's
 * figures (cumulative indicator values and spending). A correction to 2024-Q1 thus re-issues 2024-Q1 and those later
 * periods whose numbers change, and leaves the others as issued.
 */
import { keys } from './keys';
import { type Manifest, type ManifestSource, sourcesFingerprint } from './manifest';
import { activeProjects, buildProjectReport, diffFigures, figuresOf } from './report-model';
import type { NormalisedSubmission, Registry } from './types';

export interface RevisionCandidate {
  period: string;
  /** The latest complete revision. */
  previous: Manifest;
  registry: Registry;
  /** The sources a new revision would have. */
  sources: readonly ManifestSource[];
  /** Accepted submissions, at least those the sources name. */
  submissions: readonly NormalisedSubmission[];
}

/** Whether the candidate's sources differ from the previous revision's in a way that needs a new revision. */
export function revisionNeeded(candidate: RevisionCandidate): boolean {
  const { period, previous, registry, sources } = candidate;
  if (
    sourcesFingerprint(previous.registry.version, previous.sources) ===
    sourcesFingerprint(registry.source.version, sources)
  )
    return false;
  if (previous.registry.version !== registry.source.version) return true;
  const own = (list: readonly ManifestSource[]) =>
    list.filter((s) => s.recordKey.startsWith(keys.submissionsOf(period)));
  if (sourcesFingerprint('', own(previous.sources)) !== sourcesFingerprint('', own(sources))) return true;

  const named = new Set(sources.map((s) => s.recordKey));
  const submissions = candidate.submissions.filter((s) =>
    named.has(keys.submission(s.period, s.projectId, s.source.version)),
  );
  const models = activeProjects(registry, period).map((p) =>
    buildProjectReport({
      registry,
      submissions,
      period,
      revision: previous.revision,
      generatedAt: previous.generatedAt,
      projectId: p.id,
    }),
  );
  const figures = figuresOf(models);
  const sameProjects = Object.keys(figures).sort().join() === Object.keys(previous.figures).sort().join();
  return !sameProjects || diffFigures(previous.figures, figures).length > 0;
}
