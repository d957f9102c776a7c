/**
 * The words of every e-mail, in Latvian and English, and the number formats that go with each language.
 * Kept apart from the layout so a translator can review the texts in one place.
 */
import { formatNumber, lvPlural } from '../core/format';
import { LABELS } from '../core/labels';
import type { Bilingual, Lang } from '../core/types';

export { formatMoney as formatEur, formatNumber, formatPercent, formatQuantity } from '../core/format';

/**
 * The e-mails' fixed labels under the names the mail code uses; the words are in the one label table (core/labels.ts).
 * Sentences with values are the functions in {@link MAIL_SENTENCES}.
 */
export const MAIL_TEXT = {
  managerSubject: LABELS.managerSubject,
  uploadLinkHeading: LABELS.uploadLinkHeading,
  uploadLinkLabel: LABELS.uploadLinkLabel,
  correctedPrefix: LABELS.correctedPrefix,
  periodLabel: LABELS.period,
  deadlineLabel: LABELS.deadline,
  generatedLabel: LABELS.generatedAt,
  changesHeading: LABELS.changesHeading,
  noFigureChanges: LABELS.noFigureChanges,
  summaryHeading: LABELS.summary,
  projectsInPeriod: LABELS.projectsInPeriod,
  projectsReporting: LABELS.projectsReporting,
  spentThisPeriod: LABELS.spendingThisPeriod,
  spentCumulative: LABELS.spendingToDate,
  absorption: LABELS.absorptionShort,
  ofEligibleCost: LABELS.ofEligibleCost,
  status: LABELS.status,
  indicatorCount: LABELS.indicators,
  indicatorStatuses: LABELS.indicatorStatusesAllProjects,
  projectsHeading: LABELS.projectsCount,
  projectId: LABELS.project,
  title: LABELS.title,
  submission: LABELS.submission,
  elapsed: LABELS.elapsed,
  figure: LABELS.changedFigure,
  oldValue: LABELS.wasValue,
  newValue: LABELS.newValue,
  spendingFigure: LABELS.spendingFigure,
  attachmentsHeading: LABELS.attachmentsHeading,
  archiveHeading: LABELS.archiveHeading,
  archiveKey: LABELS.archiveKey,
  none: LABELS.none,
  automatic: LABELS.automatic,
  acceptedHeading: LABELS.acceptedHeading,
  rejectedHeading: LABELS.rejectedHeading,
  reminderHeading: LABELS.reminderHeading,
  waitingHeading: { lv: 'Iesniegums gaida', en: 'Submission waiting' },
  waitingSubject: { lv: 'iesniegums gaida', en: 'submission waiting' },
  acceptedSubject: LABELS.acceptedSubject,
  rejectedSubject: LABELS.rejectedSubject,
  reminderSubject: LABELS.reminderSubject,
  dueSubject: LABELS.dueSubject,
  unknownProject: LABELS.unknownProject,
  file: LABELS.uploadedFile,
  location: LABELS.location,
  severity: LABELS.type,
  error: LABELS.error,
  warning: LABELS.warning,
  message: LABELS.message,
  found: LABELS.found,
  expected: LABELS.expected,
  wholeFile: LABELS.wholeFile,
  warningsHeading: LABELS.warningsHeading,
  issuesHeading: LABELS.issuesHeading,
} as const;

