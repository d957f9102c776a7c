/**
 * Uploads read ahead on a pool's workers (issue 19, `app/read-ahead.ts`): ingest in upload order with the reads
 * made on two worker threads gives the same outcomes and the same stored records, receipts, rejections and mail
 * ledger as ingest reading on its own thread; a read made from another registry, date or object is not taken; a
 * worker that fails leaves the read to ingest. On a folder store with two sample projects, their uploads of two
 * quarters and every planted-mistake workbook of the sample.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Deps } from '../../functions/app/deps';
import { type IngestOutcome, ingestObject } from '../../functions/app/ingest';
import { RenderPool } from '../../functions/app/parallel-render';
import { InboxReadAhead } from '../../functions/app/read-ahead';
import { loadRegistryInForce } from '../../functions/app/registry-store';
import { keys } from '../../functions/core/keys';
import { StoreError } from '../../functions/core/ports';
import type { Registry } from '../../functions/core/types';
import { sampleSubmissionBytes } from '../../sample/write-sample';
import {
  differences,
  localDeps,
  recordingLogger,
  type SmallProgramme,
  smallProgramme,
  snapshot,
  stage,
  type Upload,
} from '../helpers/small-programme';

const NOW = new Date('2023-10-12T04:00:00Z');

let root: string;
let programme: SmallProgramme;
let mistakes: Upload[];
let pool: RenderPool;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-read-ahead-'));
  programme = await smallProgramme(['2023-Q1', '2023-Q2']);
  mistakes = [];
  for (const [i, m] of programme.data.mistakes.entries()) {
    mistakes.push({
      key: `inbox/${m.projectFolder}/${m.name}.xlsx`,
      bytes: await sampleSubmissionBytes(m.content, m.catalogue),
      uploadedAt: new Date(Date.parse('2023-10-01T08:00:00Z') + i * 60_000).toISOString(),
    });
  }
  pool = new RenderPool(2);
}, 120_000);

afterAll(async () => {
  await pool?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** A staged bucket with its registry ingested: the deps, the registry in force and the inbox in upload order. */
async function staged(name: string, now = NOW) {
  const bucket = join(root, `bucket-${name}`);
  await stage(bucket, [programme.registry, ...programme.submissions, programme.refused, ...mistakes]);
  const deps = localDeps(bucket, join(root, `outbox-${name}`), now, recordingLogger([]));
  await ingestObject(deps, programme.registry.key);
  const registry = (await loadRegistryInForce(deps.store))!;
  const inbox = (await deps.store.list(keys.inboxPrefix)).sort(
    (a, b) => a.lastModified.getTime() - b.lastModified.getTime() || (a.key < b.key ? -1 : 1),
  );
  return { bucket, deps, registry, inbox };
}

/** Ingest the inbox in order, with reads ahead made by `ahead` (given the staged bucket) or none. */
async function ingestAll(
  name: string,
  ahead?: (s: Awaited<ReturnType<typeof staged>>) => InboxReadAhead,
  registryFor: (r: Registry) => Registry = (r) => r,
): Promise<{ outcomes: IngestOutcome[]; files: Map<string, string>; deps: Deps }> {
  const s = await staged(name);
  const reads = ahead?.(s);
  await reads?.fill();
  const outcomes: IngestOutcome[] = [];
  for (const info of s.inbox) {
    const options = { registry: registryFor(s.registry), ...(reads ? { readsAhead: reads } : {}) };
    outcomes.push(await ingestObject(s.deps, info.key, options));
  }
  reads?.close();
  return { outcomes, files: await snapshot(s.bucket), deps: s.deps };
}

let alone: Awaited<ReturnType<typeof ingestAll>>;

