/**
 * When changed inputs call for a new revision of an issued period (docs/architecture.md §2 "re-generate on late
 * corrections", §7 "a software change never re-issues an issued period by itself; inputs do"). The decision looks at inputs only,
 * never at rendered bytes, so a new version of the software (new layout, fixed rounding, a new catalogue, a new
 * edition) re-issues nothing on its own:
 *
 * - a change to the period's own submissions in force: always (its lineage changed, even if a re-upload repeats
 *   every number);
 * - a change to the registry fields the period's report prints (its active projects, their dates, money, targets
 *   and budget lines, the indicator definitions, the deadline setting): always. Contacts (coordinators' and
 *   recipients' addresses, recipients' languages and projects) and the reminder days are not printed: they affect
 *   future mail only;
 * - a change to an earlier period's submissions: only when it moves this period's figures, both sides computed by
 *   the *same* (current) code from the previous and the new sources, so only the inputs can make them differ.
 *
 * An operator who wants figures re-derived by fixed code issues a revision on purpose (`reissue`).
 */
import { keys } from './keys';
import { type Manifest, type ManifestSource, sourcesFingerprint } from './manifest';
import {
  activeProjects,
  buildProjectReport,
  diffFigures,
  type FigureSnapshot,
  figuresOf,
  indexRegistry,
} from './report-model';
import type { NormalisedSubmission, Registry } from './types';

export interface RevisionCandidate {
  period: string;
  /** The latest complete revision. */
  previous: Manifest;
  /** The registry version the previous revision was built from. */
  previousRegistry: Registry;
  registry: Registry;
  /** The sources a new revision would have. */
  sources: readonly ManifestSource[];
  /** Accepted submissions, at least those both source lists name. */
  submissions: readonly NormalisedSubmission[];
}

/**
 * The part of a registry a period's reports print: everything but the contacts, for the projects active in the
 * period. Compared as JSON: any field a later version of the registry gains is printed-by-default (safe side).
 */
export function printedRegistry(registry: Registry, period: string): unknown {
  const { source: _source, recipients: _recipients, projects: _projects, ...rest } = registry;
  const active = activeProjects(registry, period);
  const ids = new Set(active.map((p) => p.id));
  return {
    ...rest,
    // The reminder days are not printed either: they only time a mail.
    settings: { ...rest.settings, reminderDays: undefined },
    projects: active
      .map(({ coordinatorEmails: _emails, ...printed }) => printed)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    targets: registry.targets.filter((t) => ids.has(t.projectId)),
    budget: registry.budget.filter((b) => ids.has(b.projectId)),
  };
}

/** A registry without its contacts (coordinators' and recipients' addresses): what any report may print. */
export function registryWithoutContacts(registry: Registry): unknown {
  const { source: _source, recipients: _recipients, projects, ...rest } = registry;
  return { ...rest, projects: projects.map(({ coordinatorEmails: _emails, ...printed }) => printed) };
}

/** Whether the period's printed registry fields differ between two registry versions. */
export function printedRegistryChanged(before: Registry, after: Registry, period: string): boolean {
  return JSON.stringify(printedRegistry(before, period)) !== JSON.stringify(printedRegistry(after, period));
}

/** Whether the candidate's inputs differ from the previous revision's in a way that needs a new revision. */
export function revisionNeeded(candidate: RevisionCandidate): boolean {
  const { period, previous, previousRegistry, registry, sources } = candidate;
  const registryChanged = previous.registry.version !== registry.source.version;
  if (registryChanged && printedRegistryChanged(previousRegistry, registry, period)) return true;
  if (sourcesFingerprint('', previous.sources) === sourcesFingerprint('', sources)) return false;
  const own = (list: readonly ManifestSource[]) =>
    list.filter((s) => s.recordKey.startsWith(keys.submissionsOf(period)));
  if (sourcesFingerprint('', own(previous.sources)) !== sourcesFingerprint('', own(sources))) return true;
  // Only earlier periods changed: the same code on both source lists, so only the inputs can move the figures.
  const before = figuresFrom(candidate, previous.sources);
  const after = figuresFrom(candidate, sources);
  const sameProjects = Object.keys(before).sort().join() === Object.keys(after).sort().join();
  return !sameProjects || diffFigures(before, after).length > 0;
}

function figuresFrom(candidate: RevisionCandidate, sources: readonly ManifestSource[]): FigureSnapshot {
  const { period, previous, registry } = candidate;
  const named = new Set(sources.map((s) => s.recordKey));
  const submissions = candidate.submissions.filter((s) =>
    named.has(keys.submission(s.period, s.projectId, s.source.version)),
  );
  const index = indexRegistry(registry);
  const models = activeProjects(registry, period).map((p) =>
    buildProjectReport({
      registry,
      index,
      submissions,
      period,
      revision: previous.revision,
      generatedAt: previous.generatedAt,
      projectId: p.id,
    }),
  );
  return figuresOf(models);
}
