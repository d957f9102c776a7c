/**
 * The backfill bound holds the Art. 42 transmission too (issue 14, follow-up): a run that holds more than
 * BACKFILL_LIMIT never-reported periods neither writes nor mails the transmission that would count them, locally
 * (`run`) and on AWS (the transmission function), and says so in its held failure; asked to backfill, the
 * transmission is made and mailed as before; at or under the bound nothing changes. The cases are built around the
 * bound: a project start that leaves exactly BACKFILL_LIMIT never-reported periods, one that leaves one more, and the
 * one-digit registry typo (2021 for 2023), on a folder store after the 2023-Q2 deadline (cut-off 2023-06-30 due).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKFILL_LIMIT, TransmissionHeldError } from '../../functions/app/backfill';
import { ingestObject } from '../../functions/app/ingest';
import { type RunResult, runAll } from '../../functions/app/run';
import { formatPeriod, nextPeriod, periodOfDate } from '../../functions/core/period';
import { createTransmissionHandler } from '../../functions/transmission/handler';
import { localRuntime } from '../helpers/aws-runtime';
import {
  editedRegistry,
  localDeps,
  recordingLogger,
  registryUpload,
  type SmallProgramme,
  smallProgramme,
  snapshot,
  stage,
} from '../helpers/small-programme';

/** After the 2023-Q2 deadline (so the 2023-06-30 transmission is due), before 2023-Q3's. */
const NOW = new Date('2023-10-12T04:00:00Z');
const CUTOFF = '2023-06-30';
const LAST_DUE = '2023-Q2';

let root: string;
let programme: SmallProgramme;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-transmission-backfill-'));
  programme = await smallProgramme(['2023-Q1', '2023-Q2']);
}, 60_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** The quarters from the one holding `start` to {@link LAST_DUE}: the never-reported due periods of a fresh store. */
function quartersFrom(start: string): string[] {
  const out: string[] = [];
  for (let p = periodOfDate(start); formatPeriod(p) <= LAST_DUE; p = nextPeriod(p)) out.push(formatPeriod(p));
  return out;
}

/** A store with a registry whose first project starts at `start`, and the sample uploads, staged (not ingested). */
async function bucketStartingAt(name: string, start: string) {
  const registry = editedRegistry(programme.data, (r) => {
    r.projects.find((p) => p.id === 'pmlp-reception')!.start = start;
  });
  const upload = await registryUpload(registry, 'registry/registry.xlsx', '2023-01-02T08:00:00Z');
  const bucket = join(root, name, 'bucket');
  const outbox = join(root, name, 'outbox');
  await stage(bucket, [upload, ...programme.submissions]);
  return { bucket, outbox, deps: localDeps(bucket, outbox, NOW, recordingLogger([])) };
}

const transmissionKeys = async (bucket: string) =>
  [...(await snapshot(bucket)).keys()].filter((k) => k.startsWith('transmissions/') || k.includes('/transmissions/'));

