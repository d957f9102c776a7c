/**
 * Archiving a revision's inputs with the records the caller loaded to render it: the registry version each record
 * was validated against is taken from them instead of parsing the same bytes again, and the archive is the same.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import { ArchiveInputError, archiveRevisionInputs } from '../../functions/app/archive-inputs';
import type { Deps } from '../../functions/app/deps';
import { loadRevisionInputs, planRevision, type RevisionPlan } from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { SAMPLE_NOW, writeSampleData } from '../../sample/write-sample';

const PERIOD = '2025-Q3';
let root: string;
let deps: Deps;
let plan: RevisionPlan;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-archive-known-'));
  const sample = await writeSampleData(join(root, 'sample'));
  const bucket = join(root, 'bucket');
  await mkdir(join(bucket, 'registry'), { recursive: true });
  await cp(join(root, 'sample', sample.registry), join(bucket, 'registry', 'registry.xlsx'), {
    preserveTimestamps: true,
  });
  for (const s of sample.submissions.filter((x) => x.period <= PERIOD)) {
    await cp(join(root, 'sample', s.file), join(bucket, 'inbox', s.projectId, `${s.period}.xlsx`), {
      preserveTimestamps: true,
    });
  }
  deps = {
    store: new FolderStore(bucket),
    mailer: { send: async () => ({ messageId: 'not-sent' }) },
    clock: fixedClock(new Date(`${SAMPLE_NOW}T04:00:00Z`)),
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  };
  for (const info of await deps.store.list('registry/')) await ingestObject(deps, info.key);
  for (const info of await deps.store.list('inbox/')) await ingestObject(deps, info.key);
  const planned = await planRevision(deps, { period: PERIOD, generatedAt: '2025-10-16T04:00:00.000Z' });
  if (planned.status !== 'planned') throw new Error(`no plan: ${planned.status}`);
  plan = planned.plan;
}, 180_000);
// Other inputs of a refused archive may still be landing as it rejects: removing the folder retries.
afterAll(() => rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

/** The revision's records as rendering loads them, by record key. */
async function loadedRecords() {
  const { submissions } = await loadRevisionInputs(deps, plan);
  return new Map(submissions.map((s) => [keys.submission(s.period, s.projectId, s.source.version), s]));
}

describe("a revision's inputs archived with the records already loaded", () => {
  const retainLike = keys.programmeReport(PERIOD, 1, 'pdf');

  it('are archived as when each record is parsed again', { timeout: 60_000 }, async () => {
    const known = await loadedRecords();
    expect(plan.sources.every((s) => known.has(s.recordKey))).toBe(true);
    const parsed = await archiveRevisionInputs(deps, plan, retainLike);
    expect(parsed.items.some((i) => i.role === 'record')).toBe(true);
    expect(await archiveRevisionInputs(deps, plan, retainLike, known)).toEqual(parsed);
  });

  it('take each registry version from the loaded record, not from parsing it again', { timeout: 60_000 }, async () => {
    const known = await loadedRecords();
    const first = plan.sources[0]!.recordKey;
    known.set(first, { ...known.get(first)!, registryVersion: 'a-version-no-record-names' });
    // The loaded record is what is used: its (here changed) registry version is looked for in the archive.
    const error = await archiveRevisionInputs(deps, plan, retainLike, known).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ArchiveInputError);
    expect((error as Error).message).toMatch(/a-version-no-record-names/);
  });
});

describe("a revision's inputs archived on a store that answers at once", () => {
  it('let the event loop run between sources, so a render pool beside it is served', { timeout: 60_000 }, async () => {
    // The folder store's calls finish synchronously: without a turn of its own per source, the whole archive is
    // one chain of microtasks and no message from a worker is handled until it ends.
    let turns = 0;
    let archiving = true;
    const spin = () => {
      if (!archiving) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const archived = archiveRevisionInputs(deps, plan, keys.programmeReport(PERIOD, 1, 'pdf'), await loadedRecords());
    await archived.finally(() => {
      archiving = false;
    });
    // Eight sources are archived at a time, each after a turn of the event loop.
    expect(plan.sources.length).toBeGreaterThan(8);
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(plan.sources.length / 8));
  });
});
