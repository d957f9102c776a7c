/**
 * `serve` and `run` on one folder store at once (docs/architecture.md §7: every step safe to repeat and to run twice at
 * once): uploads through the drop page arrive while a `run` process ingests the inbox. Afterwards every upload is
 * stored and ingested once, and every coordinator's receipt went out exactly once: one .eml per ledger slot, none
 * twice, and a later run sends nothing more.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { loadRegistryInForce } from '../../functions/app/registry-store';
import { runAll } from '../../functions/app/run';
import { uploadLinkFor } from '../../functions/app/upload-links';
import { localDeps } from '../../functions/cli/local-deps';
import { type RunningServer, startServer } from '../../functions/cli/serve';
import { keys } from '../../functions/core/keys';
import { type SmallProgramme, smallProgramme, stage } from '../helpers/small-programme';

const root = join(import.meta.dirname, '..', '..');
// Early in the programme: the runs have two periods to report on, so the test is about the race, not rendering.
const NOW = '2023-10-10';
let dir: string;
let bucket: string;
let outbox: string;
let server: RunningServer;
let programme: SmallProgramme;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-serve-run-'));
  bucket = join(dir, 'bucket');
  outbox = join(dir, 'outbox');
  programme = await smallProgramme(['2023-Q1', '2023-Q2', '2023-Q3']);
  await stage(bucket, [programme.registry, ...programme.submissions.filter((s) => !s.key.endsWith('2023-Q3.xlsx'))]);
  server = await startServer({ store: bucket, outbox, now: NOW, port: 0 });
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function uploadThroughPage(project: string, period: string, bytes: Uint8Array, name: string): Promise<string> {
  const deps = localDeps({ store: bucket, outbox, now: NOW, port: Number(new URL(server.origin).port) });
  const link = (await uploadLinkFor(deps, await loadRegistryInForce(new FolderStore(bucket)), project, period))!;
  const token = new URL(link).searchParams.get('t')!;
  const permit = (await (
    await fetch(`${server.origin}/api/uploads?t=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, size: bytes.byteLength }),
    })
  ).json()) as { post: { url: string; fields: Record<string, string> } };
  const form = new FormData();
  for (const [k, v] of Object.entries(permit.post.fields)) form.append(k, v);
  form.append('file', new Blob([bytes]), name);
  const res = await fetch(permit.post.url, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return permit.post.fields.key!;
}

const runProcess = () =>
  promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'functions/cli/main.ts', 'run', '--store', bucket, '--outbox', outbox, '--now', NOW],
    { cwd: root },
  );

it('loses no upload and sends no receipt twice when serve and run work on one store at once', async () => {
  // The registry must be in force before uploads can be checked against it.
  await runAll(localDeps({ store: bucket, outbox, now: NOW }));
  const before = new Set((await new FolderStore(bucket).list('inbox/')).map((o) => o.key));
  // One upload arrives the old way (straight into the inbox folder); the 2023-Q3 workbooks come through the page,
  // each twice (a first try and a correction), while two `run` processes work on the same store.
  const direct = [{ ...programme.refused, key: 'inbox/one-stop-shop/refused.xlsx' }];
  const viaPage = programme.submissions.filter((s) => s.key.endsWith('2023-Q3.xlsx'));
  const [pageKeys] = await Promise.all([
    Promise.all(
      [...viaPage, ...viaPage].map((s, i) => {
        const [, project, file] = s.key.split('/');
        return uploadThroughPage(project!, '2023-Q3', s.bytes, `try-${i}-${file}`);
      }),
    ),
    runProcess(),
    runProcess(),
    stage(bucket, direct),
  ]);
  await server.idle();
  const store = new FolderStore(bucket);
  const inbox = (await store.list('inbox/')).map((o) => o.key);
  const added = inbox.filter((k) => !before.has(k));
  expect(added.sort()).toEqual([...direct.map((s) => s.key), ...pageKeys].sort());
  expect(pageKeys).toHaveLength(4);
  // A run afterwards finds nothing left to do for the uploads.
  await runAll(localDeps({ store: bucket, outbox, now: NOW }));

  for (const key of inbox) expect((await store.list(keys.ingestedOf(key))).length, key).toBe(1);
  const mails = await Promise.all(
    (await readdir(outbox))
      .filter((f) => f.endsWith('.eml'))
      .map(async (f) => simpleParser(await readFile(join(outbox, f)))),
  );
  const receipts = mails.map((m) => String(m.headers.get('x-pmif-delivery'))).filter((id) => id.startsWith('uploads/'));
  expect(receipts.length).toBe(inbox.length);
  expect(new Set(receipts).size).toBe(receipts.length);
  const every = mails.map((m) => String(m.headers.get('x-pmif-delivery')));
  expect(new Set(every).size).toBe(every.length);

  const sent = every.length;
  await runAll(localDeps({ store: bucket, outbox, now: NOW }));
  expect((await readdir(outbox)).filter((f) => f.endsWith('.eml')).length).toBe(sent);
}, 300_000);
