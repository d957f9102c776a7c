/**
 * A small programme cut from the sample data (two of its projects, a few quarters), as workbooks with their upload
 * times, and the plumbing to run the local runtime on it: a folder bucket, an outbox, a snapshot of the store.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import type { LedgerAttempt } from '../../functions/app/ledger';
import { parseLedgerKey } from '../../functions/core/keys';
import type { LogFields, Logger } from '../../functions/core/ports';
import {
  buildSampleData,
  type SampleData,
  type SampleRegistry,
  type SubmissionContent,
} from '../../sample/sample-projects';
import { sampleRegistryBytes, sampleSubmissionBytes } from '../../sample/write-sample';

export const SMALL_PROJECTS = ['pmlp-reception', 'one-stop-shop'];

/** One object as a person puts it into the bucket. */
export interface Upload {
  key: string;
  bytes: Uint8Array;
  uploadedAt: string;
}

export interface SmallProgramme {
  data: SampleData;
  registry: Upload;
  /** The sample uploads of {@link SMALL_PROJECTS} for the periods asked for, oldest first. */
  submissions: Upload[];
  /** A workbook with planted mistakes, uploaded into a project's folder. */
  refused: Upload;
}

/** The sample registry reduced to `projects`: their targets, budgets, and managers' project lists. */
export function registryOf(data: SampleData, projects: string[]): SampleRegistry {
  const r = data.registry;
  return {
    ...r,
    projects: r.projects.filter((p) => projects.includes(p.id)),
    targets: r.targets.filter((t) => projects.includes(t.projectId)),
    budget: r.budget.filter((b) => projects.includes(b.projectId)),
    recipients: r.recipients.map((x) => ({ ...x, projects: x.projects.filter((p) => projects.includes(p)) })),
  };
}

/** The small programme's registry (or that of `projects`) changed by `edit`: a copy, the sample data stays as it was. */
export function editedRegistry(
  data: SampleData,
  edit: (registry: SampleRegistry) => void,
  projects: string[] = SMALL_PROJECTS,
): SampleRegistry {
  const registry = structuredClone(registryOf(data, projects));
  edit(registry);
  return registry;
}

/** `registry` as the workbook a coordinator uploads under `key` at `uploadedAt`. */
export async function registryUpload(registry: SampleRegistry, key: string, uploadedAt: string): Promise<Upload> {
  return { key, bytes: await sampleRegistryBytes(registry), uploadedAt };
}

export async function smallProgramme(
  periods: string[],
  refusedAt = '2023-10-05T08:00:00.000Z',
): Promise<SmallProgramme> {
  const data = buildSampleData();
  const registry = await registryUpload(
    registryOf(data, SMALL_PROJECTS),
    'registry/registry.xlsx',
    '2023-01-02T08:00:00.000Z',
  );
  const submissions: Upload[] = [];
  for (const s of data.submissions) {
    if (!SMALL_PROJECTS.includes(s.content.projectId) || !periods.includes(s.content.period)) continue;
    submissions.push({
      key: `inbox/${s.content.projectId}/${s.content.period}.xlsx`,
      bytes: await sampleSubmissionBytes(s.content, s.catalogue),
      uploadedAt: s.uploadedAt,
    });
  }
  submissions.sort((a, b) => (a.uploadedAt < b.uploadedAt ? -1 : 1));
  const mistake = data.mistakes.find((m) => m.name === 'indicator-values')!;
  const refused: Upload = {
    key: `inbox/${mistake.projectFolder}/indicator-values.xlsx`,
    bytes: await sampleSubmissionBytes(mistake.content, mistake.catalogue),
    uploadedAt: refusedAt,
  };
  return { data, registry, submissions, refused };
}

/** A submission workbook with its content changed by `edit` (a coordinator's corrected upload). */
export async function correctedUpload(
  data: SampleData,
  projectId: string,
  period: string,
  edit: (content: SubmissionContent) => void,
  upload: { key: string; uploadedAt: string },
): Promise<Upload> {
  const original = data.submissions.find((s) => s.content.projectId === projectId && s.content.period === period)!;
  const content = structuredClone(original.content);
  edit(content);
  return { ...upload, bytes: await sampleSubmissionBytes(content, original.catalogue) };
}

/** Put uploads into a folder bucket, each with its upload time as the file's mtime (the folder store's upload time). */
export async function stage(bucket: string, uploads: Upload[]): Promise<void> {
  for (const u of uploads) {
    const path = join(bucket, ...u.key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, u.bytes);
    const when = new Date(u.uploadedAt);
    await utimes(path, when, when);
  }
}

export interface LogLine {
  level: string;
  event: string;
  fields: LogFields;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const at =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      void lines.push({ level, event, fields });
  return { info: at('info'), warn: at('warn'), error: at('error') };
}

/** The local runtime's deps on a bucket folder and an outbox folder, at a fixed instant. */
export function localDeps(bucket: string, outbox: string, now: Date, log: Logger): Deps & { store: FolderStore } {
  const clock = fixedClock(now);
  return {
    store: new FolderStore(bucket),
    mailer: new OutboxMailer(outbox, { clock }),
    clock,
    log,
    mailFrom: 'pmif@example.lv',
  };
}

/**
 * What a store holds, to compare runs: every object's SHA-256 by key, except the mail ledger, which is reduced to
 * each slot's final status (`sent`, `in-doubt`, …): attempt objects, timestamps and message ids are the history of
 * how a run got there, not its result.
 */
export async function snapshot(bucket: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const slots = new Map<string, LedgerAttempt>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const key = `${prefix}${entry.name}`;
      if (entry.isDirectory()) await walk(join(dir, entry.name), `${key}/`);
      else if (entry.name.endsWith('.tmp')) throw new Error(`a temp file was left behind: ${key}`);
      else {
        const bytes = await readFile(join(dir, entry.name));
        const ledger = parseLedgerKey(key);
        if (!ledger) out.set(key, createHash('sha256').update(bytes).digest('hex'));
        else {
          const attempt = JSON.parse(bytes.toString('utf8')) as LedgerAttempt;
          const latest = slots.get(ledger.slot);
          if (!latest || attempt.attempt > latest.attempt) slots.set(ledger.slot, attempt);
        }
      }
    }
  };
  await walk(bucket, '');
  for (const [slot, latest] of slots) {
    out.set(`${slot} (ledger)`, latest.status === 'claimed' ? 'in-doubt' : latest.status);
  }
  return out;
}

/** Keys whose values differ between two snapshots (missing on either side included), sorted. */
export function differences(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
