/**
 * Writes the sample programme (`sample-projects.ts`) as real workbooks, laid out by the same code as the blank
 * templates, so the sample is what a coordinator who filled the template would upload.
 */
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Workbook } from 'exceljs';
import { nextTurn } from '../functions/app/map-limit';
import { standardIndicators } from '../functions/core/catalogue';
import type { IssueCode } from '../functions/core/issue-codes';
import type { Severity } from '../functions/core/types';
import { SUBMISSION_SHEETS, sheetSpec } from '../functions/core/workbook-schema';
import {
  type CellInput,
  cellAddress,
  type LaidOutSheet,
  layOutRegistryWorkbook,
  layOutSubmissionWorkbook,
  workbookPartsStable,
  writeFormValues,
  writeTableRows,
  writeWorkbookBytes,
} from '../functions/workbooks/write-template';
import {
  buildSampleData,
  type PlantedIssue,
  rigaTimeToIso,
  type SampleRegistry,
  type SubmissionContent,
  sampleCatalogue,
} from './sample-projects';

/** What was written, with paths relative to the output folder (always `/`-separated). */
export interface SampleManifest {
  registry: string;
  submissions: { file: string; projectId: string; period: string; uploadedAt: string }[];
  mistakes: {
    file: string;
    /** The inbox folder the file is meant for (differs from the file's project ID in one case). */
    projectFolder: string;
    /**
     * Every issue a validator must report: sheet as written and cell (A1 style); '' for a missing sheet, the header
     * row's first cell for a missing column.
     */
    expected: { code: IssueCode; severity: Severity; sheet: string; cell: string }[];
  }[];
}

/** The registry's upload time: before the first sample submission. */
const REGISTRY_UPLOADED_AT = rigaTimeToIso('2019-03-15', 9, 30);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Dates travel as `YYYY-MM-DD` and are written as real date cells (UTC midnight: zone-less calendar dates). */
export function cellValues(sheet: LaidOutSheet, values: object): Record<string, CellInput> {
  const out: Record<string, CellInput> = { ...values };
  for (const column of sheet.columns) {
    const value = out[column.id];
    if (column.kind === 'date' && typeof value === 'string' && ISO_DATE.test(value)) {
      const [y, m, d] = value.split('-').map(Number);
      out[column.id] = new Date(Date.UTC(y!, m! - 1, d!));
    }
  }
  return out;
}

function fillTable(sheet: LaidOutSheet | undefined, rows: object[]): void {
  if (!sheet) return;
  writeTableRows(
    sheet,
    rows.map((row) => cellValues(sheet, row as Record<string, CellInput>)),
  );
}

function registryWorkbook(registry: SampleRegistry) {
  const laidOut = layOutRegistryWorkbook({ catalogue: standardIndicators() });
  const sheet = (id: string) => laidOut.sheets.get(id);
  fillTable(
    sheet('projects'),
    registry.projects.map((p) => ({
      projectId: p.id,
      contractNo: p.contractNo,
      title: p.title,
      beneficiary: p.beneficiary,
      fund: p.fund,
      specificObjective: p.specificObjective,
      start: p.start,
      end: p.end,
      eligibleCost: p.eligibleCost,
      euRate: p.euRatePercent,
      coordinatorEmail: p.coordinatorEmails.join('; '),
    })),
  );
  fillTable(sheet('targets'), registry.targets);
  fillTable(sheet('budget'), registry.budget);
  fillTable(
    sheet('recipients'),
    registry.recipients.map((r) => ({
      email: r.email,
      // Written in the recipient's own language, as a manager would type it.
      role: r.language === 'en' ? r.role : r.role === 'manager' ? 'vadītājs' : 'revidents',
      projects: r.projects.join(';'),
      language: r.language,
    })),
  );
  fillTable(sheet('indicators'), registry.indicators);
  fillTable(sheet('programmeTargets'), registry.programmeTargets);
  const settings = sheet('settings');
  if (settings) writeFormValues(settings, { ...registry.settings });
  return laidOut.workbook;
}

function submissionWorkbook(
  content: SubmissionContent,
  catalogue: 'AMIF-2021-2027' | 'AMIF-2014-2020',
  omit: { sheets: string[]; columns: { sheet: string; column: string }[] },
) {
  const omitSheets = content.participants === null ? [...omit.sheets, 'participants'] : omit.sheets;
  const laidOut = layOutSubmissionWorkbook({
    catalogue: sampleCatalogue(catalogue),
    omitSheets,
    omitColumns: omit.columns,
  });
  const sheet = (id: string) => laidOut.sheets.get(id);
  const project = sheet('project');
  if (project) {
    writeFormValues(project, {
      projectId: content.projectId,
      period: content.period,
      preparedBy: content.preparedBy,
      email: content.email,
    });
  }
  fillTable(sheet('indicators'), content.indicators);
  fillTable(sheet('participants'), content.participants ?? []);
  fillTable(sheet('expenditure'), content.expenditure);
  fillTable(sheet('progress'), [content.progress]);
  return laidOut;
}

async function writeFileAt(outDir: string, relative: string, bytes: Uint8Array, uploadedAt: string): Promise<void> {
  const path = join(outDir, ...relative.split('/'));
  await writeFile(path, bytes);
  // The local store takes a file's mtime as its upload time.
  const when = new Date(uploadedAt);
  await utimes(path, when, when);
}

