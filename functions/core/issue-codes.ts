/**
 * Every validation issue code with its message in Latvian and English. Validators build issues from here only,
 * so the rejection e-mail, the annotated workbook and the CLI table all speak the same words.
 */
import type { Bilingual, Severity, ValidationIssue } from './types';

export const ISSUE_MESSAGES = {
  // Whole-file problems (no cell).
  'file-unreadable': {
    lv: 'Datni nevar nolasīt kā Excel darbgrāmatu (.xlsx).',
    en: 'The file cannot be read as an Excel workbook (.xlsx).',
  },
  'sheet-missing': { lv: 'Trūkst obligātās lapas.', en: 'A required sheet is missing.' },
  'column-missing': { lv: 'Lapā trūkst obligātās kolonnas.', en: 'A required column is missing from the sheet.' },
  'merged-cells': {
    lv: 'Datu apgabalā ir apvienotas šūnas; atceliet šūnu apvienošanu.',
    en: 'Merged cells in the data area; unmerge them.',
  },
  // Cell values.
  'value-required': { lv: 'Obligātā šūna ir tukša.', en: 'A required cell is empty.' },
  'value-not-number': { lv: 'Vērtība nav skaitlis.', en: 'The value is not a number.' },
  'value-negative': { lv: 'Vērtība nedrīkst būt negatīva.', en: 'The value must not be negative.' },
  'value-not-integer': { lv: 'Skaitam jābūt veselam skaitlim.', en: 'A count must be a whole number.' },
  'value-not-date': { lv: 'Vērtība nav datums.', en: 'The value is not a date.' },
  'value-not-allowed': {
    lv: 'Vērtība nav atļauto vērtību sarakstā.',
    en: 'The value is not one of the allowed values.',
  },
  'formula-no-value': {
    lv: 'Formulai nav aprēķinātas vērtības; atveriet datni programmā Excel un saglabājiet to.',
    en: 'The formula has no calculated value; open and save the file in Excel.',
  },
  'formula-error': { lv: 'Šūnā ir formulas kļūda.', en: 'The cell holds a formula error.' },
  // Submission.
  'project-unknown': { lv: 'Projekts nav atrodams reģistrā.', en: 'The project is not in the registry.' },
  'project-folder-mismatch': {
    lv: 'Projekta ID neatbilst mapei, kurā datne augšupielādēta.',
    en: 'The project ID does not match the folder the file was uploaded to.',
  },
  'period-malformed': {
    lv: 'Periods nav atpazīstams; norādiet to formā 2025-Q3.',
    en: 'The period cannot be read; use the form 2025-Q3.',
  },
  'period-before-start': { lv: 'Periods ir pirms projekta sākuma.', en: 'The period is before the project starts.' },
  'period-after-end': { lv: 'Periods ir pēc projekta beigām.', en: 'The period is after the project ends.' },
  'period-not-link-period': {
    lv: 'Darbgrāmata ir par citu periodu nekā augšupielādes saite. Izmantojiet saiti no e-pasta par šo periodu.',
    en: "The workbook is for another period than the upload link. Use the link from that period's e-mail.",
  },
  'period-in-future': { lv: 'Periods vēl nav sācies.', en: 'The period has not started yet.' },
  'indicator-unknown': { lv: 'Nezināms rādītāja kods.', en: 'Unknown indicator code.' },
  'indicator-renumbered': {
    lv: 'Šī koda nozīme ir mainījusies: Regulas 2021/1147 VIII pielikums SO4 rezultātu rādītājus numurē R.4.3–R.4.5 (agrāk R.4.4–R.4.6). Norādiet ailē „Jābūt” minēto kodu.',
    en: "This code's meaning moved: Regulation 2021/1147 Annex VIII numbers the SO4 results R.4.3–R.4.5 (formerly R.4.4–R.4.6). Use the expected code.",
  },
  'indicator-replaced': {
    lv: 'Šis 2014.–2020. gada rādītāja kods ir aizstāts ar Regulas 516/2014 IV pielikuma kodu. Norādiet ailē „Jābūt” minēto kodu.',
    en: 'This 2014-2020 indicator code was replaced by a code that names the Regulation 516/2014 Annex IV item. Use the expected code.',
  },
  'indicator-programme-specific': {
    lv: 'Šis nav kopējais rādītājs: programmas specifiskos rādītājus nosaka reģistra lapa Rādītāji.',
    en: "This is not a common indicator: programme-specific indicators are defined in the registry's Indicators sheet.",
  },
  'indicator-breakdown-exceeds-parent': {
    lv: 'Sadalījuma („t. sk.”) vērtība pārsniedz tā rādītāja vērtību, kura daļa tā ir.',
    en: 'An "of which" value exceeds the value of the indicator it is part of.',
  },
  'indicator-duplicate': { lv: 'Rādītājs norādīts vairākas reizes.', en: 'The indicator is given more than once.' },
  'indicator-no-target': {
    lv: 'Šim rādītājam projektā nav noteikta mērķa vērtība.',
    en: 'The project has no target for this indicator.',
  },
  'indicator-derived-mismatch': {
    lv: 'Ievadītā vērtība atšķiras no vērtības, kas aprēķināta no dalībnieku datiem; izmantota aprēķinātā vērtība.',
    en: 'The typed value differs from the one computed from participant rows; the computed value is used.',
  },
  'participant-id-personal': {
    lv: 'Dalībnieka ID izskatās pēc personas datiem (personas kods, e-pasts vai vārds). Izmantojiet pseidonīmu.',
    en: 'The participant ID looks like personal data (personal code, e-mail or name). Use a pseudonym.',
  },
  'participant-level-invalid': {
    lv: 'Nederīgs valodas līmenis; atļauts A0, A1, A2, B1, B2, C1, C2.',
    en: 'Invalid language level; allowed are A0, A1, A2, B1, B2, C1, C2.',
  },
  'participant-level-decreased': {
    lv: 'Beigu līmenis ir zemāks par sākuma līmeni.',
    en: 'The level at end is below the level at start.',
  },
  'participant-dates-reversed': {
    lv: 'Beigu datums ir pirms sākuma datuma.',
    en: 'The end date is before the start date.',
  },
  'participant-duplicate': {
    lv: 'Dalībnieks ar šo aktivitāti norādīts vairākas reizes.',
    en: 'The participant is listed more than once for this activity.',
  },
  'age-group-not-split': {
    lv: 'Vecuma grupa 18+ vairs netiek lietota: norādiet 18-60 vai >60. Šīs personas pārskatā norādītas kā „18+ nesadalīts”.',
    en: 'The age group 18+ is no longer used: give 18-60 or >60. These persons are reported as "18+ not split".',
  },
  'breakdown-not-person': {
    lv: 'Dzimuma un vecuma sadalījums attiecas tikai uz rādītājiem, kuru mērvienība ir personas.',
    en: 'A gender and age breakdown applies only to indicators counted in persons.',
  },
  'breakdown-without-value': {
    lv: 'Sadalījums norādīts rādītājam, kura vērtība lapā „Rādītāji” nav norādīta.',
    en: 'A breakdown for an indicator with no value on the Indicators sheet.',
  },
  'breakdown-sum-mismatch': {
    lv: 'Sadalījuma rindu summa nesakrīt ar rādītāja vērtību periodā.',
    en: "The breakdown rows do not add up to the indicator's value this period.",
  },
  'expenditure-negative': { lv: 'Izdevumi nedrīkst būt negatīvi.', en: 'Expenditure must not be negative.' },
  // An error a later registry can lift (a budget line added): the upload is kept and re-examined then.
  'category-not-in-budget': {
    lv: 'Izmaksu kategorija nav projekta budžetā; izmantojiet kādu no budžeta pozīcijām.',
    en: 'The cost category is not a budget line of the project; use one of the budget lines.',
  },
  'total-row-mismatch': {
    lv: 'Kopsummas rinda neatbilst rindu summai; kopsummas rinda nav ņemta vērā, izmantota rindu summa.',
    en: 'The total row differs from the sum of the rows; the total is not counted, the sum of the rows is used.',
  },
  'cell-duplicate': {
    lv: 'Šūna darbgrāmatas datnē ierakstīta divreiz ar dažādām vērtībām; atveriet datni programmā Excel un saglabājiet to vēlreiz.',
    en: 'The cell is given twice in the workbook file; save the file again in Excel.',
  },
  'row-duplicate': {
    lv: 'Rinda darbgrāmatas datnē ierakstīta divreiz; atveriet datni programmā Excel un saglabājiet to vēlreiz.',
    en: 'The row is given twice in the workbook file; save the file again in Excel.',
  },
  'participant-id-variants': {
    lv: 'Viens dalībnieka ID uzrakstīts dažādi (lielie/mazie burti, atstarpes vai neredzamas rakstzīmes); uzskatīts par vienu personu.',
    en: 'One participant ID is written in different ways (case, spaces or invisible characters); counted as one person.',
  },
  'date-implausible': {
    lv: 'Datums, visticamāk, ievadīts kļūdaini (tukša vai kļūdaina Excel datuma vērtība vai vairāk nekā gadu ārpus projekta īstenošanas laika).',
    en: 'The date is unlikely to be meant (an empty or faulty Excel date value, or more than a year outside the project).',
  },
  'upload-misplaced': {
    lv: 'Datne nav ievietota pareizajā vietā: augšupielādējiet .xlsx darbgrāmatu tieši projekta mapē inbox/<projekta ID>/.',
    en: 'The file is not where uploads go: upload an .xlsx workbook directly into the project folder inbox/<project ID>/.',
  },
  'annotated-copy-failed': {
    lv: 'Darbgrāmatas kopiju ar atzīmēm neizdevās izveidot; kļūdas ir uzskaitītas šajā vēstulē.',
    en: 'The annotated copy of the workbook could not be built; the problems are listed in this message.',
  },
  'text-too-long': { lv: 'Teksts ir par garu.', en: 'The text is too long.' },
  // Registry.
  'registry-missing': { lv: 'Nav spēkā esoša programmas reģistra.', en: 'There is no programme registry in force.' },
  'registry-duplicate-project': {
    lv: 'Projekta ID reģistrā atkārtojas.',
    en: 'The project ID appears more than once in the registry.',
  },
  'registry-project-id-invalid': {
    lv: 'Projekta ID drīkst saturēt tikai mazos burtus a–z, ciparus un defises.',
    en: 'A project ID may only contain lower-case letters a–z, digits and hyphens.',
  },
  'registry-end-before-start': {
    lv: 'Beigu datums ir pirms sākuma datuma.',
    en: 'The end date is before the start date.',
  },
  'registry-rate-out-of-range': {
    lv: 'Līdzfinansējuma likmei jābūt no 0 līdz 100 %.',
    en: 'The co-financing rate must be between 0 and 100 %.',
  },
  'registry-target-unknown-indicator': {
    lv: 'Mērķa vērtība norādīta nezināmam rādītājam.',
    en: 'A target for an unknown indicator.',
  },
  'registry-target-unknown-project': {
    lv: 'Mērķa vērtība norādīta nezināmam projektam.',
    en: 'A target for an unknown project.',
  },
  'registry-email-invalid': { lv: 'Nederīga e-pasta adrese.', en: 'Malformed e-mail address.' },
  'registry-no-projects': { lv: 'Reģistrā nav neviena projekta.', en: 'The registry lists no projects.' },
  'registry-date-outside-programme': {
    lv: 'Datums ir ārpus fonda plānošanas perioda (pārbaudiet gadu).',
    en: "The date lies outside the fund's programming period (check the year).",
  },
} as const satisfies Record<string, Bilingual>;