/** The outbox's transmission mails (their attachment is named `<cutoff>-r<n>-transmission….xlsx`). */
async function transmissionMails(outbox: string): Promise<string[]> {
  const files = (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
  const out: string[] = [];
  for (const f of files) if ((await readFile(join(outbox, f), 'latin1')).includes('-transmission')) out.push(f);
  return out;
}

/** The transmission's archived editions and manifest, by key (their SHA-256s). */
async function transmissionFiles(bucket: string) {
  return [...(await snapshot(bucket))].filter(([k]) => k.startsWith('transmissions/'));
}

function expectTransmitted(result: RunResult) {
  expect(result.transmissionsHeld).toEqual([]);
  expect(result.transmitted).toMatchObject([{ status: 'generated', cutoff: CUTOFF, revision: 1 }]);
  expect(result.transmissionsDelivered.reduce((n, d) => n + d.sent, 0)).toBeGreaterThan(0);
}

// Exactly the bound, one over it, and the typo: the first is issued and transmitted, the others held with it.
const CASES = [
  { name: 'at the bound', start: '2022-07-01', held: false },
  { name: 'one over the bound', start: '2022-04-01', held: true },
  { name: 'the registry typo', start: '2021-01-01', held: true },
];

describe('the transmission and the backfill bound, locally', () => {
  it('the cases straddle the bound', () => {
    expect(CASES.map((c) => quartersFrom(c.start).length > BACKFILL_LIMIT)).toEqual(CASES.map((c) => c.held));
    expect(quartersFrom('2022-07-01')).toHaveLength(BACKFILL_LIMIT);
  });

  it.each(CASES)(
    '$name: a run without --backfill transmits only if it issues the periods',
    async (c) => {
      const { bucket, outbox, deps } = await bucketStartingAt(`run-${c.start}`, c.start);
      const result = await runAll(deps, undefined, { workers: 1 });
      const periods = quartersFrom(c.start);
      if (!c.held) {
        expect(result.held).toEqual([]);
        expect(result.failures).toEqual([]);
        expectTransmitted(result);
        const mails = await transmissionMails(outbox);
        expect(mails).not.toEqual([]);
        // Exactly once: a further run leaves it as it is and mails nothing again.
        const again = await runAll(deps, undefined, { workers: 1 });
        expect(again.transmitted.map((t) => t.status)).toEqual(['unchanged']);
        expect(again.transmissionsDelivered.reduce((n, d) => n + d.sent, 0)).toBe(0);
        expect(await transmissionMails(outbox)).toEqual(mails);
        return;
      }
      expect(result.held).toEqual(periods);
      // Held: nothing of the transmission is written or mailed, and the held result and message name it.
      expect(result.transmissionsHeld).toEqual([{ status: 'held', cutoff: CUTOFF, held: periods }]);
      expect(result.transmitted).toEqual([]);
      expect(result.transmissionsDelivered).toEqual([]);
      expect(await transmissionKeys(bucket)).toEqual([]);
      expect(await transmissionMails(outbox)).toEqual([]);
      expect(result.failures).toHaveLength(1);
      expect(result.failures[0]!.key).toBe(`${periods[0]} … ${LAST_DUE}`);
      expect(result.failures[0]!.what).toContain(`Art. 42 transmission of ${CUTOFF}`);
      expect(result.failures[0]!.todo).toContain('--backfill');
      // Run again, still without backfill: still held, still nothing.
      const again = await runAll(deps, undefined, { workers: 1 });
      expect(again.transmissionsHeld).toEqual(result.transmissionsHeld);
      expect(await transmissionKeys(bucket)).toEqual([]);
      // Asked to backfill: the periods are issued and the transmission made and mailed as it would have been.
      const backfilled = await runAll(deps, undefined, { workers: 1, backfill: true });
      expect(backfilled.held).toEqual([]);
      expectTransmitted(backfilled);
      expect((await transmissionMails(outbox)).length).toBe(
        backfilled.transmissionsDelivered.reduce((n, d) => n + d.sent, 0),
      );
      // The same bytes a first run with --backfill writes (same clock): holding changed nothing but the timing.
      const direct = await bucketStartingAt(`direct-${c.start}`, c.start);
      expectTransmitted(await runAll(direct.deps, undefined, { workers: 1, backfill: true }));
      expect(await transmissionFiles(bucket)).toEqual(await transmissionFiles(direct.bucket));
    },
    300_000,
  );
});

describe('the transmission function and the backfill bound (AWS)', () => {
  /** A store as the ingest function leaves it: registry and uploads ingested, no period reported yet. */
  async function ingested(name: string, start: string) {
    const made = await bucketStartingAt(name, start);
    for (const key of ['registry/registry.xlsx', ...programme.submissions.map((s) => s.key)])
      await ingestObject(made.deps, key);
    return made;
  }

  it('over the bound: fails naming the held periods, writes and mails nothing; "backfill": true transmits', async () => {
    const { bucket, outbox, deps } = await ingested('aws-held', '2022-04-01');
    const handler = createTransmissionHandler(localRuntime(deps));
    const periods = quartersFrom('2022-04-01');
    const err = await handler({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransmissionHeldError);
    expect((err as TransmissionHeldError).held).toEqual(periods);
    expect((err as Error).message).toContain(`${periods[0]} … ${LAST_DUE}`);
    expect((err as Error).message).toContain('"backfill": true');
    // The same with the cut-off given by hand.
    await expect(handler({ cutoff: CUTOFF })).rejects.toThrow(TransmissionHeldError);
    expect(await transmissionKeys(bucket)).toEqual([]);
    expect(await transmissionMails(outbox)).toEqual([]);
    // A cut-off before every held period counts none of them: not held.
    await expect(handler({ cutoff: '2021-12-31', backfill: false })).resolves.toMatchObject({ status: 'done' });
    await expect(handler({ backfill: 'yes' } as never)).rejects.toThrow(/backfill must be true or false/);

    const done = await handler({ backfill: true });
    expect(done).toMatchObject({ status: 'done', produced: { status: 'generated', cutoff: CUTOFF, revision: 1 } });
    expect(done.status === 'done' && done.delivered.sent).toBeGreaterThan(0);
  }, 120_000);

  it('at the bound: transmits as before, without the field', async () => {
    const { outbox, deps } = await ingested('aws-at-bound', '2022-07-01');
    const done = await createTransmissionHandler(localRuntime(deps))({});
    expect(done).toMatchObject({ status: 'done', produced: { status: 'generated', cutoff: CUTOFF, revision: 1 } });
    expect(await transmissionMails(outbox)).not.toEqual([]);
  }, 120_000);
});
