/**
 * Lambda entry points of the generate state machine, one per step, in the order it runs them:
 * `planHandler` (fix the revision and its sources) → `renderProjectHandler` for each of `plan.projectIds` (Map,
 * bounded concurrency) → `finishHandler` (programme summary, manifest last). Every step is idempotent; a failed
 * execution re-run resumes the same revision and writes the same bytes.
 */
import type { Context } from 'aws-lambda';
import { planCorrections } from '../app/corrections';
import { finishRevision, planRevision, renderProjectStep } from '../app/generate';
import type { PlanRef, RevisionPlan } from '../app/revisions';
import { scheduledGeneratePeriod } from '../app/schedule';
import { type AwsRuntime, onColdStart } from '../aws/deps';
import { modeField, type PlanMode, periodField, planField, projectIdField } from '../aws/invocation-events';
import { keys } from '../core/keys';
import type { ManifestOutput } from '../core/manifest';
import { METRIC } from '../core/metric-names';

/** Input of the plan step. No period: the scheduled run decides it (see `app/schedule.ts`). */
export interface PlanEvent {
  period?: string;
  mode?: PlanMode;
}

/** Output of the plan step; the state machine continues to the Map only on `planned`. */
export type PlanResult =
  | { status: 'planned'; period: string; revision: number; resumed: boolean; plan: PlanRef }
  | { status: 'unchanged'; period: string; revision: number }
  | { status: 'no-changes' }
  | { status: 'nothing-due' }
  | { status: 'no-registry' };

export interface RenderProjectEvent {
  plan: PlanRef;
  projectId: string;
}

export interface RenderProjectResult {
  projectId: string;
  outputs: ManifestOutput[];
}

export interface FinishEvent {
  plan: PlanRef;
}

export interface FinishResult {
  status: 'complete';
  period: string;
  revision: number;
  manifestKey: string;
  outputs: number;
}

/** Only the reference travels between steps; the full plan is read from the archive. */
function planRef(plan: RevisionPlan): PlanRef {
  return { period: plan.period, revision: plan.revision, projectIds: plan.projectIds };
}

/** The three step handlers on a given runtime (tests pass one wired to local servers). */
export function createGenerateHandlers(runtime: AwsRuntime) {
  const { deps, metrics } = runtime;

  const plan = (event: PlanEvent, context?: Context): Promise<PlanResult> =>
    runtime.invoke(context, async () => {
      const given = periodField(event, 'plan');
      const mode = modeField(event, 'plan');
      if (!given && mode === 'corrections') {
        const outcome = await planCorrections(deps);
        if (outcome.status !== 'planned') return { status: outcome.status };
        const { period, plan, resumed } = outcome;
        return { status: 'planned', period, revision: plan.revision, resumed, plan: planRef(plan) };
      }
      const period = given ?? (await scheduledGeneratePeriod(deps));
      if (period === null) return { status: 'no-registry' };
      if (period === undefined) return { status: 'nothing-due' };
      const outcome = await planRevision(deps, { period });
      if (outcome.status === 'no-registry') return { status: 'no-registry' };
      if (outcome.status === 'unchanged') return { status: 'unchanged', period, revision: outcome.manifest.revision };
      return {
        status: 'planned',
        period,
        revision: outcome.plan.revision,
        resumed: outcome.resumed,
        plan: planRef(outcome.plan),
      };
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
