/**
 * Reminders before a deadline: coordinators of active projects with no accepted submission for the period get
 * one reminder (Latvian + English), through the mail ledger (`ledger.ts`), so a repeated run never sends it twice
 * and a failed send is retried by the next run. After the deadline the managers' e-mail lists the projects that
 * submitted late or not at all (the programme report's completeness).
 */
import { keys } from '../core/keys';
import { periodFromKey, submissionDeadline } from '../core/period';
import { activeProjects } from '../core/report-model';
import { composeReminderMail } from '../mail/coordinator-mails';
import type { Deps } from './deps';
import { sendOnce, UnsentMailError } from './ledger';
import { loadRegistryInForce, loadSubmissions } from './registry-store';
import { uploadLinkFor } from './upload-links';

/** Project ids by what became of their reminder. */
export interface RemindOutcome {
  period: string;
  reminded: string[];
  alreadyReminded: string[];
  submitted: string[];
  /** A send whose outcome is unknown: never repeated automatically (see `ledger.ts`). */
  inDoubt: string[];
  /** Certainly not sent; the next run tries again. */
  failed: string[];
  /** Failed too often or in a way retrying cannot fix: operators are told. */
  gaveUp: string[];
}

/**
 * Remind the coordinators of every active project without an accepted submission for `period`. Throws
 * {@link UnsentMailError} after trying every project when some sends certainly failed, so the run is retried.
 */
export async function remindPeriod(deps: Deps, period: string): Promise<RemindOutcome> {
  const outcome: RemindOutcome = {
    period,
    reminded: [],
    alreadyReminded: [],
    submitted: [],
    inDoubt: [],
    failed: [],
    gaveUp: [],
  };
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return outcome;
  const submitted = new Set((await loadSubmissions(deps.store, period)).map((s) => s.projectId));
  const deadline = submissionDeadline(periodFromKey(period), registry.settings.deadlineDays);
  const errors: unknown[] = [];
  for (const project of activeProjects(registry, period)) {
    if (submitted.has(project.id)) {
      outcome.submitted.push(project.id);
      continue;
    }
    if (project.coordinatorEmails.length === 0) continue;
    const uploadLink = await uploadLinkFor(deps, registry, project.id, period);
    const result = await sendOnce(deps, {
      slot: keys.reminderSlot(period, project.id),
      event: 'remind',
      about: { period, project: project.id },
      compose: () =>
        composeReminderMail({
          from: deps.mailFrom,
          to: project.coordinatorEmails,
          projectId: project.id,
          projectTitle: project.title,
          period,
          deadline,
          uploadLink,
        }),
    });
    const list = {
      sent: outcome.reminded,
      'already-sent': outcome.alreadyReminded,
      'in-doubt': outcome.inDoubt,
      failed: outcome.failed,
      'gave-up': outcome.gaveUp,
    }[result.status];
    list.push(project.id);
    if (result.status === 'failed') errors.push(result.error);
  }
  if (outcome.failed.length > 0) throw new UnsentMailError(outcome.failed.length, outcome, { cause: errors[0] });
  return outcome;
}
