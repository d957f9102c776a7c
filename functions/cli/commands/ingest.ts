/** `pmif-reports ingest`: put workbooks where an upload would land, and ingest them as the bucket event would. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { lvPlural } from '../../core/format';
import { nameMatches } from '../../core/names';
import type { WorkbookData } from '../../intake/read-xlsx';
import { type ActionSpec, described } from '../command-spec';
import { formatIssueTable } from '../format-issues';
import { projectOption, SHARED } from '../options';

/** The project ID a submission names, to choose its inbox folder when ingesting from the command line. */
function peekProjectId(workbook: WorkbookData): string | null {
  const sheet = workbook.sheets.find((s) => nameMatches(s.name, ['Projekts', 'Project']));
  for (const row of sheet?.rows ?? []) {
    const label = row.cells[0];
    if (typeof label === 'string' && nameMatches(label, ['Projekta ID', 'Project ID'])) {
      const value = row.cells.slice(1).find((c) => typeof c === 'string' && c.trim());
      if (typeof value === 'string' && /^[a-z0-9-]+$/i.test(value.trim())) return value.trim().toLowerCase();
    }
  }
  return null;
}

interface IngestFlags {
  store: string;
  init?: boolean;
  project?: string;
  now?: string;
  verbose?: boolean;
}

export const ingestSpec: ActionSpec = {
  name: 'ingest',
  description: 'put workbooks into the store (registry/ or inbox/<project>/) and ingest them',
  arguments: [{ name: '<files...>', description: '.xlsx workbooks' }],
  options: [
    described(SHARED.store, 'the store folder (laid out like the bucket)'),
    SHARED.init,
    {
      flags: '--project <id>',
      description:
        'inbox folder for submissions, shaped like a project ID [a-z0-9-] (default: the project ID inside the workbook)',
      parse: projectOption,
    },
    SHARED.now,
    SHARED.verbose,
  ],
  exitCodes: '0 every file accepted, 1 a file refused or waiting (pending), 2 a failure.',
  action: async (files: string[], opts: IngestFlags) => {
    // Loaded when the command runs: --help and the other commands never load ingest's workbook code.
    const [{ ingestObject }, { isRegistryWorkbook }, { readXlsx }, { localDeps }] = await Promise.all([
      import('../../app/ingest'),
      import('../../app/validate-workbook'),
      import('../../intake/read-xlsx'),
      import('../local-deps'),
    ]);
    const deps = localDeps(opts, { mayCreate: Boolean(opts.init) });
    let failed = false;
    for (const file of files) {
      const bytes = new Uint8Array(await readFile(file));
      const read = readXlsx(bytes);
      const asRegistry = read.ok && isRegistryWorkbook(read.workbook.sheets.map((s) => s.name));
      const folder = opts.project ?? (read.ok ? peekProjectId(read.workbook) : null) ?? '_unknown';
      const key = asRegistry ? `registry/${basename(file)}` : `inbox/${folder}/${basename(file)}`;
      await deps.store.put(key, bytes);
      const outcome = await ingestObject(deps, key);
      if (outcome.status === 'rejected') {
        failed = true;
        process.stdout.write(
          `${file}: NORAIDĪTS / REJECTED → ${outcome.recordKey}\n${formatIssueTable(outcome.issues)}\n`,
        );
      } else if (outcome.status === 'accepted') {
        process.stdout.write(
          `${file}: PIEŅEMTS / ACCEPTED → ${outcome.recordKey} (${warningCount(outcome.warnings)})\n`,
        );
      } else if (outcome.status === 'pending') {
        failed = true;
        process.stdout.write(
          `${file}: GAIDA / PENDING → ${outcome.recordKey} (examined again when the registry changes or the period begins)\n${formatIssueTable(outcome.issues)}\n`,
        );
      } else {
        process.stdout.write(`${file}: ${outcome.reason}\n`);
      }
    }
    process.exitCode = failed ? 1 : 0;
  },
};

/** `1 brīdinājums / 1 warning`, `2 brīdinājumi / 2 warnings`, `11 brīdinājumu / 11 warnings`. */
export function warningCount(n: number): string {
  return `${n} ${lvPlural(n, 'brīdinājums', 'brīdinājumi', 'brīdinājumu')} / ${n} ${n === 1 ? 'warning' : 'warnings'}`;
}
