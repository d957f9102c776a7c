/**
 * The command line as an operator meets it (issue 14): a mistyped `--store` is an error (only `--init` creates
 * one), wrong arguments exit 2 before anything is done, a run that answered every upload exits 0, `reprocess`
 * decides an upload again with its original upload time, `reissue` lists and issues operator corrections.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { keys } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import { runCapturedCli } from '../helpers/cli';
import { type SmallProgramme, smallProgramme, stage } from '../helpers/small-programme';

let root: string;
let programme: SmallProgramme;
const NOW = '2023-07-20';

const cli = runCapturedCli;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-cli-'));
  programme = await smallProgramme(['2023-Q1', '2023-Q2'], '2023-07-05T08:00:00.000Z');
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a strict command line', () => {
  it('refuses a --store that does not exist, creating nothing, unless --init is given', async () => {
    const missing = join(root, 'no-such-store');
    for (const command of [['run'], ['generate', '--period', '2023-Q1'], ['deliver', '--period', '2023-Q1']]) {
      const r = await cli(...command, '--store', missing);
      expect(r.exitCode, command.join(' ')).toBe(2);
      expect(r.err).toMatch(/no such folder.*--init/);
    }
    expect(existsSync(missing)).toBe(false);
    const created = await cli('run', '--store', missing, '--init', '--now', NOW);
    expect(created.exitCode).toBe(0);
    expect(existsSync(missing)).toBe(true);
  });

  it('refuses a --now that is not ISO 8601 before doing anything', async () => {
    const store = join(root, 'now-store');
    for (const now of ['11/12/2026', '2025-02-30', '']) {
      const r = await cli('run', '--store', store, '--init', '--now', now);
      expect(r.exitCode, now).toBe(2);
      expect(r.err).toContain('ISO 8601');
    }
    expect(existsSync(store)).toBe(false);
  });

  it('takes any quarter the archive may hold', async () => {
    const store = join(root, 'empty');
    await cli('run', '--store', store, '--init', '--now', NOW);
    const r = await cli('archive', 'list', '--store', store, '--period', '1923-Q1');
    expect(r.err).not.toContain('period such as');
    expect(r.exitCode).not.toBe(2);
  });

  it('exits 0 from a run that answered every upload, a refusal included; reprocess keeps the upload time', async () => {
    const bucket = join(root, 'flow');
    await stage(bucket, [programme.registry, ...programme.submissions, programme.refused]);
    const run = await cli('run', '--store', bucket, '--now', NOW);
    expect(run.err).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.out).toMatch(/1 rejected \(answered\)/);
    // Every e-mail written is counted, receipts and reports alike: the summary agrees with the outbox.
    const written = (await readdir(join(root, 'outbox'))).filter((f) => f.endsWith('.eml')).length;
    expect(written).toBeGreaterThan(6);
    expect(run.out).toContain(`E-mails: ${written} written`);

    const key = programme.submissions[0]!.key;
    const again = await cli('reprocess', key, '--store', bucket, '--now', NOW);
    expect(again.exitCode).toBe(0);
    // The same decision is not mailed again, and the record keeps the original upload time.
    expect(again.out).toContain('mail: already-sent');
    const store = new FolderStore(bucket);
    const version = (await store.get(key))!.version;
    const record = (await store.list('submissions/')).find((i) => i.key.endsWith(`${version}.json`))!;
    const parsed = JSON.parse(new TextDecoder().decode((await store.get(record.key))!.bytes));
    expect(parsed.source.uploadedAt).toBe(programme.submissions[0]!.uploadedAt);
    expect((await cli('reprocess', 'inbox/nowhere/x.xlsx', '--store', bucket)).exitCode).toBe(2);

    // Nothing changed, so a dry-run reissue lists nothing; a reissue with a reason is a corrected revision.
    const dry = await cli('reissue', '--dry-run', '--store', bucket);
    expect(dry.out).toContain('0 of 2 issued period(s) would change.');
    expect((await cli('reissue', '--period', '2023-Q1', '--store', bucket)).exitCode).toBe(2);
    const reissued = await cli(
      'reissue',
      '--period',
      '2023-Q1',
      '--reason',
      'noapaļošanas labojums / rounding fix',
      '--store',
      bucket,
      '--now',
      NOW,
    );
    expect(reissued.exitCode).toBe(0);
    const manifest = JSON.parse(
      new TextDecoder().decode((await store.get(keys.manifest('2023-Q1', 2)))!.bytes),
    ) as Manifest;
    expect(manifest.notes?.[0]?.en).toBe('Re-issued: noapaļošanas labojums / rounding fix');
    // The run after it delivers the corrected revision, with the reason in the mail's change list.
    const deliver = await cli('deliver', '--period', '2023-Q1', '--store', bucket, '--now', NOW);
    expect(deliver.exitCode).toBe(0);
    expect(JSON.parse(deliver.out)).toMatchObject({ revision: 2, sent: 3 });
    // The software alone never re-issues: the next run leaves both periods as they are.
    const quiet = await cli('run', '--store', bucket, '--now', NOW);
    expect(quiet.out).toContain('0 period revision(s) generated, 2 unchanged');
  }, 120_000);
});
