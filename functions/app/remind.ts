/**
 * Reminders before a deadline: coordinators of active projects with no accepted submission for the period get
 * one reminder (Latvian + English), claimed in the ledger first so a repeated run never sends it twice.
 */
import { keys } from '../core/keys';
import { periodFromKey, submissionDeadline } from '../core/period';
import { AlreadyExistsError } from '../core/ports';
import { activeProjects } from '../core/report-model';
import { composeReminderMail } from '../mail/compose-mails';
import { type Deps, jsonBytes } from './deps';
import { loadRegistryInForce, loadSubmissions } from './registry-store';

export interface RemindOutcome {
  period: string;
  reminded: string[];
  alreadyReminded: string[];
  submitted: string[];
}

export async function remindPeriod(deps: Deps, period: string): Promise<RemindOutcome> {
  const outcome: RemindOutcome = { period, reminded: [], alreadyReminded: [], submitted: [] };
  const registry = await loadRegistryInForce(deps.store);
  if (!registry) return outcome;
  const submitted = new Set((await loadSubmissions(deps.store, period)).map((s) => s.projectId));
  const deadline = submissionDeadline(periodFromKey(period), registry.settings.deadlineDays);
  for (const project of activeProjects(registry, period)) {
    if (submitted.has(project.id)) {
      outcome.submitted.push(project.id);
      continue;
    }
    if (project.coordinatorEmails.length === 0) continue;
    try {
      await deps.store.put(
        keys.reminder(period, project.id),
        jsonBytes({ period, projectId: project.id, claimedAt: deps.clock.now().toISOString() }),
        {
          ifNoneMatch: true,
        },
      );
    } catch (err) {
      if (!(err instanceof AlreadyExistsError)) throw err;
      outcome.alreadyReminded.push(project.id);
      continue;
    }
    await deps.mailer.send(
      composeReminderMail({
        from: deps.mailFrom,
        to: project.coordinatorEmails,
        projectId: project.id,
        projectTitle: project.title,
        period,
        deadline,
      }),
    );
    outcome.reminded.push(project.id);
    deps.log.info('remind.sent', { period, project: project.id });
  }
  return outcome;
}
