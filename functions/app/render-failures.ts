/**
 * Per-project isolation in the state machine (issue 14): a project whose render step fails, even after its retries,
 * is caught in its Map item, so every other project still renders and is archived. The finish step then names the
 * failed projects instead of writing the manifest (the revision stays open, and a new execution for the period
 * resumes it with the same bytes); the period is not delivered, and the execution ends failed with this summary
 * after doing what it can.
 */
import type { PlanRef } from './revisions';

/** One Map item's outcome: `{}` when its project rendered, else the project and the error the Map caught. */
export interface RenderedItem {
  projectId?: string;
  error?: string;
  /** Step Functions' cause: for a Lambda error, the JSON of `errorType`, `errorMessage` and `trace`. */
  cause?: string;
}

/** The periods that failed so far in one execution, carried by the state machine from step to step. */
export interface ExecutionFailures {
  count: number;
  periods: string[];
  /** One line per failed period, for the execution's failure cause (and so the alarm). */
  summary: string;
}

export const NO_FAILURES: ExecutionFailures = { count: 0, periods: [], summary: '' };

export interface ProjectFailure {
  projectId: string;
  error: string;
  message: string;
}

/** Longest error message kept per project: the cause's first line is what an operator needs; logs have the rest. */
const MESSAGE_CHARS = 300;
/** Step Functions allows a failure cause of 32 768 characters. */
const SUMMARY_CHARS = 30_000;

function messageOf(cause: string | undefined): string {
  if (!cause) return '';
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // Not a Lambda error's JSON (a timeout, a states error): the cause is the message.
  }
  return message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS - 1)}…` : message;
}

/** The items of the Map that failed, by project. */
export function failedProjects(items: readonly RenderedItem[]): ProjectFailure[] {
  return items
    .filter((item) => item.error !== undefined)
    .map((item) => ({ projectId: item.projectId ?? '?', error: item.error!, message: messageOf(item.cause) }));
}

/** The execution's failures with this period's added: which projects, what failed, what to do. */
export function withPeriodFailed(
  before: ExecutionFailures,
  plan: PlanRef,
  failed: readonly ProjectFailure[],
): ExecutionFailures {
  const projects = failed.map((f) => `${f.projectId}: ${f.error}${f.message ? ` (${f.message})` : ''}`).join('; ');
  const line =
    `${plan.period} r${plan.revision}: ${failed.length} of ${plan.projectIds.length} projects failed to render — ` +
    `${projects}. The other projects' reports are archived; nothing of this revision was delivered. Fix the cause, ` +
    `then start an execution with {"period": "${plan.period}"}: it resumes the same revision.`;
  const summary = before.summary ? `${before.summary}\n${line}` : line;
  return {
    count: before.count + 1,
    periods: [...before.periods, plan.period],
    summary: summary.length > SUMMARY_CHARS ? `${summary.slice(0, SUMMARY_CHARS - 1)}…` : summary,
  };
}
