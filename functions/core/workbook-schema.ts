/**
 * The workbook contracts of docs/architecture.md §4 as data: every sheet and column with its Latvian and English name.
 * The readers find sheets and columns by these names; the template writer lays them out from the same list,
 * so a template and its reader cannot drift apart.
 */
import type { Bilingual } from './types';

export type ColumnKind = 'text' | 'id' | 'number' | 'integer' | 'percent' | 'date' | 'email-list' | 'enum' | 'yes-no';

export interface ColumnSpec {
  id: string;
  name: Bilingual;
  kind: ColumnKind;
  required: boolean;
  /** Allowed values for `enum` columns (drop-down lists in templates). */
  values?: readonly string[];
  /** Help text for the template's instruction sheet. */
  help?: Bilingual;
  /** Older header names still accepted (e.g. `Sex` for `Gender`). */
  aliases?: readonly string[];
}

export interface SheetSpec {
  id: string;
  name: Bilingual;
  required: boolean;
  /** `table`: a header row then data rows. `form`: two columns, label | value. */
  layout: 'table' | 'form';
  columns: ColumnSpec[];
}

const c = (
  id: string,
  lv: string,
  en: string,
  kind: ColumnKind,
  required: boolean,
  extra: Partial<ColumnSpec> = {},
): ColumnSpec => ({ id, name: { lv, en }, kind, required, ...extra });

export const FUND_VALUES = ['AMIF-2021-2027', 'AMIF-2014-2020', 'ESF', 'OTHER'] as const;
export const SO_VALUES = ['SO1', 'SO2', 'SO3', 'SO4'] as const;
export const ROLE_VALUES = ['vadītājs', 'manager', 'revidents', 'auditor'] as const;
export const LANGUAGE_VALUES = ['lv', 'en'] as const;
export const AGGREGATION_VALUES = ['sum', 'unique', 'latest'] as const;
export const YES_NO_VALUES = ['Jā', 'Nē', 'Yes', 'No'] as const;
/** The template's drop-down; the old `S`/`V`/`F`/`M`/`X` stay accepted (see `parseGender`). Empty = not known. */
export const GENDER_VALUES = ['sieviete', 'vīrietis', 'cits', 'female', 'male', 'other'] as const;
/** The Annex VIII brackets; the old `18+` stays accepted with a warning (see `parseAgeBracket`). */
export const AGE_GROUP_VALUES = ['<18', '18-60', '>60'] as const;

export const REGISTRY_SHEETS: SheetSpec[] = [
  {
    id: 'projects',
    name: { lv: 'Projekti', en: 'Projects' },
    required: true,
    layout: 'table',
    columns: [
      c('projectId', 'Projekta ID', 'Project ID', 'id', true),
      c('contractNo', 'Līguma Nr.', 'Contract No.', 'text', true),
      c('title', 'Nosaukums', 'Title', 'text', true),
      c('beneficiary', 'Finansējuma saņēmējs', 'Beneficiary', 'text', true),
      c('fund', 'Fonds', 'Fund', 'enum', true, { values: FUND_VALUES }),
      c('specificObjective', 'Specifiskais mērķis', 'Specific objective', 'enum', true, { values: SO_VALUES }),
      c('start', 'Sākums', 'Start', 'date', true),
      c('end', 'Beigas', 'End', 'date', true),
      c('eligibleCost', 'Attiecināmās izmaksas, EUR', 'Eligible cost, EUR', 'number', true),
      c('euRate', 'ES līdzfinansējums, %', 'EU co-financing, %', 'percent', true),
      c('coordinatorEmail', 'Koordinatora e-pasts', 'Coordinator email', 'email-list', true),
    ],
  },
  {
    id: 'targets',
    name: { lv: 'Mērķi', en: 'Targets' },
    required: true,
    layout: 'table',
    columns: [
      c('projectId', 'Projekta ID', 'Project ID', 'id', true),
      c('indicatorCode', 'Rādītāja kods', 'Indicator code', 'text', true),
      c('baseline', 'Bāzes vērtība', 'Baseline', 'number', false),
      c('milestone', 'Starpposma vērtība', 'Milestone', 'number', false),
      c('milestoneDate', 'Starpposma datums', 'Milestone date', 'date', false),
      c('target', 'Mērķa vērtība', 'Target', 'number', true),
    ],
  },
  {
    id: 'budget',
    name: { lv: 'Budžets', en: 'Budget' },
    required: true,
    layout: 'table',
    columns: [
      c('projectId', 'Projekta ID', 'Project ID', 'id', true),
      c('category', 'Izmaksu kategorija', 'Cost category', 'text', true),
      c('planned', 'Plānotā summa, EUR', 'Planned amount, EUR', 'number', true),
    ],
  },
  {
    id: 'recipients',
    name: { lv: 'Saņēmēji', en: 'Recipients' },
    required: true,
    layout: 'table',
    columns: [
      c('email', 'E-pasts', 'Email', 'text', true),
      c('role', 'Loma', 'Role', 'enum', true, { values: ROLE_VALUES }),
      c('projects', 'Projekti', 'Projects', 'text', false),
      c('language', 'Valoda', 'Language', 'enum', false, { values: LANGUAGE_VALUES }),
    ],
  },
  {
    id: 'indicators',
    name: { lv: 'Rādītāji', en: 'Indicators' },
    required: false,
    layout: 'table',
    columns: [
      c('code', 'Kods', 'Code', 'text', true),
      c('nameLv', 'Nosaukums LV', 'Name LV', 'text', true),
      c('nameEn', 'Nosaukums EN', 'Name EN', 'text', true),
      c('unit', 'Mērvienība', 'Unit', 'text', false),
      c('aggregation', 'Uzskaite', 'Aggregation', 'enum', false, { values: AGGREGATION_VALUES }),
    ],
  },
  {
    id: 'programmeTargets',
    name: { lv: 'Programmas mērķi', en: 'Programme targets' },
    required: false,
    layout: 'table',
    columns: [
      c('indicatorCode', 'Rādītāja kods', 'Indicator code', 'text', true),
      c('baseline', 'Bāzes vērtība', 'Baseline', 'number', false, {
        help: { lv: 'Tikai rezultātu rādītājiem.', en: 'Result indicators only.' },
      }),
      c('milestone2024', 'Starpposma vērtība 2024', 'Milestone 2024', 'number', false),
      c('target2029', 'Mērķa vērtība 2029', 'Target 2029', 'number', false),
    ],
  },
  {
    id: 'settings',
    name: { lv: 'Iestatījumi', en: 'Settings' },
    required: false,
    layout: 'form',
    columns: [
      c('deadlineDays', 'Iesniegšanas termiņš, dienas', 'Submission deadline, days', 'integer', false),
      c('reminderDays', 'Atgādinājums, dienas', 'Reminder, days', 'integer', false),
    ],
  },
];

