/**
 * The render pool's own mechanics (`app/parallel-render.ts`, issue 19), on real worker threads: a task that needs no
 * registry, each worker holding its next job while it works on one, a worker lost with two jobs, and the bytes a
 * worker hands back by moving its buffers. `parallel-render.test.ts` holds whole periods byte-identical to one thread.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderProjectFiles } from '../../functions/app/generate';
import { ownBuffers, RenderPool, WorkerTaskError } from '../../functions/app/parallel-render';
import { WARM_UP_ROUNDS, type WarmUpSpecimen } from '../../functions/app/warm-up';
import specimenJson from '../../functions/app/warm-up/specimen.json' with { type: 'json' };
import { packEntries } from '../../functions/workbooks/deterministic-zip';
import { mulberry32 } from '../../sample/sample-projects';
import { writeSampleData } from '../../sample/write-sample';

let root: string;
let pool: RenderPool;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-render-pool-'));
  // The mechanics below, without the warm-up a pool smaller than the cores does (tested on its own at the end).
  pool = new RenderPool(2, { warmUp: false });
});

afterAll(async () => {
  await pool?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Generated workbook-like parts: folders, empty parts, repetitive XML and incompressible bytes. */
function generatedParts(seed: number): [string, Uint8Array][] {
  const random = mulberry32(seed);
  const parts: [string, Uint8Array][] = [];
  const count = 1 + Math.floor(random() * 8);
  for (let i = 0; i < count; i++) {
    const size = Math.floor(random() * 40_000);
    const bytes = new Uint8Array(size);
    const noisy = random() < 0.3;
    for (let j = 0; j < size; j++) bytes[j] = noisy ? Math.floor(random() * 256) : 60 + ((j * 7) % 30);
    const folder = ['xl/worksheets/', 'xl/', 'docProps/', ''][Math.floor(random() * 4)]!;
    parts.push([`${folder}part${i}.xml`, bytes]);
  }
  return parts;
}

async function tree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(
      path.slice(dir.length),
      createHash('sha256')
        .update(await readFile(path))
        .digest('hex'),
    );
  }
  return out;
}

/** The pool's workers, reached for fault injection only. */
const workersOf = (p: RenderPool) => (p as unknown as { slots: { worker: Worker }[] }).slots.map((s) => s.worker);

describe('the render pool', () => {
  it('zips parts on a worker, with no registry, to the same bytes as this thread', async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const parts = generatedParts(seed);
      const expected = packEntries(parts);
      const zipped = await pool.run(null, 'packEntries', { entries: parts });
      expect(zipped).toBeInstanceOf(Uint8Array);
      expect(Buffer.compare(Buffer.from(zipped), Buffer.from(expected)), `seed ${seed}`).toBe(0);
    }
  });

  it('writes the sample with its workbooks zipped on workers (as npm start does): the same parts in every file', {
    timeout: 120_000,
  }, async () => {
    const here = join(root, 'here');
    const workers = join(root, 'workers');
    const manifest = await writeSampleData(here);
    let packed = 0;
    // How many workbooks had been handed over when each zip came back.
    const handedWhenZipped: number[] = [];
    const onWorkers = await writeSampleData(workers, {
      pack: async (entries) => {
        packed++;
        const zipped = await pool.run(null, 'packEntries', { entries });
        handedWhenZipped.push(packed);
        return zipped;
      },
    });
    expect(onWorkers).toEqual(manifest);
    expect(packed).toBe(1 + manifest.submissions.length + manifest.mistakes.length);
    // The zips come back while the sample is still laid out (the event loop turns between workbooks), not all at
    // once after the last workbook, with the worker idle until then.
    expect(handedWhenZipped).toHaveLength(packed);
    expect(handedWhenZipped.filter((handed) => handed < packed).length).toBeGreaterThan(packed / 4);
    const files = [...(await tree(here)).keys()].sort();
    expect(files).toHaveLength(packed);
    expect([...(await tree(workers)).keys()].sort()).toEqual(files);
    for (const file of files) {
      // The committed way adds an entry for each folder, as exceljs's zip did; the parts are the same.
      const parts = Object.entries(unzipSync(await readFile(join(here, file)))).filter(([name]) => !name.endsWith('/'));
      const zipped = Object.entries(unzipSync(await readFile(join(workers, file))));
      expect(
        zipped.map(([name]) => name),
        file,
      ).toEqual(parts.map(([name]) => name));
      for (const [i, [name, bytes]] of parts.entries()) {
        expect(Buffer.compare(Buffer.from(zipped[i]![1]), Buffer.from(bytes)), `${file} ${name}`).toBe(0);
      }
    }
  });

  it('rejects with a failed zip once every other has settled, writing no workbook of its own', async () => {
    const dir = join(root, 'failing');
    const run = writeSampleData(dir, {
      pack: async () => {
        throw new Error('disk full');
      },
    });
    await expect(run).rejects.toThrow('disk full');
    const written = await readdir(dir, { recursive: true, withFileTypes: true });
    expect(written.filter((e) => e.isFile())).toEqual([]);
  });

  it('fails both jobs a lost worker held, and runs the next on a new worker', { timeout: 60_000 }, async () => {
    const single = new RenderPool(1, { warmUp: false });
    try {
      const parts = generatedParts(7);
      const jobs = [1, 2, 3].map(() => single.run(null, 'packEntries', { entries: parts }));
      const settled = Promise.allSettled(jobs);
      // The first two were sent to the one worker (it holds its next job); the third waits in the pool.
      const [worker] = workersOf(single);
      await worker!.terminate();
      const [first, second, third] = await settled;
      for (const lost of [first, second]) {
        expect(lost?.status).toBe('rejected');
        expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(WorkerTaskError);
        expect((lost as PromiseRejectedResult).reason.cause.message).toContain('a render worker stopped');
      }
      expect(third?.status).toBe('fulfilled');
      expect(Buffer.compare((third as PromiseFulfilledResult<Uint8Array>).value, packEntries(parts))).toBe(0);
      expect(single.started).toBe(2);
    } finally {
      await single.close();
    }
  });
});

