/**
 * Every upload gets an answer (issue 14), from the folder store and a counting mailer: objects that are not where
 * uploads go, a sheet name exceljs refuses, a workbook naming another project, and uploads whose refusal a later
 * registry or date can lift (pending: not mailed until decided, one "still waiting" mail after a week).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import { ingestObject } from '../../functions/app/ingest';
import { keys, MISPLACED_FOLDER } from '../../functions/core/keys';
import { silentLogger } from '../../functions/core/ports';
import type { Registry, Rejection } from '../../functions/core/types';
import { CountingMailer } from '../helpers/faults';
import { stage } from '../helpers/small-programme';
import { renameSheet, type SheetRows, testRegistry, workbookBytes } from '../helpers/workbooks';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

const COORDINATOR = 'koordinators@example.lv';
const OTHER_COORDINATOR = 'citi@example.lv';

/** lv-courses (2023-07-01 .. 2026-06-30) and a second project with its own coordinator. */
function registry(version = 'reg1', extra: Partial<Registry> = {}): Registry {
  const r = testRegistry();
  const other = { ...r.projects[0]!, id: 'civic-course', coordinatorEmails: [OTHER_COORDINATOR] };
  return {
    ...r,
    source: { ...r.source, version },
    projects: [...r.projects, other],
    ...extra,
  };
}

function submission(projectId: string, period: string, value: number | string = 12): Record<string, SheetRows> {
  return {
    Projekts: [
      ['Projekta ID', projectId],
      ['Periods', period],
    ],
    Rādītāji: [
      ['Kods', 'Vērtība periodā'],
      ['O.2.3.1', value],
    ],
    Izdevumi: [
      ['Izmaksu kategorija', 'Summa periodā, EUR'],
      ['Personāla izmaksas', 100],
    ],
  };
}

async function setup(now = '2025-10-05T08:00:00Z') {
  const root = await mkdtemp(join(tmpdir(), 'pmif-answers-'));
  roots.push(root);
  const bucket = join(root, 'bucket');
  const mailer = new CountingMailer();
  const at = (instant: string): Deps => ({
    store: new FolderStore(bucket),
    mailer,
    clock: fixedClock(new Date(instant)),
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  });
  const upload = async (key: string, bytes: Uint8Array, uploadedAt = '2025-10-04T08:00:00Z') =>
    stage(bucket, [{ key, bytes, uploadedAt }]);
  return { deps: at(now), at, mailer, upload, bucket };
}

const decoder = new TextDecoder();
async function rejection(deps: Deps, key: string): Promise<Rejection> {
  return JSON.parse(decoder.decode((await deps.store.get(key))!.bytes)) as Rejection;
}

describe('objects that are not where uploads go', () => {
  const cases: { key: string; mailed: string[] }[] = [
    { key: 'inbox/x.xlsx', mailed: [] },
    { key: 'inbox/lv-courses/2025/x.xlsx', mailed: [COORDINATOR] },
    { key: 'inbox/lv-courses/a/b/c.xlsx', mailed: [COORDINATOR] },
    { key: 'inbox/lv-courses/atskaite.csv', mailed: [COORDINATOR] },
    { key: 'inbox/lv-courses/atskaite.xlsx.pdf', mailed: [COORDINATOR] },
    { key: 'inbox/lv-courses/atskaite', mailed: [COORDINATOR] },
    { key: 'inbox/Lv-Courses/atskaite.xlsx', mailed: [] },
    { key: 'inbox/no-such-project/2025/x.xlsx', mailed: [] },
    { key: 'registry/notes.txt', mailed: [] },
  ];
  it.each(cases)('$key is refused with a record and answered where the folder names a project', async (c) => {
    const { deps, mailer, upload } = await setup();
    await upload(c.key, await workbookBytes(submission('lv-courses', '2025-Q3')));
    const outcome = await ingestObject(deps, c.key, { registry: registry() });
    expect(outcome.status).toBe('rejected');
    if (outcome.status !== 'rejected') return;
    expect(outcome.issues.map((i) => i.code)).toEqual(['upload-misplaced']);
    // Filed under a folder no project ID can be.
    expect(outcome.recordKey.startsWith(`rejections/${MISPLACED_FOLDER}/`)).toBe(true);
    expect((await rejection(deps, outcome.recordKey)).source.key).toBe(c.key);
    expect(mailer.sent.map((m) => m.to)).toEqual(c.mailed.length ? [c.mailed] : []);
    // Answered once: a repeat is "already done", not a second mail.
    expect((await ingestObject(deps, c.key, { registry: registry() })).status).toBe('skipped');
    expect(mailer.sent.length).toBe(c.mailed.length ? 1 : 0);
  });

  it.each(['x.XLSX', 'x.Xlsx', 'x.xlsx'])('takes %s in a project folder as an ordinary upload', async (file) => {
    const { deps, mailer, upload } = await setup();
    const key = `inbox/lv-courses/${file}`;
    await upload(key, await workbookBytes(submission('lv-courses', '2025-Q3')));
    expect(await ingestObject(deps, key, { registry: registry() })).toMatchObject({ status: 'accepted' });
    expect(mailer.sent.map((m) => m.to)).toEqual([[COORDINATOR]]);
  });
});

