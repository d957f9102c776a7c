/**
 * The drop page's endpoint over HTTP, as `pmif-reports serve` runs it on a folder store: a link opens the page,
 * the presigned (local) POST stores exactly one key under the link's project inbox, the upload is ingested at once
 * and the verdict poll tells that upload's outcome only. Refusals change nothing in the store.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { KeyFileLinkKeys, revokePreviousKey, rotateKeyFile } from '../../functions/adapters/key-file';
import { ingestObject } from '../../functions/app/ingest';
import { loadRegistryInForce } from '../../functions/app/registry-store';
import { runAll } from '../../functions/app/run';
import { uploadLinkFor } from '../../functions/app/upload-links';
import { localDeps, parseNow } from '../../functions/cli/local-deps';
import { type RunningServer, startServer } from '../../functions/cli/serve';
import type { SigningKeyRing } from '../../functions/core/signed-link';
import { signUploadLink, verifyUploadLink } from '../../functions/core/upload-link';
import { readXlsx } from '../../functions/intake/read-xlsx';
import { correctedUpload, type SmallProgramme, smallProgramme, stage } from '../helpers/small-programme';

const NOW = '2025-10-10';
let dir: string;
let bucket: string;
let outbox: string;
let programme: SmallProgramme;
let server: RunningServer;
let store: FolderStore;
let firstRing: SigningKeyRing;

/** The link a mail sent now would carry, on the running server's port. */
async function linkFor(project: string, period: string | null): Promise<string> {
  const deps = localDeps({ store: bucket, outbox, now: NOW, port: Number(new URL(server.origin).port) });
  const link = await uploadLinkFor(deps, await loadRegistryInForce(store), project, period);
  if (!link) throw new Error('no link');
  return link;
}

const tokenOf = (link: string) => new URL(link).searchParams.get('t')!;

async function inboxKeys(): Promise<string[]> {
  return (await store.list('inbox/')).map((o) => o.key);
}

interface Permit {
  ok: boolean;
  post: { url: string; fields: Record<string, string> };
  verdictToken: string;
  message?: { lv: string; en: string };
}

