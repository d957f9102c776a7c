/**
 * An operator's reissue (issue 14, docs/architecture.md §7): new software never re-issues an issued period by itself,
 * even when it would compute other figures. When a fix does change issued figures, an operator first sees which periods
 * and how (`previewReissue`: the latest revision's own inputs, re-derived by the code running now, compared with the
 * figures it was issued with), then issues a corrected revision with a reason that its change list carries.
 */
import { keys, parseReportKey } from '../core/keys';
import { activeProjects, buildProjectReport, diffFigures, figuresOf, indexRegistry } from '../core/report-model';
import type { ReportChange } from '../core/report-types';
import type { Deps } from './deps';
import { type GenerateOutcome, generatePeriod } from './generate';
import { latestManifest, loadRevisionInputs } from './revisions';

export interface ReissuePreview {
  period: string;
  /** The latest issued revision, compared with. */
  revision: number;
  /** Figures that would change, old (issued) → new (the code running now, same inputs). */
  changes: ReportChange[];
}

/** Every period with an issued (complete) revision, oldest first. */
export async function issuedPeriods(deps: Pick<Deps, 'store'>): Promise<string[]> {
  const periods = new Set<string>();
  for (const info of await deps.store.list(keys.reportsPrefix)) {
    const parsed = parseReportKey(info.key);
    if (parsed?.file === 'manifest.json') periods.add(parsed.period);
  }
  return [...periods].sort();
}

/** What a reissue of `period` would change; null when the period was never issued. */
export async function previewReissue(deps: Pick<Deps, 'store'>, period: string): Promise<ReissuePreview | null> {
  const manifest = await latestManifest(deps, period);
  if (!manifest) return null;
  const inputs = await loadRevisionInputs(deps, manifest);
  const index = indexRegistry(inputs.registry);
  const models = activeProjects(inputs.registry, period).map((p) =>
    buildProjectReport({
      registry: inputs.registry,
      index,
      submissions: inputs.submissions,
      period,
      revision: manifest.revision,
      generatedAt: manifest.generatedAt,
      projectId: p.id,
    }),
  );
  return { period, revision: manifest.revision, changes: diffFigures(manifest.figures, figuresOf(models)) };
}

/** The period was never issued: there is nothing to re-issue (generate it instead). */
export class NotIssuedError extends Error {
  constructor(period: string) {
    super(`${period} has no issued revision; reissue corrects issued periods only (generate issues a new one)`);
    this.name = 'NotIssuedError';
  }
}

/** Issue a corrected revision of an issued period now, with `reason` in its change list. */
export async function reissuePeriod(
  deps: Deps,
  options: { period: string; reason: string; workers?: number },
): Promise<GenerateOutcome> {
  if (!(await latestManifest(deps, options.period))) throw new NotIssuedError(options.period);
  const reason = options.reason.trim();
  if (reason === '') throw new Error('a reissue needs a reason (it is printed in the change list)');
  return generatePeriod(deps, {
    period: options.period,
    reason,
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
}
