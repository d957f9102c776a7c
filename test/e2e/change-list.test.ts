/**
 * A revision's change list is complete in every output (issue 14): the programme PDF, the programme XLSX's
 * `Izmaiņas` / `Changes` sheet and the managers' e-mail name, in both editions, every project added or removed and
 * every changed registry field the report prints, with its old and new value, and a reissue's reason. Contacts and
 * the reminder days are not printed, so they are neither listed nor a reason for a revision.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/app/deps';
import { reissuePeriod } from '../../functions/app/reissue';
import { runAll } from '../../functions/app/run';
import { formatAmount, formatDate, formatQuantity } from '../../functions/core/format';
import { keys } from '../../functions/core/keys';
import type { Lang } from '../../functions/core/types';
import type { SampleRegistry } from '../../sample/sample-projects';
import { injectFaults, type SentMail } from '../helpers/faults';
import {
  localDeps,
  recordingLogger,
  registryOf,
  registryUpload,
  SMALL_PROJECTS,
  type SmallProgramme,
  smallProgramme,
  stage,
} from '../helpers/small-programme';

const PERIOD = '2023-Q3';
const RUN = { workers: 1 };
const REASON = 'EU share rounding corrected (half-cent rule)';
const LANGS: Lang[] = ['lv', 'en'];
const addedOrRemoved = { lv: ['pievienots', 'izņemts'], en: ['added', 'removed'] };

let root: string;
let bucket: string;
let programme: SmallProgramme;
let before: SampleRegistry;
let after: SampleRegistry;

async function runAt(now: string, step?: (deps: Deps) => Promise<unknown>) {
  const base = localDeps(bucket, join(root, 'outbox'), new Date(now), recordingLogger([]));
  const sent: SentMail[] = [];
  const counted = injectFaults(base, [], { sent });
  const deps: Deps = { ...base, store: counted.store, mailer: counted.mailer };
  if (step) await step(deps);
  const result = await runAll(deps, undefined, RUN);
  return { result, sent, deps };
}

async function pdfText(deps: Deps, revision: number, edition?: 'en'): Promise<string> {
  const bytes = (await deps.store.get(keys.programmeReport(PERIOD, revision, 'pdf', edition)))!.bytes;
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  // Grouped digits use no-break spaces, and lines wrap: compare with single plain spaces.
  return text.replace(/[\u00a0\u202f\s]+/g, ' ');
}

/** The change sheet's rows as text (A..D), reloaded from the archived workbook. */
async function changeRows(deps: Deps, revision: number, lang: Lang): Promise<string[][]> {
  const bytes = (await deps.store.get(
    keys.programmeReport(PERIOD, revision, 'xlsx', lang === 'en' ? 'en' : undefined),
  ))!.bytes;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet(lang === 'lv' ? 'Izmaiņas' : 'Changes');
  expect(sheet, `r${revision} ${lang} has a changes sheet`).toBeDefined();
  const rows: string[][] = [];
  sheet!.eachRow((row, n) => {
    if (n > 1) rows.push([1, 2, 3, 4].map((c) => String(row.getCell(c).value ?? '')));
  });
  return rows;
}