async function permit(token: string, name: string, size: number): Promise<{ status: number; body: Permit }> {
  const res = await fetch(`${server.origin}/api/uploads?t=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, size }),
  });
  return { status: res.status, body: (await res.json()) as Permit };
}

async function post(p: Permit, bytes: Uint8Array, fields: Record<string, string> = {}): Promise<number> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...p.post.fields, ...fields })) form.append(k, v);
  form.append('file', new Blob([bytes]), 'book.xlsx');
  const res = await fetch(p.post.url, { method: 'POST', body: form });
  await res.arrayBuffer();
  return res.status;
}

async function verdict(v: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.origin}/api/verdict?v=${encodeURIComponent(v)}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Upload through a link as the page does and wait for the verdict. */
async function uploadThrough(link: string, name: string, bytes: Uint8Array) {
  const p = await permit(tokenOf(link), name, bytes.byteLength);
  expect(p.status).toBe(200);
  expect(await post(p.body, bytes)).toBe(201);
  await server.idle();
  return { key: p.body.post.fields.key!, verdict: (await verdict(p.body.verdictToken)).body, permit: p.body };
}

const sample = (project: string, period: string) =>
  programme.submissions.find((s) => s.key === `inbox/${project}/${period}.xlsx`)!.bytes;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-serve-'));
  bucket = join(dir, 'bucket');
  outbox = join(dir, 'outbox');
  programme = await smallProgramme(['2025-Q2', '2025-Q3']);
  await stage(bucket, [programme.registry]);
  store = new FolderStore(bucket);
  server = await startServer({ store: bucket, outbox, now: NOW, port: 0 });
  await runAll(localDeps({ store: bucket, outbox, now: NOW, port: Number(new URL(server.origin).port) }));
  firstRing = await new KeyFileLinkKeys(join(dir, 'link-keys.json')).keyRing();
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('drop page endpoint (serve)', () => {
  it('takes a valid workbook into the link project inbox, ingests it at once and reports it accepted', async () => {
    const link = await linkFor('pmlp-reception', '2025-Q3');
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('pmlp-reception');
    expect(html).toContain('2025-Q3');
    const { key, verdict: v } = await uploadThrough(link, 'Pārskats 2025-Q3.xlsx', sample('pmlp-reception', '2025-Q3'));
    expect(key).toMatch(/^inbox\/pmlp-reception\/2025-Q3--\d{8}T\d{6}Z-[a-z0-9]+--Pārskats-2025-Q3\.xlsx$/);
    expect(await inboxKeys()).toContain(key);
    expect(v).toMatchObject({
      ok: true,
      status: 'accepted',
      project: 'pmlp-reception',
      period: '2025-Q3',
      deadline: '2025-10-15',
    });
    expect((await store.list('submissions/2025-Q3/pmlp-reception/')).length).toBe(1);
  });

  it('refuses a workbook for another period than the link, with a clear issue on the period cell', async () => {
    const link = await linkFor('pmlp-reception', '2025-Q3');
    const { verdict: v } = await uploadThrough(link, 'q2.xlsx', sample('pmlp-reception', '2025-Q2'));
    expect(v.status).toBe('rejected');
    const issues = v.issues as {
      location: string;
      message: { lv: string; en: string };
      found: string;
      expected: string;
    }[];
    const wrong = issues.find((i) => i.message.en.includes('another period than the upload link'));
    expect(wrong).toMatchObject({ found: '2025-Q2', expected: '2025-Q3' });
    expect(wrong!.location).toMatch(/^Projekts!B\d+$/);
    expect(v.annotated).toBe(true);
  });

  it('shows the issues of a workbook with planted mistakes and serves its annotated copy to that upload only', async () => {
    const link = await linkFor('pmlp-reception', '2025-Q2');
    const { verdict: v, permit: p } = await uploadThrough(link, 'ar kļūdām.xlsx', programme.refused.bytes);
    expect(v.status).toBe('rejected');
    const codes = (v.issues as { message: { en: string } }[]).map((i) => i.message.en);
    expect(codes).toEqual(
      expect.arrayContaining([
        'The value must not be negative.',
        'A count must be a whole number.',
        'The value is not a number.',
      ]),
    );
    const copy = await fetch(`${server.origin}/api/annotated?v=${encodeURIComponent(p.verdictToken)}`);
    expect(copy.status).toBe(200);
    expect(readXlsx(new Uint8Array(await copy.arrayBuffer())).ok).toBe(true);
  });

  it('gives the blank template with the link project and period filled in', async () => {
    const res = await fetch(
      `${server.origin}/api/template?t=${encodeURIComponent(tokenOf(await linkFor('one-stop-shop', '2025-Q3')))}`,
    );
    expect(res.status).toBe(200);
    const read = readXlsx(new Uint8Array(await res.arrayBuffer()));
    if (!read.ok) throw new Error('template unreadable');
    const values = read.workbook.sheets.flatMap((s) => s.rows.flatMap((r) => r.cells));
    expect(values).toContain('one-stop-shop');
    expect(values).toContain('2025-Q3');
  });

  it('answers an expired, altered or revoked link with a clear page and uploads nothing', async () => {
    const before = await inboxKeys();
    const ring = await new KeyFileLinkKeys(join(dir, 'link-keys.json')).keyRing();
    const expired = signUploadLink(ring, { project: 'pmlp-reception', period: '2025-Q3' }, parseNow('2025-10-09'));
    const valid = tokenOf(await linkFor('pmlp-reception', '2025-Q3'));
    const altered = `${valid.slice(0, 20)}${valid[20] === 'A' ? 'B' : 'A'}${valid.slice(21)}`;
    for (const [token, status, words] of [
      [expired, 410, 'This link has expired.'],
      [altered, 403, 'This link is not valid'],
      ['', 400, 'This link is not valid'],
    ] as const) {
      const page = await fetch(`${server.origin}/upload?t=${encodeURIComponent(token)}`);
      expect(page.status).toBe(status);
      const html = await page.text();
      expect(html).toContain(words);
      expect(html).not.toMatch(/at \w+ \(|Error:/);
      const p = await permit(token, 'x.xlsx', 1000);
      expect(p.status).toBe(status === 400 ? 403 : status);
      expect(p.body.ok).toBe(false);
    }
    expect(await inboxKeys()).toEqual(before);
  });

  it('keeps links alive through a key rotation and ends them when the previous key is revoked', async () => {
    const link = await linkFor('one-stop-shop', '2025-Q3');
    const keyFile = join(dir, 'link-keys.json');
    await rotateKeyFile(keyFile);
    expect((await fetch(link)).status).toBe(200);
    await revokePreviousKey(keyFile);
    expect((await fetch(link)).status).toBe(403);
    expect((await fetch(await linkFor('one-stop-shop', '2025-Q3'))).status).toBe(200);
  });

  it('lets a link write only its own key: another folder, a reused ticket, too big or not xlsx are refused', async () => {
    const before = await inboxKeys();
    const link = await linkFor('pmlp-reception', '2025-Q3');
    const bytes = sample('one-stop-shop', '2025-Q3');
    const p = await permit(tokenOf(link), 'a.xlsx', bytes.byteLength);
    // The POST may not name another project's folder (or any other key) than the one it was given.
    expect(await post(p.body, bytes, { key: 'inbox/one-stop-shop/2025-Q3--evil.xlsx' })).toBe(403);
    expect(await post(p.body, bytes, { 'Content-Type': 'text/html' })).toBe(403);
    expect(await post(p.body, new Uint8Array(10_000_001))).toBe(413);
    expect((await permit(tokenOf(link), 'a.xls', 100)).status).toBe(400);
    expect((await permit(tokenOf(link), 'a.xlsx', 10_000_001)).status).toBe(413);
    expect(await inboxKeys()).toEqual(before);
    // Another project's workbook through this link lands in this project's folder, and is refused there.
    expect(await post(p.body, bytes)).toBe(201);
    expect(await post(p.body, bytes)).toBe(409);
    await server.idle();
    const v = await verdict(p.body.verdictToken);
    expect(v.body.status).toBe('rejected');
    expect(JSON.stringify(v.body.issues)).toContain('does not match the folder');
    expect((await inboxKeys()).filter((k) => !before.includes(k))).toEqual([p.body.post.fields.key]);
  });

  it('reveals nothing through a verdict token that is not one, or names another key', async () => {
    const upload = tokenOf(await linkFor('pmlp-reception', '2025-Q3'));
    expect((await verdict(upload)).status).toBe(403);
    expect((await verdict('x.y')).status).toBe(403);
    expect((await fetch(`${server.origin}/api/annotated?v=${encodeURIComponent(upload)}`)).status).toBe(403);
  });

  it("links a rejection whose period cannot be read to the project's next due period", async () => {
    const bad = await correctedUpload(
      programme.data,
      'one-stop-shop',
      '2025-Q2',
      (c) => {
        c.period = 'ceturtais';
      },
      { key: 'inbox/one-stop-shop/bez-perioda.xlsx', uploadedAt: '2025-10-09T08:00:00.000Z' },
    );
    await stage(bucket, [bad]);
    const deps = localDeps({ store: bucket, outbox, now: NOW, port: Number(new URL(server.origin).port) });
    expect((await ingestObject(deps, bad.key)).status).toBe('rejected');
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(outbox, f)))));
    const mail = mails.find((m) => String(m.headers.get('x-pmif-delivery')).includes('bez-perioda'))!;
    const link = /http:\/\/localhost:\d+\/upload\?t=[A-Za-z0-9_.%-]+/.exec(mail.text ?? '')![0];
    const v = verifyUploadLink(await deps.links.keys.keyRing(), tokenOf(link), parseNow(NOW));
    // On 10 October 2025 the next deadline ahead is 2025-Q3's (15 October).
    expect(v.ok && v.scope).toEqual({ project: 'one-stop-shop', period: '2025-Q3' });
  });

  it('puts a link into every reminder and receipt the flow wrote, naming the mail project and period', async () => {
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(outbox, f)))));
    const coordinators = mails.filter((m) =>
      /^(uploads|2025-Q3\/reminders)\//.test(String(m.headers.get('x-pmif-delivery'))),
    );
    // The two reminders of the first run, and a receipt for every upload the tests above made.
    expect(coordinators.length).toBeGreaterThanOrEqual(2);
    // Mails from before the rotation test carry the first key, later ones the rotated key.
    const now = await new KeyFileLinkKeys(join(dir, 'link-keys.json')).keyRing();
    const ring = { current: now.current, previous: firstRing.current };
    for (const m of coordinators) {
      const link = /http:\/\/localhost:\d+\/upload\?t=[A-Za-z0-9_.%-]+/.exec(m.text ?? '')?.[0];
      expect(link, m.subject).toBeDefined();
      expect(m.html).toContain(`href="${link}"`);
      const v = verifyUploadLink(ring, tokenOf(link!), parseNow(NOW));
      expect(v.ok).toBe(true);
      // The subject names project and period for reminders and acceptances; the token must name the same.
      const named = /PMIF ([a-z0-9-]+) (\d{4}-Q[1-4])/.exec(m.subject ?? '');
      if (v.ok && named) expect([v.scope.project, v.scope.period]).toEqual([named[1], named[2]]);
    }
  });
});
