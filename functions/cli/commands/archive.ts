/**
 * `pmif-reports archive list|get|verify|hold`: the auditor's archive, on a store folder (`--store DIR`) or on the
 * two S3 buckets (`--bucket NAME --archive-bucket NAME`, credentials from the default AWS chain).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { type Command, InvalidArgumentError } from 'commander';
import type { ArchiveDeps } from '../../app/archive/shared';
import type { VerifyReport } from '../../app/archive/verify';
import { ARCHIVE_PREFIXES } from '../../core/keys';
import { MAX_PRESIGN_SECONDS, silentLogger } from '../../core/ports';
import type { Lang } from '../../core/types';
import { type ActionSpec, buildCommand, described, type GroupSpec, type OptionSpec, optional } from '../command-spec';
import { langOption, openStoreFolder, periodOption, SHARED } from '../options';

const CUTOFF = /^\d{4}-(?:06-30|12-31)$/;

/** A report period (`2025-Q3`), or an Art. 42 cut-off (`2025-12-31`) for the transmission archived at it. */
function periodOrCutoff(value: string): string {
  return CUTOFF.test(value) ? value : periodOption(value);
}

/** What tests (or another host) inject; the command line itself passes none of these. */
export interface ArchiveCommandOptions {
  /** The S3 client for `--bucket`; default: a client with the AWS default credential chain and region. */
  s3Client?: S3Client;
  /** Whether the buckets keep versions (default true, as the stack's do; a test server without versioning: false). */
  versioned?: boolean;
  /** Where output goes (default: stdout). */
  write?: (text: string) => void;
  /** The time download links are signed at (default: the system clock). */
  now?: () => Date;
}

interface StorageFlags {
  store?: string;
  bucket?: string;
  archiveBucket?: string;
}

/** `3600`, `90s`, `30m`, `12h`, `7d` → seconds; at most 7 days (the SigV4 limit). */
export function parseExpiry(value: string): number {
  const m = /^(\d+)\s*([smhd]?)$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 3600, 30m, 12h or 7d');
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2]!.toLowerCase() as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(m[1]) * unit;
  if (seconds < 1 || seconds > MAX_PRESIGN_SECONDS) throw new InvalidArgumentError('expected 1 s to 7 days');
  return seconds;
}

/** `3600` → `1 h`; `90` → `1 min 30 s`. */
export function formatDuration(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  let rest = seconds;
  for (const [size, name] of units) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    }
  }
  return parts.join(' ') || '0 s';
}

/** Where the archive is: every subcommand ends its options with these. */
const STORAGE: readonly OptionSpec[] = [
  optional(SHARED.store, 'the store folder (local runtime)'),
  { flags: '--bucket <name>', description: 'the S3 data bucket (uploads, records)' },
  { flags: '--archive-bucket <name>', description: 'the S3 archive bucket (reports/, Object Lock)' },
];

/**
 * The archive's storage from the flags: a folder, or the two buckets routed as the stack lays them out. The
 * adapters load here, when a subcommand runs: the AWS SDK only for `--bucket`, never for `--help`.
 */
async function openStorage(
  flags: StorageFlags,
  options: ArchiveCommandOptions,
): Promise<ArchiveDeps & { where: string }> {
  if (flags.store && !flags.bucket && !flags.archiveBucket) {
    const { FolderStore } = await import('../../adapters/folder-store');
    const store = new FolderStore(openStoreFolder(flags.store));
    return { store, control: store, log: silentLogger, where: resolve(flags.store) };
  }
  if (!flags.store && flags.bucket && flags.archiveBucket) {
    const [{ S3Client }, { RoutedStore }, { S3ArchiveControl }, { S3Store }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('../../adapters/routed-store'),
      import('../../adapters/s3-archive-control'),
      import('../../adapters/s3-store'),
    ]);
    const client = options.s3Client ?? new S3Client({});
    const versioned = options.versioned ?? true;
    const data = new S3Store({ client, bucket: flags.bucket, versioned });
    const archive = new S3Store({ client, bucket: flags.archiveBucket, versioned });
    const store = new RoutedStore(
      data,
      ARCHIVE_PREFIXES.map((prefix) => ({ prefix, store: archive })),
    );
    const bucketFor = (key: string) => (store.storeFor(key) === archive ? archive.bucket : data.bucket);
    const control = new S3ArchiveControl({ client, bucketFor, lockedPrefixes: ARCHIVE_PREFIXES, versioned });
    return { store, control, log: silentLogger, where: `s3://${flags.bucket} + s3://${flags.archiveBucket}` };
  }
  throw new InvalidArgumentError('give either --store DIR, or --bucket NAME and --archive-bucket NAME');
}