const flat = (s: string) => s.replace(/[\u00a0\u202f\s]+/g, ' ');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-change-list-'));
  bucket = join(root, 'bucket');
  programme = await smallProgramme(['2023-Q1', '2023-Q2', '2023-Q3']);
  before = registryOf(programme.data, SMALL_PROJECTS);
  await stage(bucket, [programme.registry, ...programme.submissions]);
  const first = await runAt('2023-10-20T04:00:00Z');
  expect(first.result.failures).toEqual([]);

  // The next registry: one-stop-shop taken out, latvian-language (from 2023-07-01) in, and pmlp-reception's
  // printed fields changed; a coordinator's address and the reminder days change too (printed nowhere).
  after = structuredClone(registryOf(programme.data, ['pmlp-reception', 'latvian-language']));
  const pmlp = after.projects.find((p) => p.id === 'pmlp-reception')!;
  pmlp.title = `${pmlp.title} (precizēts)`;
  pmlp.eligibleCost += 1234.5;
  pmlp.end = '2026-06-30';
  pmlp.coordinatorEmails = ['jauna.adrese@pmlp.example.lv'];
  after.targets.find((t) => t.projectId === 'pmlp-reception')!.target += 7;
  after.budget.find((b) => b.projectId === 'pmlp-reception')!.planned += 100;
  after.settings = { ...after.settings, reminderDays: after.settings.reminderDays + 1 };
  await stage(bucket, [await registryUpload(after, 'registry/registry-2.xlsx', '2023-10-24T08:00:00Z')]);
}, 180_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe("a revision's change list", () => {
  it('names projects added and removed and every printed field old → new, in the PDF, the XLSX and the e-mail, both editions', async () => {
    const { result, sent, deps } = await runAt('2023-10-25T04:00:00Z');
    expect(result.failures).toEqual([]);
    expect(result.generated.find((g) => g.period === PERIOD)).toMatchObject({ status: 'generated', revision: 2 });

    const pmlpBefore = before.projects.find((p) => p.id === 'pmlp-reception')!;
    const pmlpAfter = after.projects.find((p) => p.id === 'pmlp-reception')!;
    const targetBefore = before.targets.find((t) => t.projectId === 'pmlp-reception')!;
    const budgetBefore = before.budget.find((b) => b.projectId === 'pmlp-reception')!;
    const removed = before.projects.find((p) => p.id === 'one-stop-shop')!;
    const added = after.projects.find((p) => p.id === 'latvian-language')!;
    // What every output must say, per language: [project, old, new] (the field's wording is the outputs' own).
    const expected = (lang: Lang): [string, string, string][] => [
      ['latvian-language', '—', added.title],
      ['one-stop-shop', removed.title, '—'],
      ['pmlp-reception', pmlpBefore.title, pmlpAfter.title],
      ['pmlp-reception', formatDate(pmlpBefore.end, lang), formatDate(pmlpAfter.end, lang)],
      ['pmlp-reception', formatAmount(pmlpBefore.eligibleCost, lang), formatAmount(pmlpAfter.eligibleCost, lang)],
      ['pmlp-reception', formatQuantity(targetBefore.target, lang), formatQuantity(targetBefore.target + 7, lang)],
      ['pmlp-reception', formatAmount(budgetBefore.planned, lang), formatAmount(budgetBefore.planned + 100, lang)],
    ];

    for (const lang of LANGS) {
      const rows = await changeRows(deps, 2, lang);
      for (const [project, old, now] of expected(lang)) {
        const row = rows.find((r) => r[0] === project && flat(r[2]!) === flat(old) && flat(r[3]!) === flat(now));
        expect(row, `${lang} XLSX: ${project} ${old} → ${now}`).toBeDefined();
      }
      const pdf = await pdfText(deps, 2, lang === 'en' ? 'en' : undefined);
      const mails = sent.filter((m) => m.delivery.startsWith(`${PERIOD}/r2/`));
      expect(mails.length).toBeGreaterThan(0);
      const mailText = mails
        .filter((m) => (lang === 'lv' ? /^Labots/ : /^Corrected/).test(m.subject))
        .map((m) => flat(m.text))
        .join('\n');
      expect(mailText, `a ${lang} manager mail`).not.toBe('');
      for (const [project, old, now] of expected(lang)) {
        for (const [what, text] of [
          ['PDF', pdf],
          ['e-mail', mailText],
        ] as const) {
          expect(text, `${lang} ${what}: ${project} ${old} → ${now}`).toContain(project);
          // A project added or removed is named with its title; a field reads old → new.
          const membership = old === '—' || now === '—';
          const said = membership
            ? `${project} ${addedOrRemoved[lang][old === '—' ? 0 : 1]}: ${old === '—' ? now : old}`
            : `${old} → ${now}`;
          expect(text, `${lang} ${what}: ${said}`).toContain(flat(said));
        }
      }
      // Contacts and reminder days are printed nowhere, so they are not listed.
      for (const text of [pdf, mailText, rows.flat().join(' ')]) {
        expect(text).not.toContain('jauna.adrese@pmlp.example.lv');
        expect(text).not.toMatch(/reminder|atgādinājum/i);
      }
    }
  }, 180_000);

  it("carries a reissue's reason in all three, both editions", async () => {
    const { result, sent, deps } = await runAt('2023-10-26T04:00:00Z', (deps) =>
      reissuePeriod(deps, { period: PERIOD, reason: REASON, workers: 1 }),
    );
    expect(result.failures).toEqual([]);
    const lines = { lv: `Pārizdots: ${REASON}`, en: `Re-issued: ${REASON}` };
    for (const lang of LANGS) {
      expect((await changeRows(deps, 3, lang)).map((r) => r[1])).toContain(lines[lang]);
      expect(await pdfText(deps, 3, lang === 'en' ? 'en' : undefined)).toContain(lines[lang]);
      const mails = sent.filter(
        (m) => m.delivery.startsWith(`${PERIOD}/r3/`) && (lang === 'lv' ? /^Labots/ : /^Corrected/).test(m.subject),
      );
      expect(mails.length, `${lang} mails of r3`).toBeGreaterThan(0);
      for (const m of mails) expect(flat(m.text)).toContain(lines[lang]);
    }
  }, 180_000);

  it('a reminder-days-only registry change issues nothing', async () => {
    const next = structuredClone(after);
    next.settings = { ...next.settings, reminderDays: next.settings.reminderDays + 1 };
    await stage(bucket, [await registryUpload(next, 'registry/registry-3.xlsx', '2023-10-27T08:00:00Z')]);
    const { result, sent } = await runAt('2023-10-28T04:00:00Z');
    expect(result.generated.map((g) => g.status)).toEqual(result.generated.map(() => 'unchanged'));
    expect(sent.filter((m) => /^\d{4}-Q[1-4]\/r\d+\//.test(m.delivery))).toEqual([]);
  }, 180_000);
});