describe('uploads read ahead on worker threads', () => {
  beforeAll(async () => {
    alone = await ingestAll('alone');
    // The sample's uploads are accepted, its mistakes refused or kept pending: every path of a submission's ingest.
    const statuses = new Set(alone.outcomes.map((o) => o.status));
    expect(statuses).toEqual(new Set(['accepted', 'rejected', 'pending']));
  }, 300_000);

  it('give the same outcomes and stored files as reading on this thread, from the workers', {
    timeout: 300_000,
  }, async () => {
    const run = vi.spyOn(pool, 'run');
    let taken = 0;
    const ahead = await ingestAll('ahead', (s) => {
      const reads = new InboxReadAhead(s.deps, pool, s.registry, s.inbox, 3);
      const take = reads.take.bind(reads);
      reads.take = (source, ctx) => {
        const read = take(source, ctx);
        if (read) taken++;
        return read;
      };
      return reads;
    });
    const workerReads = run.mock.calls.length;
    run.mockRestore();
    expect(ahead.outcomes).toEqual(alone.outcomes);
    expect(differences(ahead.files, alone.files)).toEqual([]);
    // Every upload that ingest read was read by a worker, and ingest took each of those reads.
    const read = alone.outcomes.filter((o) => o.status !== 'skipped').length;
    expect(workerReads).toBe(read);
    expect(taken).toBe(read);
  });

  it('are not taken when made against another registry, date or object', { timeout: 300_000 }, async () => {
    // Ingest with an equal registry that is not the one the reads were made against.
    const otherRegistry = await ingestAll(
      'other-registry',
      (s) => new InboxReadAhead(s.deps, pool, s.registry, s.inbox, 3),
      (r) => structuredClone(r),
    );
    expect(otherRegistry.outcomes).toEqual(alone.outcomes);
    expect(differences(otherRegistry.files, alone.files)).toEqual([]);

    const s = await staged('mismatch');
    const reads = new InboxReadAhead(s.deps, pool, s.registry, s.inbox, s.inbox.length);
    await reads.fill();
    const first = s.inbox.find((i) => i.key.endsWith('.xlsx'))!;
    const object = (await s.deps.store.get(first.key))!;
    const source = {
      key: first.key,
      version: object.version,
      sha256: (await import('../../functions/app/deps')).sha256Hex(object.bytes),
      bytes: object.bytes.byteLength,
      uploadedAt: object.lastModified.toISOString(),
    };
    const ctx = { registry: s.registry, folder: first.key.split('/')[1]!, today: '2023-10-12', linkPeriod: null };
    // Made for another day: not taken, and gone (a read is taken at most once).
    expect(reads.take(source, { ...ctx, today: '2023-10-13' })).toBeUndefined();
    expect(reads.take(source, ctx)).toBeUndefined();
    const second = s.inbox.filter((i) => i.key.endsWith('.xlsx'))[1]!;
    const secondObject = (await s.deps.store.get(second.key))!;
    const moved = {
      ...source,
      key: second.key,
      version: secondObject.version,
      sha256: (await import('../../functions/app/deps')).sha256Hex(secondObject.bytes),
      bytes: secondObject.bytes.byteLength,
      uploadedAt: '2020-01-01T00:00:00.000Z',
    };
    expect(reads.take(moved, { ...ctx, folder: second.key.split('/')[1]! })).toBeUndefined();
    reads.close();
  });

  it('leave an upload that cannot be read ahead to ingest, and read the others', { timeout: 300_000 }, async () => {
    const s = await staged('unreadable');
    const broken = s.inbox.find((i) => i.key.endsWith('.xlsx'))!.key;
    const store = {
      ...s.deps.store,
      get: (key: string, version?: string) =>
        key === broken
          ? Promise.reject(new StoreError(`injected: cannot read ${key}`))
          : s.deps.store.get(key, version),
      list: (prefix: string) => s.deps.store.list(prefix),
      put: s.deps.store.put.bind(s.deps.store),
    };
    const run = vi.spyOn(pool, 'run');
    const reads = new InboxReadAhead({ ...s.deps, store }, pool, s.registry, s.inbox, s.inbox.length);
    await expect(reads.fill()).resolves.toBeUndefined();
    const workerReads = run.mock.calls.map(([, , input]) => (input as { source: { key: string } }).source.key);
    run.mockRestore();
    reads.close();
    expect(workerReads).not.toContain(broken);
    expect(workerReads.length).toBeGreaterThan(0);
  });

  it('leave the read to ingest when the worker fails', { timeout: 300_000 }, async () => {
    const failing = vi.spyOn(pool, 'run').mockRejectedValue(new Error('injected: the worker died'));
    const ahead = await ingestAll('failing', (s) => new InboxReadAhead(s.deps, pool, s.registry, s.inbox, 3));
    failing.mockRestore();
    expect(ahead.outcomes).toEqual(alone.outcomes);
    expect(differences(ahead.files, alone.files)).toEqual([]);
  });
});
