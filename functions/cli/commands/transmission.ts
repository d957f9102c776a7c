/**
 * `pmif-reports transmission --cutoff 2025-12-31 --store DIR [--out FILE.xlsx]`: the Art. 42 data transmission
 * (CPR Annex VII Tables 7 and 11) at a 30 June or 31 December cut-off, archived under `transmissions/<cutoff>/`
 * (a new revision only when a figure changed); `--out` also copies the edition of `--lang` to a file.
 */
import { writeFile } from 'node:fs/promises';
import { type Command, InvalidArgumentError } from 'commander';
import { produceTransmission } from '../../app/transmission';
import { keys } from '../../core/keys';
import { CutoffError, cutoffPeriod } from '../../core/transmission';
import type { Lang } from '../../core/types';
import { localDeps } from '../local-deps';
import { langOption, nowFlag, storeFlag, verboseFlag } from '../options';

function cutoffOption(value: string): string {
  try {
    cutoffPeriod(value);
  } catch (err) {
    if (err instanceof CutoffError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
}

/** Adds the command to `program`, inheriting its settings (as `program.command` does). */
export function transmissionCommand(program: Command): Command {
  return program
    .command('transmission')
    .description('the Art. 42 data transmission at a cut-off (30 June or 31 December), archived like reports')
    .requiredOption('--cutoff <date>', 'the cut-off: YYYY-06-30 or YYYY-12-31', cutoffOption)
    .addOption(storeFlag('the store folder'))
    .option('--out <file.xlsx>', 'also write the workbook to this file')
    .option('--lang <lang>', 'edition for --out: lv (default) or en', langOption)
    .addOption(nowFlag('generated-at time (default: the system clock)'))
    .addOption(verboseFlag())
    .action(
      async (opts: { cutoff: string; store: string; out?: string; lang?: Lang; now?: string; verbose?: boolean }) => {
        const deps = localDeps(opts);
        const outcome = await produceTransmission(deps, { cutoff: opts.cutoff });
        if (outcome.status !== 'no-registry' && opts.out) {
          const key = keys.transmission(opts.cutoff, outcome.revision, opts.lang ?? 'lv');
          const obj = await deps.store.get(key);
          if (obj) await writeFile(opts.out, obj.bytes);
        }
        process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
        process.exitCode = outcome.status === 'no-registry' ? 1 : 0;
      },
    );
}