/** A relative `/` path inside `dir`, refusing anything that would land outside it. */
function inside(dir: string, relative: string): string {
  const root = resolve(dir);
  const path = resolve(root, ...relative.split('/'));
  if (!path.startsWith(root + sep)) throw new Error(`refusing to write outside ${root}: ${relative}`);
  return path;
}

/** The lines `archive verify` prints for one revision. */
export function formatVerifyReport(report: VerifyReport, options: { quiet?: boolean } = {}): string {
  const { archived, running } = report.codeVersion;
  const by = report.code
    ? ` (re-rendered with its archived code, sha256 ${report.code.slice(0, 12)})`
    : archived === running
      ? ''
      : ` (this verifier: ${running})`;
  const lines = [
    `${report.period} r${report.revision} — generated ${report.generatedAt ?? '?'}, code ${archived ?? '?'}${by}`,
  ];
  for (const c of report.checks) {
    if (options.quiet && c.ok) continue;
    lines.push(`  ${c.ok ? 'ok      ' : 'MISMATCH'} ${c.subject.padEnd(8)} ${c.key}: ${c.findings.join(' · ')}`);
  }
  const failed = report.checks.filter((c) => !c.ok);
  const head = `${report.period} r${report.revision}`;
  if (report.status === 'code-not-archived')
    lines.push(
      `${head}: CODE NOT ARCHIVED (${report.checks.length} checks held; every hash matches the manifest, but the code ` +
        'that made this revision is not in the archive, so nothing was re-derived or re-rendered)',
    );
  else
    lines.push(
      failed.length === 0
        ? `${head}: VERIFIED (${report.checks.length} checks)`
        : `${head}: FAILED ${failed.length} of ${report.checks.length} checks: ${[...new Set(failed.map((c) => c.key))].join(', ')}`,
    );
  return lines.join('\n');
}

/** `archive verify`'s exit code: 1 if any revision failed, else 4 if any could not be re-rendered, else 0. */
export function verifyExitCode(reports: readonly Pick<VerifyReport, 'status'>[]): number {
  if (reports.some((r) => r.status === 'mismatch')) return 1;
  return reports.some((r) => r.status === 'code-not-archived') ? 4 : 0;
}

/** The `archive` command group, declared; what tests inject goes in `options`. */
export function archiveSpec(options: ArchiveCommandOptions = {}): GroupSpec {
  const io: ArchiveIo = {
    options,
    write: options.write ?? ((text: string) => void process.stdout.write(text)),
    now: options.now ?? (() => new Date()),
  };
  return {
    name: 'archive',
    description:
      'the auditor archive: list revisions, get a report with its sources, verify by re-rendering, place legal holds',
    commands: [listSpec(io), getSpec(io), verifySpec(io), holdSpec(io)],
  };
}

/** The `archive` command group on its own. */
export function archiveCommand(options: ArchiveCommandOptions = {}): Command {
  return buildCommand(archiveSpec(options));
}

/** What every archive subcommand writes with and opens storage with. */
interface ArchiveIo {
  options: ArchiveCommandOptions;
  write: (text: string) => void;
  now: () => Date;
}

