/** Reminders through the mail ledger: once per project and period, retried after a definite failure, never twice. */
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/adapters/system-clock';
import { jsonBytes } from '../../functions/app/deps';
import { UnsentMailError } from '../../functions/app/ledger';
import { type RemindOutcome, remindPeriod } from '../../functions/app/remind';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { type Registry, SUBMISSION_SCHEMA_VERSION } from '../../functions/core/types';
import { CountingMailer, type FaultRule, injectFaults, MemoryStore } from '../helpers/faults';
import { testRegistry } from '../helpers/workbooks';

const PERIOD = '2025-Q3';

/** Two active projects (one has submitted), one that ended before the period. */
function registry(): Registry {
  const base = testRegistry();
  const project = base.projects[0]!;
  return {
    ...base,
    projects: [
      project,
      { ...project, id: 'legal-aid', title: 'Juridiskā palīdzība', coordinatorEmails: ['jurists@example.lv'] },
      { ...project, id: 'ended', start: '2020-01-01', end: '2022-12-31', coordinatorEmails: ['old@example.lv'] },
    ],
  };
}

async function setup(rules: FaultRule[] = []) {
  const store = new MemoryStore();
  await store.put(keys.registryVersion('reg1'), jsonBytes(registry()));
  // remind reads only which projects have an accepted submission for the period.
  await store.put(
    keys.submission(PERIOD, 'legal-aid', 'v1'),
    jsonBytes({ schemaVersion: SUBMISSION_SCHEMA_VERSION, projectId: 'legal-aid', period: PERIOD }),
  );
  const mailer = new CountingMailer();
  const faults = injectFaults({ store, mailer }, rules);
  const deps = {
    store: faults.store,
    mailer: faults.mailer,
    clock: fixedClock(new Date('2025-10-12T04:00:00Z')),
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  };
  return { store, mailer, deps };
}

describe('remindPeriod', () => {
  it('reminds the coordinators of active projects without a submission, once', async () => {
    const { mailer, deps } = await setup();
    expect(await remindPeriod(deps, PERIOD)).toEqual({
      period: PERIOD,
      reminded: ['lv-courses'],
      alreadyReminded: [],
      submitted: ['legal-aid'],
      inDoubt: [],
      failed: [],
      gaveUp: [],
    });
    expect(mailer.sent.map((m) => [m.to, m.headers?.['X-PMIF-Delivery']])).toEqual([
      [['koordinators@example.lv'], `${PERIOD}/reminders/lv-courses`],
    ]);
    expect(mailer.sent[0]!.subject).toMatch(/atgādinājums.*2025-10-15.*reminder/);
    expect(await remindPeriod(deps, PERIOD)).toMatchObject({ reminded: [], alreadyReminded: ['lv-courses'] });
    expect(mailer.sent).toHaveLength(1);
  });

  it('fails the run after a refused reminder, and the next run sends it', async () => {
    const { store, mailer, deps } = await setup([{ op: 'send', effect: 'fail' }]);
    const error = await remindPeriod(deps, PERIOD).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UnsentMailError);
    expect((error as UnsentMailError).outcome as RemindOutcome).toMatchObject({ failed: ['lv-courses'], reminded: [] });
    expect(mailer.sent).toHaveLength(0);
    expect(await remindPeriod(deps, PERIOD)).toMatchObject({ reminded: ['lv-courses'], failed: [] });
    expect(mailer.sent).toHaveLength(1);
    expect(store.objects.has(`${keys.reminderSlot(PERIOD, 'lv-courses')}.attempt-2.json`)).toBe(true);
  });

  it('never repeats a reminder whose send may have gone out', async () => {
    const { mailer, deps } = await setup([{ op: 'send', effect: 'fail', when: 'after' }]);
    expect(await remindPeriod(deps, PERIOD)).toMatchObject({ inDoubt: ['lv-courses'], reminded: [] });
    expect(await remindPeriod(deps, PERIOD)).toMatchObject({ inDoubt: ['lv-courses'], reminded: [] });
    expect(mailer.sent).toHaveLength(1);
  });
});