describe('the answer goes to the folder that was written to', () => {
  it('refuses a workbook naming another project, mails only the folder’s coordinators and says so', async () => {
    const { deps, mailer, upload } = await setup();
    const key = 'inbox/civic-course/q3.xlsx';
    await upload(key, await workbookBytes(submission('lv-courses', '2025-Q3')));
    const outcome = await ingestObject(deps, key, { registry: registry() });
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(mailer.sent.map((m) => m.to)).toEqual([[OTHER_COORDINATOR]]);
    const mail = mailer.sent[0]!;
    expect(mail.text).toContain('names project lv-courses');
    expect(mail.text).toContain('coordinators of civic-course only');
    expect(mail.subject).toContain('civic-course');
  });
});

describe('a sheet name exceljs refuses', () => {
  it.each(['History', 'HISTORY', 'history'])('answers a refused workbook with a sheet named %s', async (name) => {
    const { deps, mailer, upload } = await setup();
    const key = 'inbox/lv-courses/q3.xlsx';
    const bytes = await workbookBytes({ ...submission('lv-courses', '2025-Q3', 'daudz'), Placeholder: [['x']] });
    await upload(key, renameSheet(bytes, 'Placeholder', name));
    const outcome = await ingestObject(deps, key, { registry: registry() });
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(mailer.sent).toHaveLength(1);
    const attached = mailer.sent[0]!.attachments[0]!;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(attached.content) as unknown as ArrayBuffer);
    // The coordinator's sheets come back, the protected one renamed.
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['Kļūdas', 'Projekts', 'Rādītāji']));
    expect(wb.worksheets.some((w) => /^history~2$/i.test(w.name))).toBe(true);
  });

  it('a registry upload with a History sheet is refused with a record, not a crash', async () => {
    const { deps, upload } = await setup();
    const bytes = await workbookBytes({ Placeholder: [['x']], Projekti: [['Projekta ID']] });
    await upload('registry/r.xlsx', renameSheet(bytes, 'Placeholder', 'History'));
    const outcome = await ingestObject(deps, 'registry/r.xlsx');
    expect(outcome).toMatchObject({ status: 'rejected', kind: 'registry' });
  });

  it('sends the issue list alone when the annotated copy cannot be built for any other reason', async () => {
    const annotate = await import('../../functions/workbooks/annotate-workbook');
    const real = annotate.buildAnnotatedWorkbook;
    // Fault injection: the first build (with the workbook) fails; the issue-list-only build is the real one.
    const spy = vi.spyOn(annotate, 'buildAnnotatedWorkbook').mockImplementation(async (workbook, issues) => {
      if (workbook !== null) throw new Error('injected: exceljs refused the copy');
      return real(workbook, issues);
    });
    try {
      const { deps, mailer, upload } = await setup();
      const key = 'inbox/lv-courses/q3.xlsx';
      await upload(key, await workbookBytes(submission('lv-courses', '2025-Q3', 'daudz')));
      const outcome = await ingestObject(deps, key, { registry: registry() });
      expect(outcome).toMatchObject({ status: 'rejected' });
      expect(mailer.sent).toHaveLength(1);
      expect(mailer.sent[0]!.text).toContain('The value is not a number.');
      expect(mailer.sent[0]!.text).toContain('annotated copy of the workbook could not be built');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('pending uploads', () => {
  it('keeps an upload for a quarter that has not begun, mails nothing, and accepts it once the quarter begins', async () => {
    const { at, mailer, upload, deps } = await setup();
    const key = 'inbox/lv-courses/2026-Q1.xlsx';
    await upload(key, await workbookBytes(submission('lv-courses', '2026-Q1')), '2025-12-20T08:00:00Z');
    const early = at('2025-12-21T08:00:00Z');
    const first = await ingestObject(early, key, { registry: registry() });
    expect(first).toMatchObject({ status: 'pending', mail: 'none' });
    // Not a final answer: no receipt, no mail; repeating examines nothing new.
    expect(await deps.store.get(keys.ingested(key, (await deps.store.get(key))!.version))).toBeUndefined();
    expect(await ingestObject(at('2025-12-22T08:00:00Z'), key, { registry: registry() })).toMatchObject({
      status: 'pending',
    });
    expect(mailer.sent).toEqual([]);
    const accepted = await ingestObject(at('2026-01-02T08:00:00Z'), key, { registry: registry() });
    expect(accepted).toMatchObject({ status: 'accepted', mail: 'sent' });
    // The submission keeps its original upload time.
    const record = JSON.parse(
      decoder.decode((await deps.store.get((accepted as { recordKey: string }).recordKey))!.bytes),
    );
    expect(record.source.uploadedAt).toBe('2025-12-20T08:00:00.000Z');
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringContaining('accepted')]);
  });

  it('waits for a registry that knows the project, and is decided when that registry comes', async () => {
    const { deps, mailer, upload } = await setup();
    const key = 'inbox/new-project/q3.xlsx';
    await upload(key, await workbookBytes(submission('new-project', '2025-Q3')));
    expect(await ingestObject(deps, key, { registry: registry() })).toMatchObject({ status: 'pending' });
    expect(await ingestObject(deps, key, { registry: null })).toMatchObject({ status: 'pending' });
    const withProject = registry('reg2');
    withProject.projects.push({
      ...withProject.projects[0]!,
      id: 'new-project',
      coordinatorEmails: ['new@example.lv'],
    });
    withProject.targets.push(...withProject.targets.map((t) => ({ ...t, projectId: 'new-project' })));
    withProject.budget.push(...withProject.budget.map((b) => ({ ...b, projectId: 'new-project' })));
    expect(await ingestObject(deps, key, { registry: withProject })).toMatchObject({ status: 'accepted' });
    expect(mailer.sent.map((m) => m.to)).toEqual([['new@example.lv']]);
  });

  it.each([
    ['a period before the project', '2022-Q4'],
    ['a period after the project', '2026-Q3'],
  ])('keeps %s pending until the registry moves the dates', async (_what, period) => {
    const { deps, upload } = await setup('2026-10-05T08:00:00Z');
    const key = `inbox/lv-courses/${period}.xlsx`;
    await upload(key, await workbookBytes(submission('lv-courses', period)));
    expect(await ingestObject(deps, key, { registry: registry() })).toMatchObject({ status: 'pending' });
    const wider = registry('reg2');
    wider.projects[0] = { ...wider.projects[0]!, start: '2022-01-01', end: '2027-06-30' };
    expect(await ingestObject(deps, key, { registry: wider })).toMatchObject({ status: 'accepted' });
  });

  it('refuses at once when a liftable reason comes with a wrong cell', async () => {
    const { deps, mailer, upload } = await setup();
    const key = 'inbox/lv-courses/2026-Q2.xlsx';
    await upload(key, await workbookBytes(submission('lv-courses', '2026-Q2', 'daudz')));
    const outcome = await ingestObject(deps, key, { registry: registry() });
    expect(outcome).toMatchObject({ status: 'rejected' });
    expect(mailer.sent).toHaveLength(1);
  });

  it('tells the coordinators once when an upload has waited a week, and answers the decision separately', async () => {
    const { at, mailer, upload } = await setup();
    const key = 'inbox/lv-courses/2026-Q2.xlsx';
    await upload(key, await workbookBytes(submission('lv-courses', '2026-Q2')), '2026-01-01T08:00:00Z');
    for (const day of ['2026-01-02', '2026-01-07', '2026-01-09', '2026-01-20', '2026-02-20']) {
      await ingestObject(at(`${day}T08:00:00Z`), key, { registry: registry() });
    }
    expect(mailer.sent.map((m) => m.subject)).toEqual([expect.stringContaining('waiting')]);
    expect(mailer.sent[0]!.to).toEqual([COORDINATOR]);
    expect(mailer.sent[0]!.text).toContain('The period has not started yet.');
    await ingestObject(at('2026-04-02T08:00:00Z'), key, { registry: registry() });
    await ingestObject(at('2026-04-03T08:00:00Z'), key, { registry: registry() });
    expect(mailer.sent.map((m) => m.subject)).toEqual([
      expect.stringContaining('waiting'),
      expect.stringContaining('accepted'),
    ]);
  });
});
