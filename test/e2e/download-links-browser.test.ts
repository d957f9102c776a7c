/**
 * Download links and the revision page in a real browser (Debian Chromium through playwright-core) against
 * `pmif-reports serve` (issue 18). The flow runs with a low attachment limit, so the managers' e-mails attach
 * nothing: each mail's HTML is opened in the browser and every report link clicked; the downloaded bytes must equal
 * the archived object, in the reader's edition. The auditor's e-mail leads to the revision page, whose listed sizes
 * and hashes must equal the manifest's and whose every download is byte-equal to the archive. Altered, expired and
 * key-substituted links open nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { KeyFileLinkKeys } from '../../functions/adapters/key-file';
import { deliverPeriod } from '../../functions/app/deliver';
import { parseJson } from '../../functions/app/deps';
import { generatePeriod } from '../../functions/app/generate';
import { runAll } from '../../functions/app/run';
import { localDeps, parseNow } from '../../functions/cli/local-deps';
import { type RunningServer, startServer } from '../../functions/cli/serve';
import { signDownloadLink, signRevisionLink } from '../../functions/core/download-link';
import { keys, parseReportFile, parseReportKey } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import { signingKey } from '../../functions/core/signed-link';
import { launchChromium } from '../helpers/browser';
import { type SmallProgramme, smallProgramme, stage } from '../helpers/small-programme';

const NOW = '2025-10-10';
const PERIOD = '2025-Q2';
let dir: string;
let bucket: string;
let outbox: string;
let programme: SmallProgramme;
let server: RunningServer;
let browser: Browser;
let store: FolderStore;
let manifest: Manifest;
let mails: ParsedMail[];

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const deliveryId = (m: ParsedMail) => String(m.headers.get('x-pmif-delivery') ?? '');
const recipient = (m: ParsedMail) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0]?.address ?? '';

async function readOutbox(): Promise<ParsedMail[]> {
  const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => simpleParser(await readFile(join(outbox, f)))));
}

async function archived(key: string): Promise<Uint8Array> {
  const obj = await store.get(key);
  if (!obj) throw new Error(`${key} is not in the store`);
  return obj.bytes;
}

/** Click a link on `page` that starts a download; the bytes it saved. */
async function clickDownload(page: Page, selector: string): Promise<{ bytes: Buffer; name: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  const path = await download.path();
  return { bytes: await readFile(path), name: download.suggestedFilename() };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pmif-downloads-'));
  bucket = join(dir, 'bucket');
  outbox = join(dir, 'outbox');
  store = new FolderStore(bucket);
  programme = await smallProgramme([PERIOD]);
  await stage(bucket, [programme.registry, ...programme.submissions]);
  server = await startServer({ store: bucket, outbox, now: NOW, port: 0 });
  const port = Number(new URL(server.origin).port);
  // A limit no report fits under: the managers' mails attach nothing and link everything. The run ingests (and
  // holds the never-reported backfill); the one period is issued and delivered as the scheduler would.
  const deps = localDeps({ store: bucket, outbox, now: NOW, port, maxMailBytes: 1000 });
  await runAll(deps);
  await generatePeriod(deps, { period: PERIOD });
  await deliverPeriod(deps, PERIOD);
  manifest = parseJson<Manifest>(await archived(keys.manifest(PERIOD, 1)));
  mails = await readOutbox();
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const managerMails = () =>
  mails.filter((m) => deliveryId(m).startsWith(`${PERIOD}/r1/`) && !deliveryId(m).includes('/auditors/'));
const auditorMails = () => mails.filter((m) => deliveryId(m).startsWith(`${PERIOD}/r1/auditors/`));

describe("managers' e-mail with a low attachment limit", () => {
  it('attaches nothing, and every project report of the revision is one click away in the reader edition', async () => {
    const registryRecipients = programme.data.registry.recipients.filter((r) => r.role === 'manager');
    expect(managerMails().map(recipient).sort()).toEqual(registryRecipients.map((r) => r.email).sort());
    const projects = [...new Set(manifest.outputs.map((o) => parseReportFile(parseReportKey(o.key)!.file)?.subject))]
      .filter((s): s is string => s !== undefined && s !== 'programme')
      .sort();
    expect(projects.length).toBeGreaterThanOrEqual(2);
    let clicked = 0;
    for (const mail of managerMails()) {
      expect(mail.attachments).toEqual([]);
      const who = registryRecipients.find((r) => r.email === recipient(mail))!;
      const sees = who.projects.length === 0 ? projects : projects.filter((p) => who.projects.includes(p));
      const suffix = who.language === 'en' ? '.en' : '';
      // Every report this manager sees (and the programme summary), both formats, in their edition.
      const expected = ['programme', ...sees].flatMap((s) => [
        `${keys.revisionPrefix(PERIOD, 1)}${s}${suffix}.pdf`,
        `${keys.revisionPrefix(PERIOD, 1)}${s}${suffix}.xlsx`,
      ]);
      const page = await browser.newPage();
      await page.setContent(String(mail.html));
      const hrefs = await page
        .locator('a[href*="/download?"]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      expect(hrefs.map((h) => new URL(h).searchParams.get('k')).sort()).toEqual(expected.sort());
      for (const href of hrefs) {
        const key = new URL(href).searchParams.get('k')!;
        const got = await clickDownload(page, `a[href="${href}"]`);
        expect(got.bytes.equals(Buffer.from(await archived(key))), key).toBe(true);
        expect(got.name).toBe(`${PERIOD}-r1-${parseReportKey(key)!.file}`);
        clicked++;
      }
      // The plain-text part carries the same links, for readers without HTML.
      for (const href of hrefs) expect(mail.text).toContain(href);
      await page.close();
    }
    expect(clicked).toBeGreaterThanOrEqual(4 * 2);
  });

  it('links the revision page, whose links live 90 days', async () => {
    const mail = managerMails()[0]!;
    const href = /http:\/\/localhost:\d+\/revision\?t=[A-Za-z0-9_.%-]+/.exec(mail.text ?? '')?.[0];
    expect(href).toBeDefined();
    const page = await browser.newPage();
    const response = await page.goto(href!);
    expect(response?.status()).toBe(200);
    const until = new Date(parseNow(NOW).getTime() + 90 * 86_400_000).toISOString().slice(0, 10);
    expect(await page.locator('dl').innerText()).toContain(until);
    await page.close();
  });
});

describe("auditors' e-mail", () => {
  it('is one short mail per auditor, without attachments, sent once however often the flow runs', async () => {
    const auditors = programme.data.registry.recipients.filter((r) => r.role === 'auditor').map((r) => r.email);
    expect(auditors.length).toBeGreaterThan(0);
    expect(auditorMails().map(recipient).sort()).toEqual(auditors.sort());
    for (const m of auditorMails()) expect(m.attachments).toEqual([]);
    const deps = localDeps({ store: bucket, outbox, now: NOW, port: Number(new URL(server.origin).port) });
    const again = await deliverPeriod(deps, PERIOD);
    expect(again.auditors).toMatchObject({ sent: 0, alreadySent: auditors.length });
    expect((await readOutbox()).length).toBe(mails.length);
  });

  it("leads to a revision page whose hashes equal the manifest's and whose downloads equal the archive", async () => {
    const mail = auditorMails()[0]!;
    const page = await browser.newPage();
    await page.setContent(String(mail.html));
    await Promise.all([page.waitForURL(/\/revision\?t=/), page.locator('a[href*="/revision?"]').first().click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe('lv');
    expect(await page.locator('[lang="en"]').count()).toBeGreaterThan(10);

    const rows = await page.locator('#outputs tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        key: tr.getAttribute('data-key'),
        bytes: Number(tr.querySelector('[data-bytes]')?.getAttribute('data-bytes')),
        sha256: tr.querySelector('[data-sha256]')?.getAttribute('data-sha256'),
      })),
    );
    expect(rows).toEqual(manifest.outputs.map((o) => ({ key: o.key, bytes: o.bytes, sha256: o.sha256 })));
    // What a reader sees is the same hash as the attribute, not a reformatted one.
    for (const o of manifest.outputs) expect(await page.locator('#outputs').innerText()).toContain(o.sha256);

    const sources = await page.locator('#sources [data-sha256]').evaluateAll((tds) => tds.map((td) => td.textContent));
    expect(sources).toEqual([manifest.registry.sha256, ...manifest.sources.map((s) => s.sha256)]);
    const manifestBytes = await archived(keys.manifest(PERIOD, 1));
    expect(await page.locator('#manifest [data-sha256]').textContent()).toBe(sha256(manifestBytes));
    expect(await page.locator('#verify-command').innerText()).toContain(
      `pmif-reports archive verify ${PERIOD} --revision 1 --manifest-sha256 ${sha256(manifestBytes)}`,
    );
    expect(await page.locator('#changes').innerText()).toMatch(/First revision/);

    // Tables have captions and header cells with a scope; no script is on the page.
    expect(await page.locator('table:not(:has(caption))').count()).toBe(0);
    expect(await page.locator('th:not([scope])').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);

    for (const o of manifest.outputs) {
      const got = await clickDownload(page, `tr[data-key="${o.key}"] a`);
      expect(sha256(got.bytes), o.key).toBe(o.sha256);
      expect(got.bytes.equals(Buffer.from(await archived(o.key)))).toBe(true);
    }
    const got = await clickDownload(page, '#manifest a');
    expect(got.bytes.equals(Buffer.from(manifestBytes))).toBe(true);
    await page.close();
  });
});

describe('links that open nothing', () => {
  async function open(url: string): Promise<{ status: number; text: string; downloaded: boolean }> {
    const page = await browser.newPage();
    let downloaded = false;
    page.on('download', () => {
      downloaded = true;
    });
    const response = await page.goto(url);
    const result = { status: response?.status() ?? 0, text: await page.locator('body').innerText(), downloaded };
    await page.close();
    return result;
  }

  const someLink = () => {
    const html = String(managerMails()[0]!.html);
    return new URL(/href="(http:\/\/localhost:\d+\/download\?[^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'));
  };

  it('an altered token', async () => {
    const url = someLink();
    const token = url.searchParams.get('t')!;
    for (const i of [5, Math.floor(token.length / 2), token.length - 1]) {
      const altered = new URL(url);
      const c = token[i] === 'A' ? 'B' : 'A';
      altered.searchParams.set('t', token.slice(0, i) + c + token.slice(i + 1));
      const r = await open(altered.href);
      expect(r.status, `position ${i}`).toBe(403);
      expect(r.downloaded).toBe(false);
      expect(r.text).toContain('This link is not valid');
    }
  });

  it('an expired token, with a page that says whom to ask', async () => {
    const ring = await new KeyFileLinkKeys(join(dir, 'link-keys.json')).keyRing();
    const key = keys.programmeReport(PERIOD, 1, 'pdf');
    const expired = signDownloadLink(ring, [key], parseNow('2025-10-01'));
    const r = await open(`${server.origin}/download?t=${encodeURIComponent(expired)}&k=${encodeURIComponent(key)}`);
    expect(r.status).toBe(410);
    expect(r.downloaded).toBe(false);
    expect(r.text).toContain('This link expired on 2025-10-01');
    expect(r.text).toContain('Šīs saites derīguma termiņš beidzās');
    // Whom to ask: the managing authority's managers, from the registry in force.
    for (const m of programme.data.registry.recipients.filter((x) => x.role === 'manager')) {
      expect(r.text).toContain(m.email);
    }
    const page = signRevisionLink(ring, { period: PERIOD, revision: 1 }, parseNow('2025-10-01'));
    const p = await open(`${server.origin}/revision?t=${encodeURIComponent(page)}`);
    expect(p.status).toBe(410);
    expect(p.text).toContain('This link expired');
  });

  it('a valid token with another key put into the URL, and a token signed by another key', async () => {
    const url = someLink();
    const named = url.searchParams.get('k')!;
    // The link's token names a report's PDF and XLSX: every other archived file must stay shut.
    const pair = [named, named.replace(/\.pdf$/, '.xlsx'), named.replace(/\.xlsx$/, '.pdf')];
    const others = [...manifest.outputs.map((o) => o.key), keys.manifest(PERIOD, 1), keys.plan(PERIOD, 1)];
    for (const other of others.filter((k) => !pair.includes(k))) {
      const substituted = new URL(url);
      substituted.searchParams.set('k', other);
      const r = await open(substituted.href);
      expect({ other, status: r.status, downloaded: r.downloaded }).toEqual({ other, status: 403, downloaded: false });
    }
    const foreign = signDownloadLink({ current: signingKey(randomBytes(32)) }, [named], parseNow('2026-01-01'));
    const r = await open(`${server.origin}/download?t=${encodeURIComponent(foreign)}&k=${encodeURIComponent(named)}`);
    expect(r.status).toBe(403);
    expect(r.downloaded).toBe(false);
  });
});
