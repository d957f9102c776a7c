/**
 * Lambda entry points of the generate state machine, one per step, in the order it runs them:
 * `planHandler` (fix the revision and its sources) → `renderProjectHandler` for each of `plan.projectIds` (Map,
 * bounded concurrency) → `finishHandler` (programme summary, manifest last). Every step is idempotent; a failed
 * execution re-run resumes the same revision and writes the same bytes.
 */
import type { Context } from 'aws-lambda';
import { type HeldPeriods, planNext } from '../app/corrections';
import { finishRevision, renderProjectStep } from '../app/generate';
import {
  type ExecutionFailures,
  failedProjects,
  type ProjectFailure,
  type RenderedItem,
  withPeriodFailed,
} from '../app/render-failures';
import type { PlanRef, RevisionPlan } from '../app/revisions';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import {
  backfillField,
  failuresField,
  modeField,
  type PlanMode,
  periodField,
  planField,
  projectIdField,
  renderedField,
} from '../aws/invocation-events';
import { keys } from '../core/keys';
import type { ManifestOutput } from '../core/manifest';
import { METRIC } from '../core/metric-names';

/**
 * Input of the plan step: the execution's input (and what the state machine added to it). No period: the scheduled
 * run decides it (see `app/corrections.ts`). `backfill: true` issues every never-reported due period, as the CLI's
 * `--backfill`; without it, more than BACKFILL_LIMIT of them are held and the execution ends failed, naming them.
 * `failures`: the periods this execution already failed, not planned again by it.
 */
export interface PlanEvent {
  period?: string;
  mode?: PlanMode;
  backfill?: boolean;
  failures?: ExecutionFailures;
}

/** Output of the plan step; the state machine continues to the Map only on `planned`, and fails on `held`. */
export type PlanResult = (
  | { status: 'planned'; period: string; revision: number; resumed: boolean; plan: PlanRef }
  | { status: 'unchanged'; period: string; revision: number }
  | { status: 'no-changes' }
  | { status: 'nothing-due' }
  | { status: 'no-registry' }
  | { status: 'held'; period: string }
) & { held?: HeldPeriods };

export interface RenderProjectEvent {
  plan: PlanRef;
  projectId: string;
}

export interface RenderProjectResult {
  projectId: string;
  outputs: ManifestOutput[];
}

/** Input of the finish step: the plan, the Map's item results and the execution's failures so far. */
export interface FinishEvent {
  plan: PlanRef;
  rendered?: RenderedItem[];
  failures?: ExecutionFailures;
}

/** `complete`: the manifest is written. `failed`: some projects did not render; no manifest, nothing delivered. */
export type FinishResult =
  | { status: 'complete'; period: string; revision: number; manifestKey: string; outputs: number }
  | { status: 'failed'; period: string; revision: number; failed: ProjectFailure[]; failures: ExecutionFailures };

/** Only the reference travels between steps; the full plan is read from the archive. */
function planRef(plan: RevisionPlan): PlanRef {
  return { period: plan.period, revision: plan.revision, projectIds: plan.projectIds };
}

/** `{ [name]: value }` when there is a value, else nothing (for optional fields under exactOptionalPropertyTypes). */
function optional<K extends string, V>(name: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [name]: value }) as { [P in K]?: V };
}

/** The three step handlers on a given runtime (tests pass one wired to local servers). */
export function createGenerateHandlers(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;

  const plan = (event: PlanEvent, context?: Context): Promise<PlanResult> =>
    runtime.invoke(context, async () => {
      const outcome = await planNext(deps, {
        mode: modeField(event, 'plan'),
        backfill: backfillField(event, 'plan'),
        skip: failuresField(event, 'plan').periods,
        ...optional('period', periodField(event, 'plan')),
      });
      const held = 'held' in outcome && outcome.held ? { held: outcome.held } : {};
      if (outcome.status !== 'planned') return { ...outcome, ...held } as PlanResult;
      const { period, plan, resumed } = outcome;
      return { status: 'planned', period, revision: plan.revision, resumed, plan: planRef(plan), ...held };
    });

  const renderProject = (event: RenderProjectEvent, context?: Context): Promise<RenderProjectResult> =>
    runtime.invoke(context, async () => {
      const plan = planField(event, 'renderProject');
      const projectId = projectIdField(event, 'renderProject', plan);
      const outputs = await renderProjectStep(deps, plan, projectId);
      metrics.count(METRIC.reportsGenerated, outputs.length);
      return { projectId, outputs };
    });

  const finish = (event: FinishEvent, context?: Context): Promise<FinishResult> =>
    runtime.invoke(context, async () => {
      const plan = planField(event, 'finish');
      const failed = failedProjects(renderedField(event, 'finish'));
      if (failed.length > 0) {
        // Some projects did not render: the revision stays open (no manifest), so nothing of it is delivered.
        deps.log.error('generate.projects-failed', {
          period: plan.period,
          revision: plan.revision,
          projects: failed.map((f) => f.projectId).join(' '),
          errors: failed.map((f) => f.error).join(' '),
        });
        metrics.count(METRIC.projectRendersFailed, failed.length);
        const failures = withPeriodFailed(failuresField(event, 'finish'), plan, failed);
        return { status: 'failed', period: plan.period, revision: plan.revision, failed, failures };
      }
      const manifest = await finishRevision(deps, plan);
      // Project files were counted by their own step; the programme PDF and XLSX are this step's.
      metrics.count(METRIC.reportsGenerated, manifest.outputs.length - 2 * plan.projectIds.length);
      metrics.count(METRIC.revisionsCompleted);
      const manifestKey = keys.manifest(plan.period, plan.revision);
      return {
        status: 'complete',
        period: plan.period,
        revision: plan.revision,
        manifestKey,
        outputs: manifest.outputs.length,
      };
    });

  return { plan, renderProject, finish };
}

const handlers = onColdStart('generate', createGenerateHandlers);

/** Step 1 of the state machine. */
export const planHandler = async (event: PlanEvent, context?: Context): Promise<PlanResult> =>
  handlers().plan(event, context);

/** Step 2, once per project of `plan.projectIds` (the Map state). */
export const renderProjectHandler = async (
  event: RenderProjectEvent,
  context?: Context,
): Promise<RenderProjectResult> => handlers().renderProject(event, context);

/** Step 3: programme summary and manifest. */
export const finishHandler = async (event: FinishEvent, context?: Context): Promise<FinishResult> =>
  handlers().finish(event, context);
