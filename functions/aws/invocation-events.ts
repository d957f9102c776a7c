/**
 * The inputs of the scheduled and state machine invocations (generate steps, deliver, remind), checked before any
 * use case runs: a malformed input fails at once with a message naming the field, instead of somewhere deep.
 */
import { type ExecutionFailures, NO_FAILURES, type RenderedItem } from '../app/render-failures';
import type { PlanRef } from '../app/revisions';
import { isProjectId } from '../core/keys';
import { BadEventError } from './s3-event';

const PERIOD = /^\d{4}-Q[1-4]$/;

function fieldsOf(event: unknown, what: string): Record<string, unknown> {
  if (event === null || event === undefined) return {};
  if (typeof event !== 'object' || Array.isArray(event))
    throw new BadEventError(`${what}: the input must be an object`);
  return event as Record<string, unknown>;
}

/** `period` as `YYYY-Qn`; `undefined` when absent and optional. */
export function periodField(event: unknown, what: string, required: true): string;
export function periodField(event: unknown, what: string, required?: false): string | undefined;
export function periodField(event: unknown, what: string, required = false): string | undefined {
  const value = fieldsOf(event, what).period;
  if (value === undefined || value === null || value === '') {
    if (required) throw new BadEventError(`${what}: period is required (YYYY-Qn)`);
    return undefined;
  }
  if (typeof value !== 'string' || !PERIOD.test(value)) {
    throw new BadEventError(`${what}: period must look like 2025-Q3: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Modes of the plan step: the scheduled run after a deadline, or a corrections run for late uploads. */
export type PlanMode = 'scheduled' | 'corrections';

export function modeField(event: unknown, what: string): PlanMode {
  const value = fieldsOf(event, what).mode ?? 'scheduled';
  if (value !== 'scheduled' && value !== 'corrections') {
    throw new BadEventError(`${what}: mode must be "scheduled" or "corrections": ${JSON.stringify(value)}`);
  }
  return value;
}

/** The plan the plan step returned, passed on by the state machine unchanged. */
/**
 * The plan reference passed between steps: `{ period, revision, projectIds }`. The full plan (every source) stays in
 * the archive; passing only a reference keeps the Map's payload far below the Step Functions 256 KB limit.
 */
export function planField(event: unknown, what: string): PlanRef {
  const plan = fieldsOf(event, what).plan as Partial<PlanRef> | undefined;
  if (
    !plan ||
    typeof plan !== 'object' ||
    typeof plan.period !== 'string' ||
    !PERIOD.test(plan.period) ||
    !Number.isInteger(plan.revision) ||
    (plan.revision ?? 0) < 1 ||
    !Array.isArray(plan.projectIds) ||
    !plan.projectIds.every((p) => typeof p === 'string' && isProjectId(p))
  ) {
    throw new BadEventError(`${what}: plan must be the plan step's { period, revision, projectIds }`);
  }
  return { period: plan.period, revision: plan.revision!, projectIds: plan.projectIds };
}

/** A project id of the plan. */
export function projectIdField(event: unknown, what: string, plan: PlanRef): string {
  const value = fieldsOf(event, what).projectId;
  if (typeof value !== 'string' || !isProjectId(value) || !plan.projectIds.includes(value)) {
    throw new BadEventError(`${what}: projectId must be one of the plan's projects: ${JSON.stringify(value)}`);
  }
  return value;
}

/** `backfill`: issue every never-reported due period, however many (`--backfill` of the CLI). Absent: false. */
export function backfillField(event: unknown, what: string): boolean {
  const value = fieldsOf(event, what).backfill;
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean')
    throw new BadEventError(`${what}: backfill must be true or false: ${JSON.stringify(value)}`);
  return value;
}

export function failuresField(event: unknown, what: string): ExecutionFailures {
  const value = fieldsOf(event, what).failures as Partial<ExecutionFailures> | undefined | null;
  if (value === undefined || value === null) return NO_FAILURES;
  if (
    typeof value !== 'object' ||
    !Array.isArray(value.periods) ||
    !value.periods.every((p) => typeof p === 'string' && PERIOD.test(p)) ||
    typeof value.summary !== 'string'
  ) {
    throw new BadEventError(`${what}: failures must be the state machine's { count, periods, summary }`);
  }
  return { count: value.periods.length, periods: value.periods, summary: value.summary };
}

/** The Map's results, one per project of the plan; absent when the step is invoked by hand. */
export function renderedField(event: unknown, what: string): RenderedItem[] {
  const value = fieldsOf(event, what).rendered;
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    !value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item))
  )
    throw new BadEventError(`${what}: rendered must be the Map's list of item results`);
  return value.map((item: Record<string, unknown>) => ({
    ...(typeof item.projectId === 'string' ? { projectId: item.projectId } : {}),
    ...(item.error !== undefined ? { error: String(item.error) } : {}),
    ...(item.cause !== undefined && item.cause !== null ? { cause: String(item.cause) } : {}),
  }));
}
