/** `pmif-reports run`: what the scheduler does, in one go (also the heart of `npm start`). */
import type { RunOptions, RunProgress, RunResult, runAll } from '../../app/run';
import { BACKFILL_LIMIT } from '../../core/calendar';
import { type ActionSpec, described } from '../command-spec';
import { SHARED } from '../options';

/**
 * The whole flow with a progress bar per stage; everything it needs loads when it runs. Stages may overlap (each
 * period is delivered as soon as it is generated): a later stage's bar replaces the current one only once the
 * current one is full, showing the later stage's latest figures.
 */
export async function runWithProgress(deps: Parameters<typeof runAll>[0], options: RunOptions = {}) {
  const [{ runAll }, { progressReporter }] = await Promise.all([import('../../app/run'), import('../progress')]);
  const bars = new Map<string, ReturnType<typeof progressReporter>>();
  let current: { stage: string; full: boolean } | undefined;
  const held = new Map<string, RunProgress>();
  const show = (p: RunProgress) => {
    let bar = bars.get(p.stage);
    if (!bar) {
      for (const other of bars.values()) other.stop();
      bar = progressReporter(p.stage);
      bars.set(p.stage, bar);
    }
    current = { stage: p.stage, full: p.done >= p.total };
    bar.update(p.done, p.total, p.label);
  };
  const result = await runAll(
    deps,
    (p) => {
      if (current && current.stage !== p.stage && !current.full && !bars.has(p.stage)) {
        held.set(p.stage, p);
        return;
      }
      show(p);
      if (!current?.full) return;
      for (const [stage, waiting] of held) {
        held.delete(stage);
        if (!bars.has(stage)) show(waiting);
      }
    },
    options,
  );
  for (const waiting of held.values()) show(waiting);
  for (const bar of bars.values()) bar.stop();
  return result;
}

/** Mails of a run by what became of them, receipts, reminders and transmissions included. */
export function mailTally(result: RunResult) {
  const tally = { sent: 0, inDoubt: [] as string[], gaveUp: [] as string[] };
  for (const i of result.ingested) {
    if (i.status === 'skipped') continue;
    if (i.mail === 'sent') tally.sent++;
    if (i.mail === 'in-doubt') tally.inDoubt.push(`receipt for ${i.key}`);
    if (i.mail === 'gave-up') tally.gaveUp.push(`receipt for ${i.key}`);
  }
  for (const r of result.reminded) {
    tally.sent += r.reminded.length;
    tally.inDoubt.push(...r.inDoubt.map((p) => `reminder ${r.period} ${p}`));
    tally.gaveUp.push(...r.gaveUp.map((p) => `reminder ${r.period} ${p}`));
  }
  const batches = [
    ...result.delivered.map((d) => ({ ...d, what: `report mail(s) of ${d.period} r${d.revision}` })),
    ...result.delivered.flatMap((d) =>
      d.auditors ? [{ ...d.auditors, what: `auditors' revision mail(s) of ${d.period} r${d.revision}` }] : [],
    ),
    ...result.transmissionsDelivered.map((d) => ({ ...d, what: `transmission mail(s) of ${d.cutoff} r${d.revision}` })),
  ];
  for (const d of batches) {
    tally.sent += d.sent;
    if (d.inDoubt > 0) tally.inDoubt.push(`${d.inDoubt} ${d.what}`);
    if (d.gaveUp > 0) tally.gaveUp.push(`${d.gaveUp} ${d.what}`);
  }
  return tally;
}

/**
 * Exit code of `run`: 2 when something failed (named in the summary), 3 when a mail is in doubt, else 0. A rejected
 * or pending upload is an outcome, not a failure: a run that answered every upload exits 0.
 */
export function runExitCode(result: RunResult): number {
  const tally = mailTally(result);
  if (result.failures.length > 0 || tally.gaveUp.length > 0) return 2;
  return tally.inDoubt.length > 0 ? 3 : 0;
}

export function summariseRun(result: RunResult): string {
  const count = (status: string) => result.ingested.filter((i) => i.status === status).length;
  const generated = result.generated.filter((g) => g.status === 'generated').length;
  const tally = mailTally(result);
  const lines = [
    `Ingested: ${count('accepted')} accepted, ${count('rejected')} rejected (answered), ${count('pending')} pending, ${count('skipped')} already done`,
    `Reports: ${generated} period revision(s) generated, ${result.generated.length - generated} unchanged`,
    ...result.transmitted.map((t) =>
      t.status === 'no-registry'
        ? `Art. 42 transmission ${t.cutoff}: no registry`
        : `Art. 42 transmission ${t.cutoff}: r${t.revision} ${t.status}`,
    ),
    ...result.transmissionsHeld.map(
      (t) =>
        `Art. 42 transmission ${t.cutoff}: held with the never-reported periods ${t.held[0]} … ${t.held.at(-1)} (nothing written or mailed)`,
    ),
    `E-mails: ${tally.sent} written (receipts, reminders, reports, auditors' revision links and transmissions)`,
  ];
  for (const what of tally.inDoubt)
    lines.push(`IN DOUBT: ${what}: check whether it arrived, then deliver --confirm-in-doubt or --resend-in-doubt`);
  for (const what of tally.gaveUp) lines.push(`GAVE UP: ${what}: fix the cause, then deliver --resend-in-doubt`);
  for (const f of result.failures) lines.push(`FAILED: ${f.key}: ${f.what}. To do: ${f.todo}`);
  return lines.join('\n');
}

export const runSpec: ActionSpec = {
  name: 'run',
  description: 'ingest everything new, generate every period past its deadline, deliver what is undelivered',
  options: [
    SHARED.store,
    SHARED.init,
    SHARED.outbox,
    described(SHARED.now, 'act as if it were this date (06:00 Riga) or instant'),
    described(SHARED.port, 'port of `serve`: upload links in e-mails point to http://localhost:PORT (default 8787)'),
    SHARED.linkKeys,
    {
      flags: '--backfill',
      description: `issue every due period never reported, even more than ${BACKFILL_LIMIT} at once (a first deployment)`,
    },
    SHARED.verbose,
  ],
  exitCodes: '0 done (every upload answered), 2 something failed (named), 3 a mail in doubt.',
  action: async (opts: {
    store: string;
    init?: boolean;
    outbox?: string;
    now?: string;
    port?: number;
    linkKeys?: string;
    backfill?: boolean;
    verbose?: boolean;
  }) => {
    const { localDeps } = await import('../local-deps');
    const deps = localDeps(opts, { mayCreate: Boolean(opts.init) });
    const result = await runWithProgress(deps, { backfill: Boolean(opts.backfill) });
    process.stdout.write(`${summariseRun(result)}\n`);
    process.exitCode = runExitCode(result);
  },
};
