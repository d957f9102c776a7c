/**
 * Rendering on worker threads gives the same files as rendering on one thread: every report, the programme
 * summary and the manifest byte for byte. Both runs start from one ingested copy of the sample programme.
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import { generatePeriod, loadRevisionInputs, type RevisionPlan } from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import {
  ProjectRenderError,
  RenderPool,
  renderProjectsInWorkers,
  renderProjectsOnPool,
} from '../../functions/app/parallel-render';
import { keys } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import { SAMPLE_NOW, writeSampleData } from '../../sample/write-sample';

const PERIOD = '2025-Q3';
const GENERATED_AT = '2025-10-16T04:00:00.000Z';
let root: string;

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function depsFor(bucket: string): Deps {
  return {
    store: new FolderStore(bucket),
    mailer: { send: async () => ({ messageId: 'not-sent' }) },
    clock: fixedClock(new Date(`${SAMPLE_NOW}T04:00:00Z`)),
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  };
}

/** Every file under `reports/` by key, as SHA-256. */
async function reportHashes(deps: Deps): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const info of await deps.store.list(keys.reportsPrefix)) {
    out.set(info.key, sha((await deps.store.get(info.key))!.bytes));
  }
  return out;
}

async function planOf(deps: Deps): Promise<RevisionPlan> {
  return JSON.parse(new TextDecoder().decode((await deps.store.get(keys.plan(PERIOD, 1)))!.bytes)) as RevisionPlan;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-parallel-'));
  const sample = await writeSampleData(join(root, 'sample'));
  const ingested = join(root, 'ingested');
  await mkdir(join(ingested, 'registry'), { recursive: true });
  await cp(join(root, 'sample', sample.registry), join(ingested, 'registry', 'registry.xlsx'), {
    preserveTimestamps: true,
  });
  for (const s of sample.submissions.filter((x) => x.period <= PERIOD)) {
    await cp(join(root, 'sample', s.file), join(ingested, 'inbox', s.projectId, `${s.period}.xlsx`), {
      preserveTimestamps: true,
    });
  }
  const deps = depsFor(ingested);
  for (const info of await deps.store.list('registry/')) await ingestObject(deps, info.key);
  for (const info of await deps.store.list('inbox/')) await ingestObject(deps, info.key);
  for (const name of ['sequential', 'parallel', 'run-sequential', 'run-pool', 'early']) {
    await cp(ingested, join(root, name), { recursive: true, preserveTimestamps: true });
  }
}, 180_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('rendering a period on worker threads', () => {
  it('writes the same bytes as rendering on one thread', { timeout: 240_000 }, async () => {
    const sequential = depsFor(join(root, 'sequential'));
    const parallel = depsFor(join(root, 'parallel'));
    const progress: string[] = [];
    const one = await generatePeriod(sequential, { period: PERIOD, generatedAt: GENERATED_AT, workers: 1 });
    const many = await generatePeriod(parallel, {
      period: PERIOD,
      generatedAt: GENERATED_AT,
      workers: 3,
      onProgress: (_done, _total, projectId) => progress.push(projectId),
    });
    expect(one.status).toBe('generated');
    expect(many).toEqual(one);

    const plan = await planOf(parallel);
    expect(plan.projectIds.length).toBeGreaterThan(3);
    const a = await reportHashes(sequential);
    const b = await reportHashes(parallel);
    // Each project's PDF and XLSX and the programme's, in both editions (Latvian and English), the plan and the manifest.
    expect(a.size).toBe(plan.projectIds.length * 4 + 4 + 2);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [key, hash] of a) expect({ key, hash: b.get(key) }).toEqual({ key, hash });
    expect(progress.sort()).toEqual([...plan.projectIds].sort());
  });

  it('rejects with the project that failed, and stops its workers', async () => {
    const deps = depsFor(join(root, 'parallel'));
    const plan = await planOf(deps);
    const inputs = await loadRevisionInputs(deps, plan);
    const rendered: string[] = [];
    const run = renderProjectsInWorkers(plan, inputs, [plan.projectIds[0]!, 'no-such-project'], {
      workers: 2,
      onRendered: async (projectId) => {
        rendered.push(projectId);
      },
    });
    await expect(run).rejects.toBeInstanceOf(ProjectRenderError);
    await expect(run).rejects.toMatchObject({
      projectId: 'no-such-project',
      cause: { message: expect.stringContaining('not in the registry') },
    });
    expect(rendered).not.toContain('no-such-project');
  });

  it('serves several revisions from one pool, at once, with the same bytes and no worker started twice', {
    timeout: 400_000,
  }, async () => {
    const periods = ['2025-Q2', PERIOD];
    const sequential = depsFor(join(root, 'run-sequential'));
    const pooled = depsFor(join(root, 'run-pool'));
    const one = [];
    for (const period of periods)
      one.push(await generatePeriod(sequential, { period, generatedAt: GENERATED_AT, workers: 1 }));
    const pool = new RenderPool(2);
    try {
      const many = await Promise.all(
        periods.map((period) => generatePeriod(pooled, { period, generatedAt: GENERATED_AT, pool })),
      );
      expect(many).toEqual(one);
      expect(pool.started).toBe(2);
    } finally {
      await pool.close();
    }
    const a = await reportHashes(sequential);
    const b = await reportHashes(pooled);
    expect(a.size).toBeGreaterThan(20);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [key, hash] of a) expect({ key, hash: b.get(key) }).toEqual({ key, hash });
  });

  it('starts its workers while it plans a first revision, not before planning a later one, and stops them on failure', async () => {
    const warm = vi.spyOn(RenderPool.prototype, 'warm');
    const close = vi.spyOn(RenderPool.prototype, 'close');
    try {
      /** Plans `period` on `deps` and fails when the plan is written; returns how many pools were warm by then. */
      const warmWhenPlanned = async (deps: Deps, options: { reason?: string } = {}) => {
        const store = deps.store;
        let atPlan = -1;
        const put = store.put.bind(store);
        store.put = async (key, bytes, opts) => {
          if (key.endsWith('/plan.json')) {
            atPlan = warm.mock.calls.length;
            throw new Error('stopped once planned');
          }
          return put(key, bytes, opts);
        };
        await expect(
          generatePeriod(deps, { period: PERIOD, generatedAt: GENERATED_AT, workers: 2, ...options }),
        ).rejects.toThrow('stopped once planned');
        return atPlan;
      };
      // No revision yet: the period is rendered whatever its plan holds, so its pool loads while it is planned.
      expect(await warmWhenPlanned(depsFor(join(root, 'early')))).toBe(1);
      // The pool started for it is stopped with the failure.
      expect(close).toHaveBeenCalledTimes(1);
      // A period with a revision (the first test's) may turn out unchanged: nothing starts before its plan.
      const later = depsFor(join(root, 'parallel'));
      expect(await later.store.get(keys.manifest(PERIOD, 1))).toBeDefined();
      warm.mockClear();
      close.mockClear();
      expect(await warmWhenPlanned(later, { reason: 'a later revision' })).toBe(0);
      expect(close).not.toHaveBeenCalled();
    } finally {
      warm.mockRestore();
      close.mockRestore();
    }
  });

  it('goes on serving other revisions after one of them failed', { timeout: 240_000 }, async () => {
    const deps = depsFor(join(root, 'parallel'));
    const plan = await planOf(deps);
    const inputs = await loadRevisionInputs(deps, plan);
    const pool = new RenderPool(1);
    try {
      const failing = pool.open(plan, inputs.registry);
      const rendered: string[] = [];
      const run = renderProjectsOnPool(pool, failing, inputs, ['no-such-project', ...plan.projectIds], async (id) => {
        rendered.push(id);
      });
      await expect(run).rejects.toMatchObject({ projectId: 'no-such-project' });
      // The failed revision's waiting projects were cancelled, not rendered.
      expect(rendered).toEqual([]);
      pool.release(failing);
      const next = pool.open(plan, inputs.registry);
      const files = await pool.renderProject(
        next,
        plan.projectIds[0]!,
        inputs.submissions.filter((s) => s.projectId === plan.projectIds[0]),
      );
      const stored = (await deps.store.get(files[0]!.key))!.bytes;
      expect(sha(files[0]!.bytes)).toBe(sha(stored));
      expect(pool.started).toBe(1);
    } finally {
      await pool.close();
    }
  });
});