/** Sentences that carry values. Values are inserted as plain text; the HTML layer escapes the result. */
export const MAIL_SENTENCES = {
  linkInReminder: {
    lv: 'Darbgrāmatu var augšupielādēt, izmantojot šo personīgo saiti. Saite derīga tikai šim projektam un periodam.',
    en: 'You can upload the workbook through this personal link. It works for this project and period only.',
  },
  linkAfterAcceptance: {
    lv: 'Ja jāiesniedz labojums, augšupielādējiet jauno versiju, izmantojot šo personīgo saiti (derīga šim projektam un periodam).',
    en: 'To send a correction, upload the new version through this personal link (for this project and period).',
  },
  linkAfterRejection: {
    lv: 'Izlabojiet kļūdas un augšupielādējiet darbgrāmatu vēlreiz, izmantojot šo personīgo saiti.',
    en: 'Correct the issues and upload the workbook again through this personal link.',
  },
  correctedIntro: (revision: number): Bilingual => ({
    lv: `Šī ir labotā redakcija r${revision}; tā aizstāj iepriekš nosūtīto pārskatu par šo periodu.`,
    en: `This is corrected revision r${revision}; it replaces the report sent earlier for this period.`,
  }),
  reportingCount: (reporting: number, total: number): Bilingual => ({
    lv: `${reporting} no ${total}`,
    en: `${reporting} of ${total}`,
  }),
  projectFilesAttached: (count: number): Bilingual =>
    count === 1
      ? {
          lv: 'Pievienots arī projekta pārskats (PDF un XLSX).',
          en: "The project's report (PDF and XLSX) is attached as well.",
        }
      : {
          lv: `Pievienoti arī ${count} projektu pārskati (PDF un XLSX).`,
          en: `The reports of ${count} projects (PDF and XLSX) are attached as well.`,
        },
  projectFilesListed: (limit: string): Bilingual => ({
    lv:
      `Projektu pārskati nav pievienoti, jo kopā ar tiem e-pasts pārsniegtu ${limit} ierobežojumu. ` +
      'Tie glabājas pārskatu arhīvā ar tālāk norādītajām atslēgām.',
    en:
      `The project reports are not attached because with them the e-mail would exceed the ${limit} limit. ` +
      'They are kept in the report archive under the keys below.',
  }),
  accepted: (projectId: string, period: string): Bilingual => ({
    lv: `Projekta ${projectId} progresa pārskata iesniegums par periodu ${period} ir pieņemts un tiks iekļauts ceturkšņa pārskatā. Ja vēlāk iesniegsiet labotu datni, spēkā būs jaunākā pieņemtā.`,
    en: `The progress submission of project ${projectId} for ${period} has been accepted and will be included in the quarterly report. If you later upload a corrected file, the newest accepted one is in force.`,
  }),
  acceptedWithWarnings: (count: number): Bilingual => ({
    lv: `Lūdzu, izskatiet tālāk norādītos brīdinājumus (${count}): tie netraucēja pieņemt iesniegumu, taču var liecināt par kļūdu datos.`,
    en: `Please review the warnings below (${count}); they did not prevent acceptance but may point to a mistake in the data.`,
  }),
  rejected: (sourceKey: string, errors: number): Bilingual => ({
    lv: `Datne ${sourceKey} netika pieņemta. Kļūdu skaits: ${errors}. Izlabojiet visas tabulā norādītās vietas un augšupielādējiet datni vēlreiz; līdz tam šis iesniegums pārskatā netiek ņemts vērā.`,
    en: `The file ${sourceKey} was not accepted. Errors: ${errors}. Correct every place listed in the table and upload the file again; until then this submission is not used in the report.`,
  }),
  waiting: (sourceKey: string, since: string): Bilingual => ({
    lv: `Datne ${sourceKey} (augšupielādēta ${since}) vēl nav ne pieņemta, ne noraidīta: tā gaida, jo pašlaik to nevar pārbaudīt pret reģistru vai datumu (iemesli norādīti tālāk). Tā tiks pārbaudīta vēlreiz, tiklīdz mainīsies reģistrs vai sāksies periods; tad saņemsiet atbildi. Ja iemesls ir kļūda datnē, augšupielādējiet labotu datni.`,
    en: `The file ${sourceKey} (uploaded ${since}) is neither accepted nor rejected yet: it is waiting, because it cannot be checked against the registry or the date now (reasons below). It will be checked again as soon as the registry changes or the period begins, and you will get an answer then. If the reason is a mistake in the file, upload a corrected file.`,
  }),
  otherProjectNamed: (named: string, folder: string): Bilingual => ({
    lv: `Darbgrāmatā norādīts projekts ${named}, bet tā augšupielādēta projekta ${folder} mapē; šī atbilde nosūtīta tikai projekta ${folder} koordinatoriem.`,
    en: `The workbook names project ${named} but was uploaded into the folder of project ${folder}; this answer goes to the coordinators of ${folder} only.`,
  }),
  annotatedAttached: (filename: string): Bilingual => ({
    lv: `Pielikumā (${filename}) ir jūsu darbgrāmata ar iezīmētām kļūdainajām šūnām.`,
    en: `Attached (${filename}) is your workbook with the wrong cells highlighted.`,
  }),
  moreNotListed: (count: number): Bilingual => ({
    lv: `Vēl ${count} ${lvPlural(count, 'ieraksts šeit nav uzskaitīts', 'ieraksti šeit nav uzskaitīti', 'ierakstu šeit nav uzskaitīts')}.`,
    en: count === 1 ? '1 more entry is not listed here.' : `${count} more entries are not listed here.`,
  }),
  reminder: (projectId: string, title: string, period: string, deadline: string): Bilingual => ({
    lv: `Atgādinām, ka projekta ${projectId} „${title}” progresa pārskata iesniegums par periodu ${period} vēl nav saņemts. Iesniegšanas termiņš ir ${deadline}.`,
    en: `This is a reminder that the progress submission of project ${projectId} "${title}" for ${period} has not been received yet. The deadline is ${deadline}.`,
  }),
  reminderUpload: (uploadTo: string | undefined): Bilingual =>
    uploadTo === undefined
      ? {
          lv: 'Lūdzu, augšupielādējiet aizpildīto iesniegšanas darbgrāmatu (.xlsx) līdz termiņam.',
          en: 'Please upload the completed submission workbook (.xlsx) by the deadline.',
        }
      : {
          lv: `Lūdzu, augšupielādējiet aizpildīto iesniegšanas darbgrāmatu (.xlsx) uz ${uploadTo} līdz termiņam.`,
          en: `Please upload the completed submission workbook (.xlsx) to ${uploadTo} by the deadline.`,
        },
  reminderIgnore: {
    lv: 'Ja iesniegums jau ir iesniegts, šo atgādinājumu varat neņemt vērā.',
    en: 'If you have already submitted it, please ignore this reminder.',
  },
};

/**
 * Groups digits by hand rather than with `Intl`, so the text does not depend on the ICU data of the Node build
 * (mails are compared byte for byte in tests and their Message-ID is a content hash).
 */
export function formatBytes(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, lang)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), lang, 1, 1)} MB`;
}
