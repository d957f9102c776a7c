import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUE_MESSAGES } from '../../functions/core/issue-codes';
import { buildSampleData } from '../../sample/sample-projects';
import { type SampleManifest, writeSampleData } from '../../sample/write-sample';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

/** Quarters overlapping [start, end] (calendar quarters; dates are `YYYY-MM-DD`). */
function quarterCount(start: string, end: string): number {
  const q = (date: string) => Number(date.slice(0, 4)) * 4 + Math.floor((Number(date.slice(5, 7)) - 1) / 3);
  return q(end) - q(start) + 1;
}

describe('sample data', () => {
  const dirs: string[] = [];
  let manifest: SampleManifest;
  let again: SampleManifest;

  beforeAll(async () => {
    dirs.push(await mkdtemp(join(tmpdir(), 'pmif-sample-a-')), await mkdtemp(join(tmpdir(), 'pmif-sample-b-')));
    manifest = await writeSampleData(dirs[0]!);
    again = await writeSampleData(dirs[1]!);
  }, 180_000);

  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('is deterministic: two runs give the same files, bytes, upload times and manifest', async () => {
    expect(again).toEqual(manifest);
    const [a, b] = [await listFiles(dirs[0]!), await listFiles(dirs[1]!)];
    expect(b).toEqual(a);
    for (const file of a) {
      const [bytesA, bytesB] = [await readFile(join(dirs[0]!, file)), await readFile(join(dirs[1]!, file))];
      expect(Buffer.compare(bytesA, bytesB), file).toBe(0);
      const [statA, statB] = [await stat(join(dirs[0]!, file)), await stat(join(dirs[1]!, file))];
      expect(statB.mtimeMs, file).toBe(statA.mtimeMs);
    }
  });

  it('writes exactly the files of the manifest, with mtime = upload time', async () => {
    const expected = [
      manifest.registry,
      ...manifest.submissions.map((s) => s.file),
      ...manifest.mistakes.map((m) => m.file),
    ];
    expect(await listFiles(dirs[0]!)).toEqual(expected.sort());
    for (const submission of manifest.submissions) {
      const { mtimeMs } = await stat(join(dirs[0]!, submission.file));
      expect(mtimeMs, submission.file).toBe(Date.parse(submission.uploadedAt));
    }
  });

  it('has one file for every quarter of every registry project', () => {
    const { registry } = buildSampleData();
    expect(registry.projects.map((p) => p.id).sort()).toEqual(
      [
        'civic-orientation',
        'iom-return',
        'latvian-language',
        'one-stop-shop',
        'pmlp-reception',
        'red-cross-mentors',
      ].sort(),
    );
    for (const project of registry.projects) {
      const periods = manifest.submissions.filter((s) => s.projectId === project.id).map((s) => s.period);
      expect(new Set(periods).size, project.id).toBe(periods.length);
      expect(periods.length, project.id).toBe(quarterCount(project.start, project.end));
      expect(periods.length, project.id).toBeGreaterThanOrEqual(8);
      // amif.md's real dates give IOM 16 quarters and the Red Cross 13; the invented ones give 11-12.
      expect(periods.length, project.id).toBeLessThanOrEqual(16);
      for (const period of periods) {
        expect(manifest.submissions.find((s) => s.projectId === project.id && s.period === period)?.file).toBe(
          `inbox/${project.id}/${period}.xlsx`,
        );
      }
    }
  });

  it('has some uploads after the deadline (period end + 15 days) and most a few days after the quarter', () => {
    const lateness = manifest.submissions.map((s) => {
      const [year, q] = s.period.split('-Q').map(Number);
      const periodEnd = Date.UTC(year!, q! * 3, 1); // midnight after the last day
      return (Date.parse(s.uploadedAt) - periodEnd) / 86_400_000;
    });
    expect(lateness.every((days) => days > 0)).toBe(true);
    const late = lateness.filter((days) => days > 15).length;
    expect(late).toBeGreaterThanOrEqual(2);
    expect(late).toBeLessThan(manifest.submissions.length / 10);
  });

  it('has people recurring across quarters, so quarterly counts must not be summed', () => {
    const { submissions } = buildSampleData();
    for (const projectId of new Set(submissions.map((s) => s.content.projectId))) {
      const quarters = submissions.filter((s) => s.content.projectId === projectId);
      const perQuarter = quarters.map((s) => new Set((s.content.participants ?? []).map((p) => p.participantId)));
      const unique = new Set(perQuarter.flatMap((ids) => [...ids]));
      const summed = perQuarter.reduce((n, ids) => n + ids.size, 0);
      expect(summed, projectId).toBeGreaterThan(unique.size);
    }
    const rows = submissions.reduce((n, s) => n + (s.content.participants?.length ?? 0), 0);
    expect(rows).toBeLessThan(20_000);
  });

  it('writes participant rows readable from the workbook, recurring across two quarters', async () => {
    const ids = async (file: string) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await readFile(join(dirs[0]!, file))) as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Dalībnieki')!;
      expect(sheet.getCell('A1').value).toBe('Dalībnieka ID');
      const out = new Set<string>();
      sheet.eachRow((row, n) => {
        if (n > 1) out.add(String(row.getCell(1).value));
      });
      return out;
    };
    const first = await ids('inbox/latvian-language/2025-Q1.xlsx');
    const second = await ids('inbox/latvian-language/2025-Q2.xlsx');
    expect(first.size).toBeGreaterThan(100);
    expect([...first].some((id) => second.has(id))).toBe(true);
  });

  it('lists planted mistakes with known issue codes and cells', async () => {
    expect(manifest.mistakes.length).toBeGreaterThanOrEqual(6);
    for (const mistake of manifest.mistakes) {
      expect(mistake.expected.length, mistake.file).toBeGreaterThan(0);
      for (const issue of mistake.expected) {
        expect(Object.keys(ISSUE_MESSAGES)).toContain(issue.code);
        expect(issue.cell).toMatch(/^([A-Z]+[1-9]\d*)?$/);
      }
    }
    const codes = new Set(manifest.mistakes.flatMap((m) => m.expected.map((e) => e.code)));
    for (const code of [
      'indicator-unknown',
      'value-negative',
      'value-not-integer',
      'value-not-number',
      'indicator-duplicate',
      'participant-id-personal',
      'participant-level-decreased',
      'participant-level-invalid',
      'expenditure-negative',
      'period-malformed',
      'period-before-start',
      'project-folder-mismatch',
      'indicator-derived-mismatch',
      'sheet-missing',
      'column-missing',
    ]) {
      expect(codes, code).toContain(code);
    }
    const wrongFolder = manifest.mistakes.find((m) => m.expected.some((e) => e.code === 'project-folder-mismatch'))!;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await readFile(join(dirs[0]!, wrongFolder.file))) as unknown as ArrayBuffer);
    expect(workbook.getWorksheet('Projekts')!.getCell('B1').value).not.toBe(wrongFolder.projectFolder);
  });
});
