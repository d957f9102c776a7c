/** `pmif-reports run`: what the scheduler does, in one go (also the heart of `npm start`). */
import type { Command } from 'commander';
import type { runAll } from '../../app/run';
import { linkKeysFlag, nowFlag, outboxFlag, portFlag, storeFlag, verboseFlag } from '../options';

/** The whole flow with a progress bar per stage; everything it needs loads when it runs. */
export async function runWithProgress(deps: Parameters<typeof runAll>[0]) {
  const [{ runAll }, { progressReporter }] = await Promise.all([import('../../app/run'), import('../progress')]);
  const bars = new Map<string, ReturnType<typeof progressReporter>>();
  const result = await runAll(deps, (p) => {
    let bar = bars.get(p.stage);
    if (!bar) {
      for (const other of bars.values()) other.stop();
      bar = progressReporter(p.stage);
      bars.set(p.stage, bar);
    }
    bar.update(p.done, p.total, p.label);
  });
  for (const bar of bars.values()) bar.stop();
  return result;
}

export function summariseRun(result: Awaited<ReturnType<typeof runAll>>): string {
  const count = (status: string) => result.ingested.filter((i) => i.status === status).length;
  const generated = result.generated.filter((g) => g.status === 'generated').length;
  const sent = result.delivered.reduce((a, d) => a + d.sent, 0);
  const inDoubt = result.delivered.reduce((a, d) => a + d.inDoubt, 0);
  const gaveUp = result.delivered.reduce((a, d) => a + d.gaveUp, 0);
  const attention = inDoubt + gaveUp > 0 ? ` (${inDoubt} in doubt, ${gaveUp} given up: see deliver --help)` : '';
  return [
    `Ingested: ${count('accepted')} accepted, ${count('rejected')} rejected, ${count('skipped')} already done`,
    `Reports: ${generated} period revision(s) generated, ${result.generated.length - generated} unchanged`,
    `E-mails: ${sent} sent${attention}`,
    ...result.transmitted.map((t) =>
      t.status === 'no-registry'
        ? `Art. 42 transmission ${t.cutoff}: no registry`
        : `Art. 42 transmission ${t.cutoff}: r${t.revision} ${t.status}, ${result.transmissionsDelivered.reduce((a, d) => a + d.sent, 0)} e-mail(s) sent`,
    ),
  ].join('\n');
}

/** Adds the command to `program`, inheriting its settings (as `program.command` does). */
export function runCommand(program: Command): Command {
  return program
    .command('run')
    .description('ingest everything new, generate every period past its deadline, deliver what is undelivered')
    .addOption(storeFlag('the store folder'))
    .addOption(outboxFlag())
    .addOption(nowFlag('act as if it were this date (06:00 Riga) or instant'))
    .addOption(portFlag('port of `serve`: upload links in e-mails point to http://localhost:PORT (default 8787)'))
    .addOption(linkKeysFlag())
    .addOption(verboseFlag())
    .action(
      async (opts: {
        store: string;
        outbox?: string;
        now?: string;
        port?: number;
        linkKeys?: string;
        verbose?: boolean;
      }) => {
        const { localDeps } = await import('../local-deps');
        const deps = localDeps(opts);
        const result = await runWithProgress(deps);
        process.stdout.write(`${summariseRun(result)}\n`);
      },
    );
}