/** `archive list`: archived revisions with their hashes. */
function listSpec(io: ArchiveIo): ActionSpec {
  const { options, write } = io;
  return {
    name: 'list',
    description: 'archived revisions: dates, code version, manifest SHA-256, report files with their hashes',
    options: [
      optional(SHARED.period, 'only this period'),
      { flags: '--project <id>', description: 'only this project (or "programme")' },
      { flags: '--transmissions', description: 'the Art. 42 transmissions instead (transmissions/<cutoff>/r<n>/)' },
      { flags: '--cutoff <date>', description: 'only the transmissions at this cut-off, e.g. 2025-12-31' },
      SHARED.json,
      ...STORAGE,
    ],
    action: async (
      opts: StorageFlags & {
        period?: string;
        project?: string;
        transmissions?: boolean;
        cutoff?: string;
        json?: boolean;
      },
    ) => {
      const deps = await openStorage(opts, options);
      const onlyTransmissions = opts.transmissions || opts.cutoff !== undefined;
      const both = !onlyTransmissions && opts.period === undefined && opts.project === undefined;
      if (onlyTransmissions || both) {
        const { listTransmissions } = await import('../../app/archive/transmissions');
        const rows = await listTransmissions(deps, { cutoff: opts.cutoff });
        if (onlyTransmissions && opts.json) {
          write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (!opts.json)
          for (const r of rows) {
            write(
              `transmission ${r.cutoff} r${r.revision}  ${r.status}  generated ${r.generatedAt ?? '?'}  ${r.codeVersion ?? '?'}  ` +
                `${r.sources} sources  manifest sha256 ${r.manifestSha256 ?? '—'}\n`,
            );
            for (const o of r.outputs) write(`  ${o.key}  ${o.bytes} B  sha256 ${o.sha256}\n`);
          }
        if (onlyTransmissions) {
          if (rows.length === 0) write(`no transmission archived in ${deps.where}\n`);
          return;
        }
      }
      const { listArchive } = await import('../../app/archive/list');
      const rows = await listArchive(deps, { period: opts.period, project: opts.project });
      if (opts.json) {
        write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (rows.length === 0) write(`nothing archived${opts.period ? ` for ${opts.period}` : ''} in ${deps.where}\n`);
      for (const r of rows) {
        write(
          `${r.period} r${r.revision}  ${r.status}  generated ${r.generatedAt ?? '?'}  ${r.codeVersion ?? '?'}  ` +
            `${r.sources} sources  manifest sha256 ${r.manifestSha256 ?? '—'}\n`,
        );
        for (const o of r.outputs) write(`  ${o.key}  ${o.bytes} B  sha256 ${o.sha256}\n`);
      }
    },
  };
}

/** `archive get`: a report's files and sources, or download links. */
function getSpec(io: ArchiveIo): ActionSpec {
  const { options, write, now } = io;
  return {
    name: 'get',
    description: "one report's files, its manifest and plan, and the source workbooks it was built from",
    arguments: [
      {
        name: '<period>',
        description: 'e.g. 2025-Q3, or a cut-off such as 2025-12-31 for its transmission',
        parse: periodOrCutoff,
      },
      { name: '<report>', description: 'a project ID, or "programme" (or "transmission" with a cut-off)' },
    ],
    options: [
      described(SHARED.revision, 'the revision (default: the latest)'),
      {
        flags: '--edition <lang>',
        description: 'only this edition: lv (<id>.pdf) or en (<id>.en.pdf); default: both',
        parse: langOption,
      },
      { flags: '--out <dir>', description: 'write the files here' },
      { flags: '--url', description: 'print presigned download links instead (S3 only)' },
      {
        flags: '--expires <duration>',
        description: 'how long links stay valid: e.g. 3600, 30m, 12h, up to 7d',
        default: { value: 3600, shown: '1h' },
        parse: parseExpiry,
      },
      ...STORAGE,
    ],
    action: async (
      period: string,
      report: string,
      opts: StorageFlags & { revision?: number; edition?: Lang; out?: string; url?: boolean; expires: number },
    ) => {
      const deps = await openStorage(opts, options);
      const { getArchive, presignArchive } = await import('../../app/archive/get');
      const query = { period, subject: report, revision: opts.revision, edition: opts.edition };
      if (CUTOFF.test(period)) {
        if (report !== 'transmission')
          throw new InvalidArgumentError(`a cut-off names a transmission: archive get ${period} transmission`);
        if (!opts.out) throw new InvalidArgumentError('give --out DIR');
        const { getTransmission } = await import('../../app/archive/transmissions');
        const fetched = await getTransmission(deps, { cutoff: period, revision: opts.revision });
        let bad = 0;
        for (const item of fetched.items) {
          const path = inside(opts.out, item.path);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, item.bytes);
          if (item.hashOk === false) bad++;
          const verdict = item.hashOk === null ? '' : item.hashOk ? '  hash ok' : '  MISMATCH with the manifest';
          write(
            `${item.role.padEnd(8)} ${join(opts.out, ...item.path.split('/'))}  sha256 ${item.actualSha256}${verdict}\n`,
          );
        }
        write(`transmission ${period} r${fetched.revision}: ${fetched.items.length} files written to ${opts.out}\n`);
        process.exitCode = bad > 0 ? 1 : 0;
        return;
      }
      if (opts.url) {
        const signedAt = now();
        const links = await presignArchive(deps, query, { expiresInSeconds: opts.expires, now: signedAt });
        write(
          `${period} r${links.revision} ${report}: ${links.items.length} links, valid for ${formatDuration(opts.expires)} ` +
            `until ${links.expiresAt} (or until the signing credentials expire, if sooner)\n`,
        );
        for (const item of links.items) write(`${item.role.padEnd(8)} ${item.path}\n  ${item.url}\n`);
        for (const key of links.mismatched) write(`MISMATCH ${key}: its SHA-256 is not the manifest's\n`);
        process.exitCode = links.mismatched.length > 0 ? 1 : 0;
        return;
      }
      if (!opts.out) throw new InvalidArgumentError('give --out DIR (or --url for download links)');
      const fetched = await getArchive(deps, query);
      let mismatches = 0;
      for (const item of fetched.items) {
        const path = inside(opts.out, item.path);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, item.bytes);
        const verdict = item.hashOk === null ? '' : item.hashOk ? '  hash ok' : '  MISMATCH with the manifest';
        if (item.hashOk === false) mismatches++;
        write(
          `${item.role.padEnd(8)} ${join(opts.out, ...item.path.split('/'))}  sha256 ${item.actualSha256}${verdict}\n`,
        );
      }
      write(`${period} r${fetched.revision} ${report}: ${fetched.items.length} files written to ${opts.out}\n`);
      process.exitCode = mismatches > 0 ? 1 : 0;
    },
  };
}