describe('ownBuffers: what a worker moves rather than copies', () => {
  it('moves an array that is a whole buffer of its own, and copies views and shared buffers', () => {
    const own = new Uint8Array(16);
    const shared = new ArrayBuffer(32);
    const a = new Uint8Array(shared);
    const b = new Uint8Array(shared);
    const whole = new Uint8Array(8);
    const view = whole.subarray(2);
    const pooled = Buffer.from('small'); // a slice of Node's shared allocation pool
    expect(ownBuffers([own])).toEqual([own.buffer]);
    expect(ownBuffers([a, b])).toEqual([]);
    expect(ownBuffers([view])).toEqual([]);
    expect(ownBuffers([pooled])).toEqual([]);
    expect(ownBuffers([own, view, a, b])).toEqual([own.buffer]);
    expect(ownBuffers([])).toEqual([]);
  });

  describe('warm-up', () => {
    const specimen = specimenJson as unknown as WarmUpSpecimen;
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

    it('renders the specimen while a worker waits, then reports in the same bytes as a thread that never did', {
      timeout: 180_000,
    }, async () => {
      const warm = new RenderPool(1, { warmUp: true });
      try {
        warm.warm();
        // A task sent meanwhile runs between two warm-up renders.
        const zipped = await warm.run(null, 'packEntries', { entries: generatedParts(3) });
        expect(zipped).toEqual(packEntries(generatedParts(3)));
        for (let waited = 0; warm.warmUpRenders < 2 * WARM_UP_ROUNDS && waited < 150_000; waited += 50) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        expect(warm.warmUpRenders).toBe(2 * WARM_UP_ROUNDS);
        const { plan, inputs, projectId } = specimen;
        const files = await warm.renderProject(warm.open(plan, inputs.registry), projectId, inputs.submissions);
        const here = await renderProjectFiles(plan, inputs, projectId);
        expect(files.map((f) => sha(f.bytes))).toEqual(here.files.map((f) => sha(f.bytes)));
        expect(files.length).toBe(2 * (plan.editions?.length ?? 1));
      } finally {
        await warm.close();
      }
    });

    it('ends when the first report is asked for, before it has begun', { timeout: 120_000 }, async () => {
      const warm = new RenderPool(1, { warmUp: true });
      try {
        const { plan, inputs, projectId } = specimen;
        await warm.renderProject(warm.open(plan, inputs.registry), projectId, inputs.submissions);
        // Another round trip, so a warm-up render started after the report would have been heard of.
        await warm.run(null, 'packEntries', { entries: generatedParts(4) });
        expect(warm.warmUpRenders).toBe(0);
      } finally {
        await warm.close();
      }
    });

    it('is left out by default when the pool has a worker for every core', () => {
      expect(new RenderPool(availableParallelism()).warmsUp).toBe(false);
      expect(new RenderPool(Math.max(1, availableParallelism() - 1)).warmsUp).toBe(availableParallelism() > 1);
    });
  });
});
