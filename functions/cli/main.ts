/**
 * `pmif-reports`: the local runtime's command line. Same use cases as the Lambda handlers; a folder plays the
 * bucket, an outbox folder plays the mail server, and this CLI plays the scheduler.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { contentVersion, FolderStore } from '../adapters/folder-store';
import { deliverPeriod } from '../app/deliver';
import { jsonBytes, sha256Hex } from '../app/deps';
import { generatePeriod } from '../app/generate';
import { ingestObject } from '../app/ingest';
import { loadRegistryInForce } from '../app/registry-store';
import { runAll } from '../app/run';
import { standardIndicators } from '../core/catalogue';
import { hasErrors } from '../core/issue-codes';
import { nameMatches } from '../core/names';
import { formatPeriod, parsePeriod, rigaDate } from '../core/period';
import type { Lang, Registry, SourceRef, ValidationIssue } from '../core/types';
import { REGISTRY_SHEETS } from '../core/workbook-schema';
import { parseRegistry } from '../workbooks/read-registry';
import { parseSubmission } from '../workbooks/read-submission';
import { readXlsx } from '../workbooks/read-xlsx';
import { buildRegistryTemplate, buildSubmissionTemplate } from '../workbooks/write-template';
import { archiveCommand } from './archive-command';
import { formatIssueTable } from './format-issues';
import { localDeps, parseNow } from './local-deps';
import { progressReporter } from './progress';

function periodOption(value: string): string {
  const p = parsePeriod(value);
  if (!p) throw new InvalidArgumentError('expected a period such as 2025-Q3');
  return formatPeriod(p);
}

function langOption(value: string): Lang {
  if (value !== 'lv' && value !== 'en') throw new InvalidArgumentError('expected lv or en');
  return value;
}

function fileSource(bytes: Uint8Array, key: string): SourceRef {
  return {
    key,
    version: contentVersion(bytes),
    sha256: sha256Hex(bytes),
    bytes: bytes.byteLength,
    uploadedAt: new Date(0).toISOString(),
  };
}

function isRegistryWorkbook(sheetNames: string[]): boolean {
  const projects = REGISTRY_SHEETS[0]!;
  return sheetNames.some((n) => nameMatches(n, [projects.name.lv, projects.name.en]));
}

async function readRegistryFile(path: string): Promise<{ registry: Registry | null; issues: ValidationIssue[] }> {
  const bytes = new Uint8Array(await readFile(path));
  const read = readXlsx(bytes);
  if (!read.ok)
    return { registry: null, issues: [{ severity: 'error', code: read.problem.code, message: read.problem.message }] };
  return parseRegistry(read.workbook, fileSource(bytes, `registry/${basename(path)}`));
}

export function buildProgram(): Command {
  const program = new Command('pmif-reports')
    .description("Progress reports for AMIF/PMIF projects from coordinators' submission workbooks")
    .showHelpAfterError();

  program
    .command('validate')
    .description('dry run: check a submission or registry workbook and print every issue (exit 1 on any error)')
    .argument('<file>', 'the .xlsx workbook')
    .option('--registry <file>', 'registry workbook to validate against')
    .option('--store <dir>', 'store whose registry in force to validate against')
    .option('--project <id>', 'the inbox folder the file would be uploaded to')
    .option('--now <date>', 'today, for period checks (default: the system clock)')
    .option('--json', 'print the issues as JSON')
    .action(
      async (
        file: string,
        opts: { registry?: string; store?: string; project?: string; now?: string; json?: boolean },
      ) => {
        const bytes = new Uint8Array(await readFile(file));
        const read = readXlsx(bytes);
        let issues: ValidationIssue[];
        if (!read.ok) {
          const p = read.problem;
          issues = [{ severity: 'error', code: p.code, message: p.message, ...(p.found ? { found: p.found } : {}) }];
        } else if (isRegistryWorkbook(read.workbook.sheets.map((s) => s.name))) {
          issues = parseRegistry(read.workbook, fileSource(bytes, `registry/${basename(file)}`)).issues;
        } else {
          let registry: Registry | null = null;
          const registryIssues: ValidationIssue[] = [];
          if (opts.registry) {
            const r = await readRegistryFile(opts.registry);
            registry = r.registry;
            registryIssues.push(...r.issues.filter((i) => i.severity === 'error'));
          } else if (opts.store) registry = await loadRegistryInForce(new FolderStore(resolve(opts.store)));
          const today = rigaDate(opts.now ? parseNow(opts.now) : new Date());
          const result = parseSubmission(
            read.workbook,
            fileSource(bytes, `inbox/${opts.project ?? '_'}/${basename(file)}`),
            {
              registry,
              folder: opts.project ?? null,
              today,
            },
          );
          issues = [...registryIssues, ...result.issues];
        }
        process.stdout.write(opts.json ? `${JSON.stringify(issues, null, 2)}\n` : `${formatIssueTable(issues)}\n`);
        process.exitCode = hasErrors(issues) ? 1 : 0;
      },
    );

  program
    .command('ingest')
    .description('put workbooks into the store (registry/ or inbox/<project>/) and ingest them')
    .argument('<files...>', '.xlsx workbooks')
    .requiredOption('--store <dir>', 'the store folder (laid out like the bucket)')
    .option('--project <id>', 'inbox folder for submissions (default: the project ID inside the workbook)')
    .option('--now <date>', 'the time to act at')
    .option('--verbose', 'JSON logs on stderr')
    .action(async (files: string[], opts: { store: string; project?: string; now?: string; verbose?: boolean }) => {
      const deps = localDeps(opts);
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
            `${file}: PIEŅEMTS / ACCEPTED → ${outcome.recordKey} (${outcome.warnings} brīdinājumi / warnings)\n`,
          );
        } else {
          process.stdout.write(`${file}: ${outcome.reason}\n`);
        }
      }
      process.exitCode = failed ? 1 : 0;
    });

  program
    .command('template')
    .description('write a blank registry or submission workbook with drop-down lists and instructions')
    .argument('<kind>', 'registry | submission')
    .requiredOption('--out <file>', 'where to write the .xlsx')
    .option('--project <id>', 'pre-fill the project ID (submission)')
    .option('--period <period>', 'pre-fill the period (submission)', periodOption)
    .action(async (kind: string, opts: { out: string; project?: string; period?: string }) => {
      let bytes: Uint8Array;
      if (kind === 'registry') bytes = await buildRegistryTemplate();
      else if (kind === 'submission') {
        bytes = await buildSubmissionTemplate({
          projectId: opts.project,
          period: opts.period,
          catalogue: standardIndicators(),
        });
      } else throw new InvalidArgumentError('kind must be registry or submission');
      await mkdir(dirname(resolve(opts.out)), { recursive: true });
      await writeFile(opts.out, bytes);
      process.stdout.write(`${opts.out}\n`);
    });

  program
    .command('generate')
    .description("generate a period's project and programme reports (a new revision only when sources changed)")
    .requiredOption('--period <period>', 'e.g. 2025-Q3', periodOption)
    .requiredOption('--store <dir>', 'the store folder')
    .option('--lang <lang>', 'report language: lv (default) or en', langOption)
    .option('--now <date>', 'generated-at time (default: the system clock)')
    .option('--verbose', 'JSON logs on stderr')
    .action(async (opts: { period: string; store: string; lang?: Lang; now?: string; verbose?: boolean }) => {
      const deps = localDeps(opts);
      const bar = progressReporter(`generate ${opts.period}`);
      const outcome = await generatePeriod(deps, {
        period: opts.period,
        lang: opts.lang,
        onProgress: (d, t) => bar.update(d, t),
      });
      bar.stop();
      process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      process.exitCode = outcome.status === 'no-registry' ? 1 : 0;
    });

  program
    .command('deliver')
    .description('e-mail the latest revision of a period to the managers (once per recipient and revision)')
    .requiredOption('--period <period>', 'e.g. 2025-Q3', periodOption)
    .requiredOption('--store <dir>', 'the store folder')
    .option('--outbox <dir>', 'where .eml files are written (default: outbox/ beside the store)')
    .option('--now <date>', 'the time to act at')
    .option(
      '--resend-in-doubt',
      'after checking they did not get it: send once more to recipients in doubt or given up',
    )
    .option('--confirm-in-doubt', 'after checking they got it: record the recipients in doubt as sent')
    .option('--verbose', 'JSON logs on stderr')
    .action(
      async (opts: {
        period: string;
        store: string;
        outbox?: string;
        now?: string;
        resendInDoubt?: boolean;
        confirmInDoubt?: boolean;
        verbose?: boolean;
      }) => {
        if (opts.resendInDoubt && opts.confirmInDoubt)
          throw new InvalidArgumentError('--resend-in-doubt and --confirm-in-doubt exclude each other');
        const deps = localDeps(opts);
        const resolve = opts.resendInDoubt ? 'resend' : opts.confirmInDoubt ? 'confirm' : undefined;
        const outcome = await deliverPeriod(deps, opts.period, resolve ? { resolve } : {});
        process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
        // In doubt or given up: a person must look (see the ledger's comment in app/ledger.ts).
        process.exitCode = outcome.inDoubt + outcome.gaveUp > 0 ? 1 : 0;
      },
    );

  program
    .command('run')
    .description('ingest everything new, generate every period past its deadline, deliver what is undelivered')
    .requiredOption('--store <dir>', 'the store folder')
    .option('--outbox <dir>', 'where .eml files are written (default: outbox/ beside the store)')
    .option('--now <date>', 'act as if it were this date (06:00 Riga) or instant')
    .option('--verbose', 'JSON logs on stderr')
    .action(async (opts: { store: string; outbox?: string; now?: string; verbose?: boolean }) => {
      const deps = localDeps(opts);
      const result = await runWithProgress(deps);
      process.stdout.write(`${summariseRun(result)}\n`);
    });

  program.addCommand(archiveCommand());

  return program;
}

export async function runWithProgress(deps: Parameters<typeof runAll>[0]) {
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
  ].join('\n');
}

/** The project ID a submission names, to choose its inbox folder when ingesting from the command line. */
function peekProjectId(workbook: import('../workbooks/read-xlsx').WorkbookData): string | null {
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

const isMain = process.argv[1] && /(?:main\.ts|pmif-reports(?:\.js)?)$/.test(process.argv[1]);
if (isMain) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`pmif-reports: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 2;
    });
}

export { jsonBytes };