/** `archive verify`: re-derive, re-render and compare, naming every mismatch. */
function verifySpec(io: ArchiveIo): ActionSpec {
  const { options, write } = io;
  return {
    name: 'verify',
    description:
      'read every input from the archive and check its hash, re-derive each record and re-render every report ' +
      "with the revision's own archived code, rebuild the manifest; exit 1 on any mismatch (naming the file), " +
      '4 when a revision made before the archive kept its code could only be hash-checked ("code not archived")',
    arguments: [
      { name: '[periods...]', description: 'periods such as 2025-Q3, or cut-offs such as 2025-12-31 (transmissions)' },
    ],
    options: [
      { flags: '--all', description: 'every archived period' },
      described(SHARED.revision, 'only this revision (default: every complete revision)'),
      {
        flags: '--manifest-sha256 <hex>',
        description: "the manifest's SHA-256 as noted elsewhere (e.g. from archive list)",
      },
      { flags: '--quiet', description: 'print only mismatches and one line per revision' },
      ...STORAGE,
    ],
    action: async (
      periodArgs: string[],
      opts: StorageFlags & { all?: boolean; revision?: number; manifestSha256?: string; quiet?: boolean },
    ) => {
      const deps = await openStorage(opts, options);
      const { archivedPeriods } = await import('../../app/archive/list');
      const { createVerifySession, verifyPeriod } = await import('../../app/archive/verify');
      const { archivedCutoffs, verifyTransmission } = await import('../../app/archive/transmissions');
      const periods = opts.all
        ? [...(await archivedPeriods(deps)), ...(await archivedCutoffs(deps))]
        : periodArgs.map(periodOrCutoff);
      if (periods.length === 0)
        throw new InvalidArgumentError(
          opts.all ? `nothing archived in ${deps.where}` : 'give one or more periods, or --all',
        );
      if ((opts.revision !== undefined || opts.manifestSha256 !== undefined) && periods.length !== 1)
        throw new InvalidArgumentError('--revision and --manifest-sha256 apply to one period');
      const session = createVerifySession();
      const all: VerifyReport[] = [];
      for (const period of periods) {
        const reports = CUTOFF.test(period)
          ? [await verifyTransmission(deps, period, { revision: opts.revision })]
          : await verifyPeriod(deps, period, {
              revision: opts.revision,
              session,
              expectManifestSha256: opts.manifestSha256,
            });
        for (const report of reports) {
          write(`${formatVerifyReport(report, { quiet: opts.quiet })}\n`);
          all.push(report);
        }
      }
      const count = (status: VerifyReport['status']) => all.filter((r) => r.status === status).length;
      if (all.length > 1) {
        const notArchived = count('code-not-archived');
        write(
          `${count('verified')} revision(s) verified, ${count('mismatch')} failed` +
            (notArchived ? `, ${notArchived} with the code not archived (hash-checked only)` : '') +
            '\n',
        );
      }
      process.exitCode = verifyExitCode(all);
    },
  };
}

/** `archive hold`: a legal hold on every object of a period's revisions. */
function holdSpec(io: ArchiveIo): ActionSpec {
  const { options, write } = io;
  return {
    name: 'hold',
    description: "place a legal hold on every object of a period's revisions (S3: PutObjectLegalHold ON)",
    arguments: [{ name: '<period>', description: 'e.g. 2025-Q3', parse: periodOption }],
    options: [described(SHARED.revision, 'only this revision (default: every revision of the period)'), ...STORAGE],
    action: async (period: string, opts: StorageFlags & { revision?: number }) => {
      const deps = await openStorage(opts, options);
      const { holdPeriod } = await import('../../app/archive/hold');
      const outcome = await holdPeriod(deps, period, { revision: opts.revision });
      for (const h of outcome.held) write(`held      ${h.key}  (version ${h.version})\n`);
      for (const n of outcome.notHeld) write(`not held  ${n.key}  (version ${n.version}): ${n.reason}\n`);
      write(
        `${period} r${outcome.revisions.join(', r')}: ${outcome.held.length} objects under legal hold, ` +
          `${outcome.notHeld.length} not holdable here\n`,
      );
    },
  };
}