export type IssueCode = keyof typeof ISSUE_MESSAGES;

/**
 * Refusals that a later registry or a later date can lift (issue 14): an upload refused only for these stays
 * pending and is examined again, instead of being answered with a final "no". Nothing else is liftable: a wrong
 * cell stays wrong whatever the registry says.
 */
export const LIFTABLE_CODES: ReadonlySet<string> = new Set<IssueCode>([
  'registry-missing',
  'project-unknown',
  'period-before-start',
  'period-after-end',
  'period-in-future',
  'category-not-in-budget',
  'indicator-unknown',
]);

/** Whether every error among `issues` is liftable (and there is at least one). */
export function onlyLiftable(issues: readonly ValidationIssue[]): boolean {
  const errors = issues.filter((i) => i.severity === 'error');
  return errors.length > 0 && errors.every((i) => LIFTABLE_CODES.has(i.code));
}

/** Build an issue from its code. */
/**
 * What a repeated key should have been, in words: the row that already gave it (`A5` → row 5), in both languages,
 * since the expected text is shown beside both messages.
 */
export function alreadyGivenIn(ref: string | undefined): string {
  const row = ref ? /(\d+)$/.exec(ref)?.[1] : undefined;
  return row ? `jau norādīts ${row}. rindā / already given in row ${row}` : 'jau norādīts / already given';
}

export function issue(
  code: IssueCode,
  severity: Severity,
  where: { sheet?: string; cell?: string } = {},
  detail: { found?: string; expected?: string } = {},
): ValidationIssue {
  const result: ValidationIssue = { severity, code, message: ISSUE_MESSAGES[code] };
  if (where.sheet !== undefined) result.sheet = where.sheet;
  if (where.cell !== undefined) result.cell = where.cell;
  if (detail.found !== undefined) result.found = detail.found;
  if (detail.expected !== undefined) result.expected = detail.expected;
  return result;
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}
