/**
 * Late corrections (issue 6): after 2023-Q1..Q3 were reported, a coordinator corrects a past quarter. The next run
 * issues r2 of that quarter, and of every later quarter whose figures the correction moves (cumulative values!),
 * leaves the others as issued, and e-mails each manager exactly one "Labots pārskats" / "Corrected report" per new
 * revision, listing project, indicator, old → new. The expected changes are computed here from the two workbooks'
 * contents, not from the report model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../functions/app/deps';
import { type RunResult, runAll } from '../../functions/app/run';
import { formatQuantity } from '../../functions/core/format';
import { keys } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import { diffFigures } from '../../functions/core/report-model';
import { SUBMISSION_STATUS_LABELS } from '../../functions/core/report-types';
import { MAIL_TEXT } from '../../functions/mail/mail-text';
import type { SampleData, SubmissionContent } from '../../sample/sample-projects';
import { injectFaults, type SentMail } from '../helpers/faults';
import {
  correctedUpload,
  type LogLine,
  localDeps,
  recordingLogger,
  type SmallProgramme,
  smallProgramme,
  stage,
} from '../helpers/small-programme';

const PERIODS = ['2023-Q1', '2023-Q2', '2023-Q3'];
const RUN = { workers: 1 };
const MANAGERS = {
  'pmif.vadiba@iem.example.lv': 'lv',
  'integracija@km.example.lv': 'lv',
  'programme.officer@iem.example.lv': 'en',
};

let root: string;
let bucket: string;
let outbox: string;
let programme: SmallProgramme;
const lines: LogLine[] = [];
/** The managers' mails of the first run (r1 of every quarter). */
let firstMails: SentMail[];

const decoder = new TextDecoder();

/** A run at `now` through a counting mailer; returns the run's result and the mails it sent. */
async function runAt(now: string) {
  const base = localDeps(bucket, outbox, new Date(now), recordingLogger(lines));
  const sent: SentMail[] = [];
  const counted = injectFaults(base, [], { sent });
  const deps: Deps = { ...base, store: counted.store, mailer: counted.mailer };
  const result = await runAll(deps, undefined, RUN);
  return { result, sent, deps };
}

async function manifest(deps: Deps, period: string, revision: number): Promise<Manifest> {
  const obj = await deps.store.get(keys.manifest(period, revision));
  if (!obj) throw new Error(`no manifest for ${period} r${revision}`);
  return JSON.parse(decoder.decode(obj.bytes)) as Manifest;
}

const generatedOf = (result: RunResult) =>
  result.generated.map((g) => [g.period, g.status, 'revision' in g ? g.revision : null]);
