/**
 * One hostile upload, ingested in a process of its own (started by `hostile-corpus.test.ts` with a capped heap and a
 * wall-clock timeout): put the file into a folder store that already holds the sample registry, run the real
 * `ingestObject`, and print one JSON line (after {@link RESULT_MARKER}) with the outcome, the issue codes, peak RSS,
 * time and the store's keys before and after.
 *
 *     node --max-old-space-size=256 hostile-child.mjs <case file> <store dir> <key> <outbox dir>   (an esbuild bundle of this file)
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentVersion, FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import { ingestObject } from '../../functions/app/ingest';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { SAMPLE_NOW } from '../../sample/write-sample';

/** Starts the result line, so stray output of the code under test cannot be mistaken for it. */
export const RESULT_MARKER = 'HOSTILE-RESULT ';

export interface ChildReport {
  outcome: 'accepted' | 'rejected' | 'pending' | 'skipped' | 'crashed';
  /** Distinct issue codes, sorted: a rejection's issues, or an accepted submission's warnings. */
  codes: string[];
  /** The upload's version (the folder store's content hash). */
  version: string;
  recordKey: string | null;
  receiptKey: string;
  /** Peak resident set size of this process, in KB (the larger of getrusage and /proc's VmHWM). */
  peakRssKb: number;
  /** Time spent in `ingestObject` alone: wall clock, and CPU (user + system, all threads of this process). */
  elapsedMs: number;
  cpuMs: number;
  /** Store keys and versions after the upload was put, and after ingest. */
  before: Record<string, string>;
  after: Record<string, string>;
  error?: string;
}

async function snapshot(store: FolderStore): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const info of await store.list('')) out[info.key] = info.version;
  return out;
}

async function vmHwmKb(): Promise<number> {
  try {
    const status = await readFile('/proc/self/status', 'utf8');
    return Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

async function warningCodes(store: FolderStore, recordKey: string): Promise<string[]> {
  const record = await store.get(recordKey);
  if (!record) return [];
  const parsed = JSON.parse(new TextDecoder().decode(record.bytes)) as { warnings?: { code: string }[] };
  return (parsed.warnings ?? []).map((w) => w.code);
}

async function main(): Promise<void> {
  const [caseFile, storeDir, key, outboxDir] = process.argv.slice(2);
  if (!caseFile || !storeDir || !key || !outboxDir) {
    throw new Error('usage: hostile-child.ts <case file> <store dir> <key> <outbox dir>');
  }
  const store = new FolderStore(storeDir);
  const clock = fixedClock(new Date(`${SAMPLE_NOW}T04:00:00Z`));
  const deps: Deps = {
    store,
    mailer: new OutboxMailer(outboxDir, { clock }),
    clock,
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  };
  const bytes = new Uint8Array(await readFile(caseFile));
  await store.put(key, bytes);
  const version = contentVersion(bytes);
  const receiptKey = keys.ingested(key, version);
  const before = await snapshot(store);

  let outcome: ChildReport['outcome'] = 'crashed';
  let codes: string[] = [];
  let recordKey: string | null = null;
  let error: string | undefined;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  try {
    const result = await ingestObject(deps, key);
    outcome = result.status === 'skipped' ? 'skipped' : result.status;
    if (result.status === 'rejected' || result.status === 'pending') codes = result.issues.map((i) => i.code);
    if (result.status !== 'skipped') recordKey = result.recordKey;
    if (result.status === 'accepted' && result.kind === 'submission')
      codes = await warningCodes(store, result.recordKey);
  } catch (err) {
    error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  const elapsedMs = Math.round(performance.now() - start);
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const after = await snapshot(store);
  const report: ChildReport = {
    outcome,
    codes: [...new Set(codes)].sort(),
    version,
    recordKey,
    receiptKey,
    peakRssKb: Math.max(process.resourceUsage().maxRSS, await vmHwmKb()),
    elapsedMs,
    cpuMs,
    before,
    after,
  };
  if (error !== undefined) report.error = error;
  process.stdout.write(`${RESULT_MARKER}${JSON.stringify(report)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
