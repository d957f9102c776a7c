/**
 * `pmif-reports transmission --cutoff 2025-12-31 --store DIR [--out FILE.xlsx]`: the Art. 42 data transmission
 * (CPR Annex VII Tables 7 and 11) at a 30 June or 31 December cut-off, archived under `transmissions/<cutoff>/`
 * (a new revision only when a figure changed); `--out` also copies the edition of `--lang` to a file.
 */
import { InvalidArgumentError } from 'commander';
import type { Lang } from '../../core/types';
import { type ActionSpec, described } from '../command-spec';
import { langOption, SHARED } from '../options';

/** The same rule as `cutoffPeriod` (core/transmission.ts), checked here so --help loads no report code. */
function cutoffOption(value: string): string {
  if (!/^\d{4}-(?:06-30|12-31)$/.test(value))
    throw new InvalidArgumentError(
      `"${value}" nav rādītāju nosūtīšanas datums: derīgi ir tikai GGGG-06-30 un GGGG-12-31 (KNR 42. pants). / ` +
        `"${value}" is not an indicator cut-off: only YYYY-06-30 and YYYY-12-31 are (CPR Art. 42).`,
    );
  return value;
}

export const transmissionSpec: ActionSpec = {
  name: 'transmission',
  description: 'the Art. 42 data transmission at a cut-off (30 June or 31 December), archived like reports',
  options: [
    {
      flags: '--cutoff <date>',
      description: 'the cut-off: YYYY-06-30 or YYYY-12-31',
      parse: cutoffOption,
      required: true,
    },
    SHARED.store,
    { flags: '--out <file.xlsx>', description: 'also write the workbook to this file' },
    { flags: '--lang <lang>', description: 'edition for --out: lv (default) or en', parse: langOption },
    described(SHARED.now, 'generated-at time (default: the system clock)'),
    SHARED.verbose,
  ],
  action: async (opts: {
    cutoff: string;
    store: string;
    out?: string;
    lang?: Lang;
    now?: string;
    verbose?: boolean;
  }) => {
    // The workbook writer (exceljs) loads when a transmission is produced, not for --help.
    const [{ writeFile }, { produceTransmission }, { keys }, { localDeps }] = await Promise.all([
      import('node:fs/promises'),
      import('../../app/transmission'),
      import('../../core/keys'),
      import('../local-deps'),
    ]);
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
};
