/**
 * The programme registry workbook (docs/architecture.md §4.1) → a validated {@link Registry}, or the issues that stop it.
 */
import { buildCatalogue, type Catalogue } from '../core/catalogue';
import { alreadyGivenIn, hasErrors, issue } from '../core/issue-codes';
import { isProjectId } from '../core/keys';
import {
  AGGREGATIONS,
  type Aggregation,
  type BudgetLine,
  DEFAULT_SETTINGS,
  FUND_DATE_WINDOWS,
  FUNDS,
  type IndicatorDef,
  type ProgrammeTarget,
  type Project,
  type Recipient,
  type Registry,
  type Settings,
  type SourceRef,
  SPECIFIC_OBJECTIVES,
  type Target,
  type ValidationIssue,
} from '../core/types';
import { REGISTRY_SHEETS, sheetSpec } from '../core/workbook-schema';
import { FieldReader, foundText, isEmail } from './field-reader';
import { findSheet, missingSheetIssue, readForm, readTable, type Table } from './sheet-table';
import type { WorkbookData } from './workbook-data';

export interface RegistryResult {
  registry: Registry | null;
  issues: ValidationIssue[];
}

function splitList(text: string | null): string[] {
  return (text ?? '')
    .split(/[;,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseRegistry(workbook: WorkbookData, source: SourceRef): RegistryResult {
  const f = new FieldReader();
  const tables = new Map<string, Table>();
  for (const spec of REGISTRY_SHEETS.filter((s) => s.layout === 'table')) {
    const sheet = findSheet(workbook, spec);
    if (!sheet) {
      if (spec.required) f.issues.push(missingSheetIssue(spec));
      continue;
    }
    const { table, issues } = readTable(sheet, spec);
    f.issues.push(...issues);
    if (table) tables.set(spec.id, table);
  }

  // Programme-specific indicators first: targets may refer to them.
  const indicators = readIndicatorRows(f, tables.get('indicators'));
  const catalogue = buildCatalogue(indicators);
  const { projects, seen } = readProjects(f, tables.get('projects'));
  const projectIds = new Set(projects.map((p) => p.id));
  const known = { seen, projectIds };
  const targets = readTargets(f, tables.get('targets'), catalogue, known);
  const programmeTargets = readProgrammeTargets(f, tables.get('programmeTargets'), catalogue);
  const budget = readBudget(f, tables.get('budget'), known);
  const recipients = readRecipients(f, tables.get('recipients'), seen);
  const settings = readSettings(workbook, f);

  if (hasErrors(f.issues)) return { registry: null, issues: f.issues };
  return {
    registry: {
      schemaVersion: 1,
      kind: 'registry',
      source,
      projects,
      targets,
      budget,
      recipients,
      indicators,
      programmeTargets,
      settings,
    },
    issues: f.issues,
  };
}

/** Programme-specific indicators (the registry's own sheet), as catalogue definitions. */
function readIndicatorRows(f: FieldReader, table: Table | undefined): IndicatorDef[] {
  const indicators: IndicatorDef[] = [];
  for (const row of table?.rows ?? []) {
    const code = f.text(row.at('code'), true);
    const nameLv = f.text(row.at('nameLv'), true);
    const nameEn = f.text(row.at('nameEn'), true);
    const unit = f.text(row.at('unit')) ?? 'skaits / count';
    const aggregation: Aggregation = f.oneOf(row.at('aggregation'), AGGREGATIONS) ?? 'sum';
    if (code && nameLv && nameEn) {
      const [unitLv, unitEn] = unit.includes('/') ? unit.split('/').map((s) => s.trim()) : [unit, unit];
      indicators.push({
        code: code.trim(),
        catalogue: 'programme',
        name: { lv: nameLv, en: nameEn },
        unit: { lv: unitLv || unit, en: unitEn || unit },
        type: 'output',
        aggregation,
        integer: !/eur|%/i.test(unit),
      });
    }
  }
  return indicators;
}

/** Projects: one valid row each; `seen` maps each project ID to the cell that first named it. */
function readProjects(
  f: FieldReader,
  projectsTable: Table | undefined,
): { projects: Project[]; seen: Map<string, string> } {
  const projects: Project[] = [];
  const seen = new Map<string, string>();
  for (const row of projectsTable?.rows ?? []) {
    const sheet = projectsTable!.sheet.name;
    const id = f.text(row.at('projectId'), true);
    if (id !== null && !isProjectId(id)) {
      f.add(
        'registry-project-id-invalid',
        { sheet, cell: row.ref('projectId') },
        { found: foundText(row.get('projectId')), expected: '[a-z0-9-]' },
      );
    } else if (id !== null && seen.has(id)) {
      f.add(
        'registry-duplicate-project',
        { sheet, cell: row.ref('projectId') },
        { found: id, expected: alreadyGivenIn(seen.get(id)) },
      );
    }
    const contractNo = f.text(row.at('contractNo'), true);
    const title = f.text(row.at('title'), true);
    const beneficiary = f.text(row.at('beneficiary'), true);
    const fund = f.oneOf(row.at('fund'), FUNDS, true);
    const so = f.oneOf(row.at('specificObjective'), SPECIFIC_OBJECTIVES, true);
    const start = f.date(row.at('start'), true);
    const end = f.date(row.at('end'), true);
    if (start && end && end < start)
      f.add('registry-end-before-start', { sheet, cell: row.ref('end') }, { found: end, expected: `≥ ${start}` });
    if (fund) {
      const window = FUND_DATE_WINDOWS[fund];
      for (const [field, date] of [
        ['start', start],
        ['end', end],
      ] as const) {
        if (date && (date < window.from || date > window.to))
          f.add(
            'registry-date-outside-programme',
            { sheet, cell: row.ref(field) },
            { found: date, expected: `${window.from} … ${window.to} (${fund}, ${window.source})` },
          );
      }
    }
    const eligibleCost = f.number(row.at('eligibleCost'), { required: true, min: 0 });
    const rateAt = row.at('euRate');
    const rate = f.number(rateAt, { required: true, percent: true });
    if (rate !== null && (rate < 0 || rate > 100)) {
      f.add(
        'registry-rate-out-of-range',
        { sheet, cell: rateAt.cell },
        { found: foundText(rateAt.value), expected: '0–100 %' },
      );
    }
    const emails = splitList(f.text(row.at('coordinatorEmail'), true));
    for (const email of emails) {
      if (!isEmail(email))
        f.add(
          'registry-email-invalid',
          { sheet, cell: row.ref('coordinatorEmail') },
          { found: email, expected: 'vards@iestade.lv' },
        );
    }
    if (id !== null && isProjectId(id) && !seen.has(id)) seen.set(id, row.ref('projectId'));
    if (
      id &&
      contractNo &&
      title &&
      beneficiary &&
      fund &&
      so &&
      start &&
      end &&
      eligibleCost !== null &&
      rate !== null
    ) {
      projects.push({
        id,
        contractNo,
        title,
        beneficiary,
        fund,
        specificObjective: so,
        start,
        end,
        eligibleCost,
        euRatePercent: rate,
        coordinatorEmails: emails,
      });
    }
  }
  if (projectsTable && projectsTable.rows.length === 0) {
    f.issues.push(issue('registry-no-projects', 'error', { sheet: projectsTable.sheet.name }));
  }
  return { projects, seen };
}

/** Project targets, for known projects and indicators. */
function readTargets(
  f: FieldReader,
  targetsTable: Table | undefined,
  catalogue: Catalogue,
  known: { seen: Map<string, string>; projectIds: Set<string> },
): Target[] {
  const targets: Target[] = [];
  const { seen, projectIds } = known;
  for (const row of targetsTable?.rows ?? []) {
    const sheet = targetsTable!.sheet.name;
    const projectId = f.text(row.at('projectId'), true);
    if (projectId && !seen.has(projectId)) {
      f.add('registry-target-unknown-project', { sheet, cell: row.ref('projectId') }, { found: projectId });
    }
    const code = f.text(row.at('indicatorCode'), true);
    const def = code ? catalogue.get(code) : undefined;
    if (code && !def)
      f.add('registry-target-unknown-indicator', { sheet, cell: row.ref('indicatorCode') }, { found: code });
    const baseline = f.number(row.at('baseline'), { min: 0 }) ?? 0;
    const milestone = f.number(row.at('milestone'), { min: 0 });
    const milestoneDate = f.date(row.at('milestoneDate'));
    const target = f.number(row.at('target'), { required: true, min: 0 });
    if (projectId && def && target !== null && projectIds.has(projectId)) {
      targets.push({ projectId, indicatorCode: def.code, baseline, milestone, milestoneDate, target });
    }
  }
  return targets;
}

/** Programme targets: one per indicator. */
function readProgrammeTargets(
  f: FieldReader,
  programmeTable: Table | undefined,
  catalogue: Catalogue,
): ProgrammeTarget[] {
  const programmeTargets: ProgrammeTarget[] = [];
  const seenTargets = new Set<string>();
  for (const row of programmeTable?.rows ?? []) {
    const sheet = programmeTable!.sheet.name;
    const code = f.text(row.at('indicatorCode'), true);
    const def = code ? catalogue.get(code) : undefined;
    if (code && !def)
      f.add('registry-target-unknown-indicator', { sheet, cell: row.ref('indicatorCode') }, { found: code });
    if (def && seenTargets.has(def.code))
      f.add('indicator-duplicate', { sheet, cell: row.ref('indicatorCode') }, { found: def.code });
    const baseline = f.number(row.at('baseline'), { min: 0 });
    const milestone2024 = f.number(row.at('milestone2024'), { min: 0 });
    const target2029 = f.number(row.at('target2029'), { min: 0 });
    if (def && !seenTargets.has(def.code)) {
      seenTargets.add(def.code);
      programmeTargets.push({ indicatorCode: def.code, baseline, milestone2024, target2029 });
    }
  }
  return programmeTargets;
}

/** Budget lines by project and cost category. */
function readBudget(
  f: FieldReader,
  budgetTable: Table | undefined,
  known: { seen: Map<string, string>; projectIds: Set<string> },
): BudgetLine[] {
  const budget: BudgetLine[] = [];
  const { seen, projectIds } = known;
  for (const row of budgetTable?.rows ?? []) {
    const sheet = budgetTable!.sheet.name;
    const projectId = f.text(row.at('projectId'), true);
    if (projectId && !seen.has(projectId))
      f.add('registry-target-unknown-project', { sheet, cell: row.ref('projectId') }, { found: projectId });
    const category = f.text(row.at('category'), true);
    const planned = f.number(row.at('planned'), { required: true, min: 0 });
    if (projectId && category && planned !== null && projectIds.has(projectId))
      budget.push({ projectId, category, planned });
  }
  return budget;
}

/** Recipients of the reports: managers and auditors, with their projects and language. */
function readRecipients(f: FieldReader, recipientsTable: Table | undefined, seen: Map<string, string>): Recipient[] {
  const recipients: Recipient[] = [];
  for (const row of recipientsTable?.rows ?? []) {
    const sheet = recipientsTable!.sheet.name;
    const email = f.text(row.at('email'), true);
    if (email && !isEmail(email))
      f.add(
        'registry-email-invalid',
        { sheet, cell: row.ref('email') },
        { found: email, expected: 'vards@iestade.lv' },
      );
    const role = f.oneOf(row.at('role'), ['vadītājs', 'manager', 'revidents', 'auditor'] as const, true);
    const language = f.oneOf(row.at('language'), ['lv', 'en'] as const) ?? 'lv';
    const list = splitList(f.text(row.at('projects')));
    for (const p of list) {
      if (!seen.has(p)) f.add('registry-target-unknown-project', { sheet, cell: row.ref('projects') }, { found: p });
    }
    if (email && isEmail(email) && role) {
      recipients.push({
        email,
        role: role === 'vadītājs' || role === 'manager' ? 'manager' : 'auditor',
        projects: list,
        language,
      });
    }
  }
  return recipients;
}

/** Settings: the defaults, overridden by the sheet where it gives a whole number. */
function readSettings(workbook: WorkbookData, f: FieldReader): Settings {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const settingsSpec = sheetSpec(REGISTRY_SHEETS, 'settings');
  const settingsSheet = findSheet(workbook, settingsSpec);
  if (settingsSheet) {
    const fields = readForm(settingsSheet, settingsSpec);
    for (const id of ['deadlineDays', 'reminderDays'] as const) {
      const field = fields.get(id);
      if (!field) continue;
      const n = f.number({ value: field.value, sheet: settingsSheet.name, cell: field.ref }, { min: 0, integer: true });
      if (n !== null) settings[id] = n;
    }
  }
  return settings;
}
