/**
 * The dry run behind `pmif-reports validate`: read one workbook as ingest would, decide whether it is a registry or
 * a submission, and return every issue without storing anything.
 */
import { nameMatches } from '../core/names';
import type { IsoDate, Registry, SourceRef, ValidationIssue } from '../core/types';
import { REGISTRY_SHEETS } from '../core/workbook-schema';
import { parseRegistry } from '../intake/read-registry';
import { parseSubmission, readSubmission } from '../intake/read-submission';
import { type ReadProblem, readXlsx, worksheetNames } from '../intake/read-xlsx';

/** A registry to check a submission against, and the registry's own errors (which then precede the submission's). */
export interface RegistryToCheckAgainst {
  registry: Registry | null;
  issues: ValidationIssue[];
}

export interface ValidateWorkbookOptions {
  /** The source reference a workbook would get under `key` (the caller knows how its store versions bytes). */
  source: (bytes: Uint8Array, key: string) => SourceRef;
  /** The registry a submission is checked against; asked for only when the workbook is a submission. */
  registry: () => Promise<RegistryToCheckAgainst>;
  /** The inbox folder the file would be uploaded to, if known. */
  project?: string;
  /** Today in Riga, for period checks; asked for only when the workbook is a submission. */
  today: () => IsoDate;
}

export function isRegistryWorkbook(sheetNames: string[]): boolean {
  const projects = REGISTRY_SHEETS[0]!;
  return sheetNames.some((n) => nameMatches(n, [projects.name.lv, projects.name.en]));
}

/** Read and parse a registry workbook file, as `validate --registry` checks submissions against it. */
export function readRegistryWorkbook(bytes: Uint8Array, source: SourceRef): RegistryToCheckAgainst {
  const read = readXlsx(bytes);
  if (!read.ok)
    return { registry: null, issues: [{ severity: 'error', code: read.problem.code, message: read.problem.message }] };
  return parseRegistry(read.workbook, source);
}

/** Every issue ingest would find in the workbook `name` (its file name), errors and warnings alike. */
export async function validateWorkbook(
  bytes: Uint8Array,
  name: string,
  options: ValidateWorkbookOptions,
): Promise<ValidationIssue[]> {
  // A submission is read and checked in one pass (see `readSubmission`), which needs its registry first: the sheet
  // names say which kind it is before any sheet is read.
  const names = worksheetNames(bytes);
  if (names !== null && !isRegistryWorkbook(names)) {
    const against = await registryOrNull(options);
    if (against !== null) return await validateSubmissionBytes(bytes, name, options, against);
  }
  const read = readXlsx(bytes);
  if (!read.ok) return [readProblemIssue(read.problem)];
  if (isRegistryWorkbook(read.workbook.sheets.map((s) => s.name)))
    return parseRegistry(read.workbook, options.source(bytes, `registry/${name}`)).issues;
  const against = await options.registry();
  const registryIssues = against.issues.filter((i) => i.severity === 'error');
  const result = parseSubmission(read.workbook, options.source(bytes, `inbox/${options.project ?? '_'}/${name}`), {
    registry: against.registry,
    folder: options.project ?? null,
    today: options.today(),
  });
  return [...registryIssues, ...result.issues];
}

function readProblemIssue(p: ReadProblem): ValidationIssue {
  return { severity: 'error', code: p.code, message: p.message, ...(p.found ? { found: p.found } : {}) };
}

/**
 * The registry, asked for before the workbook is read; null when asking failed. Then the workbook is read first
 * after all, as it always was: an unreadable workbook is reported as such whatever the registry's state.
 */
async function registryOrNull(options: ValidateWorkbookOptions): Promise<RegistryToCheckAgainst | null> {
  try {
    return await options.registry();
  } catch {
    return null;
  }
}

async function validateSubmissionBytes(
  bytes: Uint8Array,
  name: string,
  options: ValidateWorkbookOptions,
  against: RegistryToCheckAgainst,
): Promise<ValidationIssue[]> {
  const read = await readSubmission(bytes, options.source(bytes, `inbox/${options.project ?? '_'}/${name}`), {
    registry: against.registry,
    folder: options.project ?? null,
    today: options.today(),
  });
  if (!read.ok) return [readProblemIssue(read.problem)];
  const registryIssues = against.issues.filter((i) => i.severity === 'error');
  return [...registryIssues, ...read.result.issues];
}
