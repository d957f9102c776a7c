/**
 * A run delivers each period as soon as it and every period before it are generated (issue 19): the first period's
 * mails go out before the last period's revision is complete, periods are still delivered one after another in period
 * order, and a second run mails nothing. On a folder store with two sample projects and two due quarters.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/app/deps';
import { RenderPool } from '../../functions/app/parallel-render';
import { type RunOptions, runAll } from '../../functions/app/run';
import type { ObjectStore } from '../../functions/core/ports';
import { localDeps, recordingLogger, type SmallProgramme, smallProgramme, stage } from '../helpers/small-programme';

/** After the 2023-Q2 deadline: 2023-Q1 and 2023-Q2 are due. */
const NOW = new Date('2023-10-12T04:00:00Z');

let root: string;
let programme: SmallProgramme;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-run-delivery-'));
  programme = await smallProgramme(['2023-Q1', '2023-Q2']);
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

const FIRST = '2023-Q1';
const LAST = '2023-Q2';

/**
 * The store, recording the key of every put in the order they were made. The last period's manifest (which completes
 * its revision) is held until the first period's first report mail is recorded, or for at most `holdMs`: a run that
 * delivers only after generating everything makes it wait the whole time, and then mails after it.
 */
function recordingPuts(store: ObjectStore, puts: string[], holdMs: number): ObjectStore {
  let mailed: () => void = () => {};
  const firstMail = new Promise<void>((resolve) => {
    mailed = resolve;
  });
  return {
    get: (key, version) => store.get(key, version),
    list: (prefix) => store.list(prefix),
    put: async (key, bytes, options) => {
      if (key.startsWith(`reports/${LAST}/`) && key.endsWith('/manifest.json'))
        await Promise.race([firstMail, new Promise((resolve) => setTimeout(resolve, holdMs))]);
      const done = await store.put(key, bytes, options);
      puts.push(key);
      if (key.startsWith(`deliveries/${FIRST}/`)) mailed();
      return done;
    },
  };
}

const periodOf = (key: string) => key.split('/')[1]!;

describe.each([
  { name: 'on one thread', workers: 1 },
  { name: 'on a pool', workers: 2 },
  // What a run starts by default on two cores for small periods (runWorkers): one worker beside this thread.
  { name: 'on a pool of one worker', workers: 1, pool: true },
])('a run $name', ({ workers, pool }) => {
  it('mails each period once it is generated, in period order, and only once', { timeout: 300_000 }, async () => {
    const bucket = join(root, `bucket-${workers}${pool ? '-pool' : ''}`);
    const outbox = join(root, `outbox-${workers}${pool ? '-pool' : ''}`);
    const started = pool ? new RenderPool(workers) : undefined;
    const options: RunOptions = { ...(started ? { pool: started } : { workers }), backfill: true };
    try {
      await runTwice(bucket, outbox, options);
    } finally {
      await started?.close();
    }
  });
});

/** Run twice: the first run mails each period once it is generated, in period order; the second mails nothing. */
async function runTwice(bucket: string, outbox: string, options: RunOptions): Promise<void> {
  await stage(bucket, [programme.registry, ...programme.submissions]);
  const puts: string[] = [];
  const local = localDeps(bucket, outbox, NOW, recordingLogger([]));
  const deps: Deps = { ...local, store: recordingPuts(local.store, puts, 20_000) };

  const result = await runAll(deps, undefined, options);
  expect(result.failures).toEqual([]);
  const periods = result.generated.map((g) => g.period);
  expect(periods).toEqual([FIRST, LAST]);
  expect(result.delivered.map((d) => d.period)).toEqual(periods);

  const manifests = puts.filter((k) => k.startsWith('reports/') && k.endsWith('/manifest.json'));
  // The report mails' ledger (receipts, reminders and transmissions have slots of their own under deliveries/).
  const deliveries = puts.filter((k) => k.startsWith('deliveries/') && periods.includes(periodOf(k)));
  expect(deliveries.length).toBeGreaterThan(0);
  // The first period's mails went out before the last period's revision was complete.
  const firstMail = puts.findIndex((k) => k.startsWith(`deliveries/${periods[0]}/`));
  const lastManifest = puts.indexOf(manifests.find((k) => periodOf(k) === periods.at(-1))!);
  expect(firstMail).toBeGreaterThanOrEqual(0);
  expect(firstMail).toBeLessThan(lastManifest);
  // Each period's mails after its own manifest, and periods delivered one after another in period order.
  for (const period of periods) {
    const manifest = puts.indexOf(manifests.find((k) => periodOf(k) === period)!);
    const own = deliveries.filter((k) => periodOf(k) === period);
    expect(own.length).toBeGreaterThan(0);
    expect(puts.indexOf(own[0]!)).toBeGreaterThan(manifest);
  }
  const order = deliveries.map(periodOf).filter((p, i, all) => p !== all[i - 1]);
  expect(order).toEqual(periods);

  const mails = (await readdir(outbox)).filter((f) => f.endsWith('.eml')).length;
  const again = await runAll(deps, undefined, options);
  expect(again.failures).toEqual([]);
  expect(again.delivered.every((d) => d.sent === 0)).toBe(true);
  expect((await readdir(outbox)).filter((f) => f.endsWith('.eml')).length).toBe(mails);
}
