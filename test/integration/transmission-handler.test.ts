/**
 * The transmission Lambda entry point on a folder store: the latest due cut-off from the clock, produced, archived
 * and e-mailed once; a repeated (daily) invocation changes and sends nothing; bad inputs are refused by field.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import { ingestObject } from '../../functions/app/ingest';
import { BadEventError } from '../../functions/aws/s3-event';
import { keys } from '../../functions/core/keys';
import { createTransmissionHandler } from '../../functions/transmission/handler';
import { localRuntime } from '../helpers/aws-runtime';
import { localDeps, recordingLogger, smallProgramme, stage } from '../helpers/small-programme';

let dir: string;
let base: Deps;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-transmission-handler-'));
  const programme = await smallProgramme(['2023-Q1', '2023-Q2']);
  const bucket = join(dir, 'bucket');
  await stage(bucket, [programme.registry, ...programme.submissions]);
  base = localDeps(bucket, join(dir, 'outbox'), new Date('2023-07-20T05:00:00Z'), recordingLogger([]));
  for (const u of [programme.registry, ...programme.submissions]) await ingestObject(base, u.key);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the transmission handler', () => {
  it('before the first Q2/Q4 deadline has nothing due', async () => {
    const early = localRuntime({ ...base, clock: fixedClock(new Date('2023-07-10T05:00:00Z')) });
    expect(await createTransmissionHandler(early)({})).toEqual({ status: 'not-due' });
  });

  it('produces the latest due cut-off, archives it and mails the programme managers once', async () => {
    const rt = localRuntime(base);
    const first = await createTransmissionHandler(rt)({});
    expect(first).toMatchObject({
      status: 'done',
      produced: { status: 'generated', cutoff: '2023-06-30', revision: 1 },
    });
    expect(await base.store.get(keys.transmission('2023-06-30', 1, 'lv'))).toBeDefined();
    const sent = first.status === 'done' ? first.delivered.sent : 0;
    expect(sent).toBeGreaterThan(0);
    expect(rt.counts.MailsSent).toBe(sent);
    const again = await createTransmissionHandler(localRuntime(base))({});
    expect(again).toMatchObject({ status: 'done', produced: { status: 'unchanged' }, delivered: { sent: 0 } });
  });

  it('refuses a cut-off that is not 30 June or 31 December, and an input that is not an object', async () => {
    const handler = createTransmissionHandler(localRuntime(base));
    await expect(handler({ cutoff: '2023-09-30' })).rejects.toThrow(BadEventError);
    await expect(handler({ cutoff: '2023-09-30' })).rejects.toThrow(/YYYY-06-30 or YYYY-12-31/);
    await expect(handler([] as never)).rejects.toThrow(BadEventError);
  });
});
