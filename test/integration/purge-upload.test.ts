/**
 * `purge-upload`: the upload version, its rejection record and annotated copy go; a purge record with their hashes
 * stays; a second run changes nothing; nothing outside inbox/ can be purged, and never without a reason.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { OutboxMailer } from '../../functions/adapters/outbox-mailer';
import { fixedClock } from '../../functions/adapters/system-clock';
import { ingestObject } from '../../functions/app/ingest';
import type { PurgeRecord } from '../../functions/app/purge-upload';
import { purgeUploadCommand } from '../../functions/cli/commands/purge-upload';
import { buildProgram } from '../../functions/cli/program';
import { silentLogger } from '../../functions/core/ports';
import { testRegistry, workbookBytes } from '../helpers/workbooks';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

async function run(args: string[]): Promise<string> {
  let out = '';
  const program = new Command('pmif-reports').exitOverride();
  purgeUploadCommand(program, {
    write: (t) => {
      out += t;
    },
  });
  await program.parseAsync(['node', 'pmif-reports', ...args]);
  return out;
}

describe('purge-upload', () => {
  it('deletes the upload version, its rejection and annotated copy, and leaves a purge record', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pmif-purge-'));
    roots.push(root);
    const bucket = join(root, 'bucket');
    const clock = fixedClock(new Date('2025-10-05T08:00:00Z'));
    const store = new FolderStore(bucket);
    const deps = {
      store,
      mailer: new OutboxMailer(join(root, 'outbox'), { clock }),
      clock,
      log: silentLogger,
      mailFrom: 'x@example.lv',
    };
    const key = 'inbox/lv-courses/2025-Q3.xlsx';
    await store.put(
      key,
      await workbookBytes({
        Projekts: [
          ['Projekta ID', 'lv-courses'],
          ['Periods', '2025-Q3'],
        ],
        Rādītāji: [['Kods', 'Vērtība periodā']],
        Dalībnieki: [
          ['Dalībnieka ID', 'Aktivitāte'],
          ['120345-12345', 'language-course'],
        ],
        Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
      }),
    );
    expect((await ingestObject(deps, key, { registry: testRegistry() })).status).toBe('rejected');
    const version = (await store.get(key))!.version;
    const before = (await store.list('rejections/')).map((o) => o.key);
    expect(before).toHaveLength(2);

    const out = await run([
      'purge-upload',
      key,
      '--version',
      version,
      '--reason',
      'personas kodi dalībnieku ID kolonnā',
      '--store',
      bucket,
    ]);
    expect(out).toContain('purged 3 object(s)');
    expect(await store.get(key)).toBeUndefined();
    expect(await store.list('rejections/')).toEqual([]);
    const record = JSON.parse(
      new TextDecoder().decode((await store.get(`purges/${version}.json`))!.bytes),
    ) as PurgeRecord;
    expect(record).toMatchObject({ kind: 'purge', key, version, reason: 'personas kodi dalībnieku ID kolonnā' });
    expect(record.deleted.map((d) => d.key).sort()).toEqual([key, ...before].sort());
    for (const d of record.deleted) expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);

    // Repeatable: the record stays as it was.
    await run(['purge-upload', key, '--version', version, '--reason', 'again', '--store', bucket]);
    const again = JSON.parse(
      new TextDecoder().decode((await store.get(`purges/${version}.json`))!.bytes),
    ) as PurgeRecord;
    expect(again).toEqual(record);
  });

  it('refuses keys outside inbox/, unknown versions and an empty reason', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pmif-purge-'));
    roots.push(root);
    const bucket = join(root, 'bucket');
    await new FolderStore(bucket).put('submissions/2025-Q3/p/v.json', new TextEncoder().encode('{}'));
    const cases = [
      ['submissions/2025-Q3/p/v.json', 'v', 'x'],
      ['inbox/p/missing.xlsx', 'v', 'x'],
      ['inbox/p/missing.xlsx', 'v', '  '],
    ];
    for (const [key, version, reason] of cases) {
      process.exitCode = 0;
      const out = await run(['purge-upload', key!, '--version', version!, '--reason', reason!, '--store', bucket]);
      expect(out).toMatch(/^not purged: /);
      expect(process.exitCode).toBe(1);
    }
    process.exitCode = 0;
    expect(await new FolderStore(bucket).get('submissions/2025-Q3/p/v.json')).toBeDefined();
  });

  it('is a command of the CLI', () => {
    expect(buildProgram().commands.map((c) => c.name())).toContain('purge-upload');
  });
});