export const SUBMISSION_SHEETS: SheetSpec[] = [
  {
    id: 'project',
    name: { lv: 'Projekts', en: 'Project' },
    required: true,
    layout: 'form',
    columns: [
      c('projectId', 'Projekta ID', 'Project ID', 'id', true),
      c('period', 'Periods', 'Period', 'text', true, {
        help: { lv: 'Piemēram, 2025-Q3', en: 'For example 2025-Q3' },
      }),
      c('preparedBy', 'Sagatavoja', 'Prepared by', 'text', false),
      c('email', 'E-pasts', 'Email', 'text', false),
    ],
  },
  {
    id: 'indicators',
    name: { lv: 'Rādītāji', en: 'Indicators' },
    required: true,
    layout: 'table',
    columns: [
      c('code', 'Kods', 'Code', 'text', true),
      c('name', 'Nosaukums', 'Name', 'text', false),
      c('value', 'Vērtība periodā', 'Value this period', 'number', true),
      c('comment', 'Komentārs', 'Comment', 'text', false),
    ],
  },
  {
    id: 'participants',
    name: { lv: 'Dalībnieki', en: 'Participants' },
    required: false,
    layout: 'table',
    columns: [
      c('participantId', 'Dalībnieka ID', 'Participant ID', 'text', true, {
        help: {
          lv: 'Pseidonīms, piemēram, P-00123. Nekad personas kods, vārds vai e-pasts.',
          en: 'A pseudonym such as P-00123. Never a personal code, name or e-mail.',
        },
      }),
      c('activity', 'Aktivitāte', 'Activity', 'enum', true),
      c('startDate', 'Sākuma datums', 'Start date', 'date', false),
      c('endDate', 'Beigu datums', 'End date', 'date', false),
      c('levelStart', 'Sākuma līmenis', 'Level at start', 'enum', false),
      c('levelEnd', 'Beigu līmenis', 'Level at end', 'enum', false),
      c('helpful', 'Noderīgs integrācijai', 'Helpful for integration', 'yes-no', false, { values: YES_NO_VALUES }),
      c('gender', 'Dzimums', 'Gender', 'enum', false, { values: GENDER_VALUES, aliases: ['Sex'] }),
      c('ageGroup', 'Vecuma grupa', 'Age group', 'enum', false, {
        values: AGE_GROUP_VALUES,
        help: {
          lv: 'Vecums pirmās aktivitātes sākumā projektā: <18, 18-60 vai >60.',
          en: "Age when the person's first activity in the project started: <18, 18-60 or >60.",
        },
      }),
      c('vulnerable', 'Neaizsargāts', 'Vulnerable', 'yes-no', false, { values: YES_NO_VALUES }),
    ],
  },
  {
    id: 'breakdown',
    name: { lv: 'Sadalījums', en: 'Breakdown' },
    required: false,
    layout: 'table',
    columns: [
      c('code', 'Kods', 'Code', 'text', true),
      c('gender', 'Dzimums', 'Gender', 'enum', false, { values: GENDER_VALUES }),
      c('ageGroup', 'Vecuma grupa', 'Age group', 'enum', false, { values: AGE_GROUP_VALUES }),
      c('value', 'Vērtība periodā', 'Value this period', 'integer', true),
    ],
  },
  {
    id: 'expenditure',
    name: { lv: 'Izdevumi', en: 'Expenditure' },
    required: true,
    layout: 'table',
    columns: [
      c('category', 'Izmaksu kategorija', 'Cost category', 'text', true),
      c('amount', 'Summa periodā, EUR', 'Amount this period, EUR', 'number', true),
    ],
  },
  {
    id: 'progress',
    name: { lv: 'Progress', en: 'Progress' },
    required: false,
    layout: 'table',
    columns: [
      c('achievements', 'Sasniegumi', 'Achievements', 'text', false),
      c('problems', 'Problēmas', 'Problems', 'text', false),
      c('nextSteps', 'Nākamie soļi', 'Next steps', 'text', false),
    ],
  },
];

/** Look a sheet spec up by id; throws on a programming error (unknown id). */
export function sheetSpec(sheets: SheetSpec[], id: string): SheetSpec {
  const spec = sheets.find((s) => s.id === id);
  if (!spec) throw new Error(`unknown sheet id ${id}`);
  return spec;
}