/** A registry workbook laid out like the sample's (tests build smaller or altered programmes with it). */
export function sampleRegistryBytes(registry: SampleRegistry): Promise<Uint8Array> {
  return writeWorkbookBytes(registryWorkbook(registry));
}

/** A submission workbook laid out like the sample's (tests build corrected uploads with it). */
export function sampleSubmissionBytes(
  content: SubmissionContent,
  catalogue: 'AMIF-2021-2027' | 'AMIF-2014-2020',
): Promise<Uint8Array> {
  return writeWorkbookBytes(submissionWorkbook(content, catalogue, { sheets: [], columns: [] }).workbook);
}

/**
 * Zips a workbook's parts, by default as `packStable` does (fflate: the same bytes on every Node, for committed
 * workbooks); `npm start` hands them to its worker threads, which zip them with Node's zlib as reports are zipped.
 */
export type PackParts = (parts: [string, Uint8Array][]) => Promise<Uint8Array>;

export interface WriteSampleOptions {
  /** Where the parts are zipped (by default on this thread, one workbook after another). */
  pack?: PackParts;
}

/**
 * Write the sample programme under `outDir`: `registry/registry.xlsx`, `inbox/<projectId>/<period>.xlsx` for every
 * project and quarter (mtime = upload time), and `mistakes/<name>.xlsx` with the issues each must raise. Each
 * workbook's parts are made on this thread, one after another; with `options.pack` they are zipped (and the file
 * written) while the next one is made.
 */
export async function writeSampleData(outDir: string, options: WriteSampleOptions = {}): Promise<SampleManifest> {
  const data = buildSampleData();
  await mkdir(join(outDir, 'registry'), { recursive: true });
  await mkdir(join(outDir, 'mistakes'), { recursive: true });
  const writes: Promise<void>[] = [];
  const write = async (file: string, workbook: Workbook, uploadedAt: string) => {
    if (!options.pack) return writeFileAt(outDir, file, await writeWorkbookBytes(workbook), uploadedAt);
    const packed = options.pack(await workbookPartsStable(workbook));
    const written = packed.then((bytes) => writeFileAt(outDir, file, bytes, uploadedAt));
    written.catch(() => {}); // handled below, once every write has settled
    writes.push(written);
    // Laying a workbook out awaits only promises already settled: without a turn of the event loop here, the zips'
    // replies (and a worker's "ready") would wait for the last workbook, and the zips with them.
    await nextTurn();
  };

  const registry = 'registry/registry.xlsx';
  await write(registry, registryWorkbook(data.registry), REGISTRY_UPLOADED_AT);

  const submissions: SampleManifest['submissions'] = [];
  for (const projectId of new Set(data.submissions.map((s) => s.content.projectId))) {
    await mkdir(join(outDir, 'inbox', projectId), { recursive: true });
  }
  for (const submission of data.submissions) {
    const { content } = submission;
    const file = `inbox/${content.projectId}/${content.period}.xlsx`;
    const { workbook } = submissionWorkbook(content, submission.catalogue, { sheets: [], columns: [] });
    await write(file, workbook, submission.uploadedAt);
    submissions.push({ file, projectId: content.projectId, period: content.period, uploadedAt: submission.uploadedAt });
  }

  const mistakes: SampleManifest['mistakes'] = [];
  for (const mistake of data.mistakes) {
    const file = `mistakes/${mistake.name}.xlsx`;
    const laidOut = submissionWorkbook(mistake.content, mistake.catalogue, {
      sheets: mistake.omitSheets,
      columns: mistake.omitColumns,
    });
    await write(file, laidOut.workbook, mistake.uploadedAt);
    mistakes.push({
      file,
      projectFolder: mistake.projectFolder,
      expected: mistake.planted.map((planted) => locate(laidOut.sheets, planted)),
    });
  }
  // Every write settles before a failure is reported: nothing is written after this returns or throws.
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return { registry, submissions, mistakes };
}

/** Resolve a planted issue to the sheet name and cell it was written at. */
function locate(
  sheets: Map<string, LaidOutSheet>,
  planted: PlantedIssue,
): SampleManifest['mistakes'][number]['expected'][number] {
  const sheet = sheets.get(planted.sheet);
  // A sheet left out on purpose is reported under its contract name.
  const name = sheet?.spec.name.lv ?? sheetSpec(SUBMISSION_SHEETS, planted.sheet).name.lv;
  let cell = '';
  if (planted.header) {
    cell = 'A1';
  } else if (planted.column !== undefined) {
    const address = sheet ? cellAddress(sheet, planted.column, planted.row ?? 0) : null;
    if (!address)
      throw new Error(`planted issue points at a column that was not written: ${planted.sheet}.${planted.column}`);
    cell = address;
  }
  return { code: planted.code, severity: planted.severity, sheet: name, cell };
}

/**
 * The sample's "today" (Europe/Riga): the day after the 2026-Q3 deadline, so every sample quarter is due.
 * `npm start` runs at this date so the demo gives the same reports on every machine and every day.
 */
export const SAMPLE_NOW = '2026-11-16';