const managerMails = (sent: SentMail[]) => sent.filter((m) => /^\d{4}-Q[1-4]\/r\d+\//.test(m.delivery));
const revisionOf = (m: SentMail) => m.delivery.split('/').slice(0, 2).join('/');

/** Cumulative figures of one project from workbook contents: every `sum` indicator and spending, up to `period`. */
function cumulative(contents: SubmissionContent[], period: string, code: string): number {
  return contents
    .filter((c) => c.period <= period)
    .reduce(
      (sum, c) =>
        sum +
        (code === 'finance'
          ? c.expenditure.reduce((s, e) => s + e.amount, 0)
          : Number(c.indicators.find((i) => i.code === code)?.value ?? 0)),
      0,
    );
}

function contentsOf(data: SampleData, projectId: string): SubmissionContent[] {
  return data.submissions.filter((s) => s.content.projectId === projectId).map((s) => s.content);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-revisions-'));
  bucket = join(root, 'bucket');
  outbox = join(root, 'outbox');
  programme = await smallProgramme(PERIODS);
  // For 2023-Q3, pmlp-reception submits nothing and one-stop-shop submits after the deadline (15 October).
  const uploads = programme.submissions
    .filter((u) => u.key !== 'inbox/pmlp-reception/2023-Q3.xlsx')
    .map((u) => (u.key === 'inbox/one-stop-shop/2023-Q3.xlsx' ? { ...u, uploadedAt: '2023-10-18T09:00:00.000Z' } : u));
  await stage(bucket, [programme.registry, ...uploads]);
  // Five days after the 2023-Q3 deadline: all three quarters are reported as r1.
  const { result, sent } = await runAt('2023-10-20T04:00:00Z');
  expect(generatedOf(result)).toEqual(PERIODS.map((p) => [p, 'generated', 1]));
  firstMails = managerMails(sent);
  expect(firstMails).toHaveLength(9);
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

describe('revisions after late corrections', () => {
  it("lists the late and missing projects in the managers' e-mail after the deadline", () => {
    const q3 = firstMails.filter((m) => revisionOf(m) === '2023-Q3/r1');
    expect(q3.map((m) => m.to.join()).sort()).toEqual(Object.keys(MANAGERS).sort());
    for (const mail of q3) {
      const lang = MANAGERS[mail.to[0] as keyof typeof MANAGERS] as 'lv' | 'en';
      expect(mail.subject.startsWith('Labots') || mail.subject.startsWith('Corrected')).toBe(false);
      expect(mail.text).toContain(`${SUBMISSION_STATUS_LABELS.late[lang]}: 1 — one-stop-shop\n`);
      expect(mail.text).toContain(`${SUBMISSION_STATUS_LABELS.missing[lang]}: 1 — pmlp-reception\n`);
      expect(mail.text).toContain(`${SUBMISSION_STATUS_LABELS['on-time'][lang]}: 0\n`);
    }
  });

  it('re-issues only the corrected quarter when the correction moves no figure', async () => {
    // pmlp-reception re-uploads 2023-Q1 with a reworded narrative: new sources, the same numbers.
    const reworded = await correctedUpload(
      programme.data,
      'pmlp-reception',
      '2023-Q1',
      (c) => {
        c.progress.achievements = `${c.progress.achievements} Apraksts precizēts.`;
      },
      { key: 'inbox/pmlp-reception/2023-Q1 precizets.xlsx', uploadedAt: '2023-10-24T09:00:00.000Z' },
    );
    await stage(bucket, [reworded]);
    const { result, sent, deps } = await runAt('2023-10-25T04:00:00Z');

    expect(generatedOf(result)).toEqual([
      ['2023-Q1', 'generated', 2],
      ['2023-Q2', 'unchanged', 1],
      ['2023-Q3', 'unchanged', 1],
    ]);
    const r2 = await manifest(deps, '2023-Q1', 2);
    expect(r2.sources.map((s) => s.key)).toContain(reworded.key);
    expect(diffFigures((await manifest(deps, '2023-Q1', 1)).figures, r2.figures)).toEqual([]);

    const mails = managerMails(sent);
    expect(mails.map((m) => [m.to.join(), revisionOf(m)]).sort()).toEqual(
      Object.keys(MANAGERS)
        .map((to) => [to, '2023-Q1/r2'])
        .sort(),
    );
    for (const mail of mails) {
      const lang = MANAGERS[mail.to[0] as keyof typeof MANAGERS];
      expect(mail.subject.startsWith(lang === 'lv' ? 'Labots pārskats: ' : 'Corrected report: ')).toBe(true);
      expect(mail.text).toContain(
        lang === 'lv'
          ? 'Neviena rādītāja vai izdevumu vērtība nav mainījusies.'
          : 'No indicator or spending figure has changed.',
      );
    }
  });

  it('re-issues the corrected quarter and every later one whose figures move, listing old → new', async () => {
    const contentsBefore = contentsOf(programme.data, 'one-stop-shop');
    const fix = (c: SubmissionContent) => {
      c.indicators.find((i) => i.code === 'P.6')!.value = 500;
      c.expenditure.find((e) => e.category === 'Personāla izmaksas')!.amount += 1000;
    };
    const corrected = await correctedUpload(programme.data, 'one-stop-shop', '2023-Q2', fix, {
      key: 'inbox/one-stop-shop/2023-Q2 labots.xlsx',
      uploadedAt: '2023-10-27T10:00:00.000Z',
    });
    const contentsAfter = contentsBefore.map((c) => {
      if (c.period !== '2023-Q2') return c;
      const copy = structuredClone(c);
      fix(copy);
      return copy;
    });
    expect(
      contentsBefore.find((c) => c.period === '2023-Q2')!.indicators.find((i) => i.code === 'P.6')!.value,
    ).not.toBe(500);
    await stage(bucket, [corrected]);
    const { result, sent, deps } = await runAt('2023-10-28T04:00:00Z');

    // 2023-Q1 (one-stop-shop had not started) keeps its r2; Q2 and Q3 (cumulative values move) get r2.
    expect(generatedOf(result)).toEqual([
      ['2023-Q1', 'unchanged', 2],
      ['2023-Q2', 'generated', 2],
      ['2023-Q3', 'generated', 2],
    ]);

    for (const period of ['2023-Q2', '2023-Q3']) {
      const expected = ['P.6', 'finance'].map((figure) => ({
        projectId: 'one-stop-shop',
        figure,
        old: cumulative(contentsBefore, period, figure),
        new: cumulative(contentsAfter, period, figure),
      }));
      const actual = diffFigures((await manifest(deps, period, 1)).figures, (await manifest(deps, period, 2)).figures);
      expect(actual.map((c) => [c.projectId, c.figure])).toEqual(expected.map((c) => [c.projectId, c.figure]));
      for (const [i, change] of actual.entries()) {
        expect(change.old, `${period} ${change.figure} old`).toBeCloseTo(expected[i]!.old, 6);
        expect(change.new, `${period} ${change.figure} new`).toBeCloseTo(expected[i]!.new, 6);
      }

      // The programme workbook of r2 lists the same changes (project, figure, old, new).
      const wb = new ExcelJS.Workbook();
      const xlsx = (await deps.store.get(keys.programmeReport(period, 2, 'xlsx')))!.bytes;
      await wb.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('Izmaiņas');
      expect(sheet, `${period} r2 has a changes sheet`).toBeDefined();
      const rows = expected.map((_, i) => sheet!.getRow(i + 2).values as unknown[]);
      expect(rows.map((r) => r[1])).toEqual(['one-stop-shop', 'one-stop-shop']);
      expect(rows[0]![2]).toBe('P.6');
      expect(rows.map((r) => [Number(r[3]), Number(r[4])])).toEqual(
        expected.map((c) => [expect.closeTo(c.old, 6), expect.closeTo(c.new, 6)]),
      );
      expect(sheet!.getRow(expected.length + 2).getCell(1).value ?? null).toBeNull();

      // r1 stays archived as it was issued.
      expect(await deps.store.get(keys.programmeReport(period, 1, 'pdf'))).toBeDefined();
    }

    // One corrected-report mail per manager per new revision, in the manager's language, with the changes.
    const mails = managerMails(sent);
    expect(mails.map((m) => [m.to.join(), revisionOf(m)]).sort()).toEqual(
      Object.keys(MANAGERS)
        .flatMap((to) => [
          [to, '2023-Q2/r2'],
          [to, '2023-Q3/r2'],
        ])
        .sort(),
    );
    for (const mail of mails) {
      const lang = MANAGERS[mail.to[0] as keyof typeof MANAGERS] as 'lv' | 'en';
      const period = revisionOf(mail).slice(0, 7);
      expect(mail.subject).toBe(
        lang === 'lv'
          ? `Labots pārskats: PMIF progresa pārskats ${period} (r2)`
          : `Corrected report: PMIF progress report ${period} (r2)`,
      );
      // The changes section: from its heading to the summary's.
      const text = mail.text;
      const changes = text
        .slice(text.indexOf(MAIL_TEXT.changesHeading[lang]), text.indexOf(`\n${MAIL_TEXT.summaryHeading[lang]}\n`))
        .split('\n')
        .filter((line) => line.includes(' | ') && !line.startsWith(MAIL_TEXT.projectId[lang]));
      const oldValue = formatQuantity(cumulative(contentsBefore, period, 'P.6'), lang);
      const newValue = formatQuantity(cumulative(contentsAfter, period, 'P.6'), lang);
      expect(changes, mail.subject).toHaveLength(2);
      expect(changes[0]).toMatch(new RegExp(`^one-stop-shop \\| .+ \\| P\\.6 — .+ \\| ${oldValue} \\| ${newValue}$`));
      expect(changes[1]).toMatch(new RegExp(`^one-stop-shop \\| .+ \\| ${MAIL_TEXT.spendingFigure[lang]} \\| `));
    }
    // Nothing else changed: no report mail for 2023-Q1, and nobody warned.
    expect(lines.filter((l) => l.level !== 'info')).toEqual([]);
  });

  it('does nothing more when run again', async () => {
    const { result, sent } = await runAt('2023-10-29T04:00:00Z');
    expect(result.generated.map((g) => g.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(sent).toEqual([]);
  });
});
