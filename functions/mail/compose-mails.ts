/**
 * The four e-mails of the flow (docs/architecture.md §1): the managers' quarterly report, and the coordinator's acceptance
 * receipt, rejection and deadline reminder. Pure: models and bytes in, an {@link OutgoingMail} out; a Mailer sends it.
 *
 * Every mail has a plain-text and an HTML body built from the same blocks, so the two never disagree. The HTML is
 * deliberately plain (tables, inline styles, no CSS classes or images) because Outlook renders with Word's engine.
 * No personal data goes in: project ids, titles, figures, storage keys and the coordinator's own (already masked)
 * cell values only; participant IDs never reach this module.
 */
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { formatDate, formatDateTime } from '../core/format';
import { LABELS } from '../core/labels';
import type { MailAttachment, OutgoingMail } from '../core/ports';
import {
  type IndicatorStatus,
  type ProgrammeReportModel,
  type ReportChange,
  STATUS_COLOURS,
  STATUS_LABELS,
  STATUSES,
  SUBMISSION_STATUS_LABELS,
  type SubmissionStatus,
} from '../core/report-types';
import type { Bilingual, Lang, ValidationIssue } from '../core/types';
import {
  formatBytes,
  formatEur,
  formatNumber,
  formatPercent,
  formatQuantity,
  MAIL_SENTENCES,
  MAIL_TEXT,
} from './mail-text';

export const PDF_CONTENT_TYPE = 'application/pdf';
export { XLSX_CONTENT_TYPE };

/**
 * Largest message the managers' mail may become with the project reports attached. SES (and many mail servers)
 * cap a message at 10 MB after encoding; decimal megabytes keep us under either reading of "MB".
 */
export const DEFAULT_MAX_MAIL_BYTES = 10_000_000;

/**
 * At most this many issue rows go into one e-mail. A broken workbook can yield an issue per row; beyond this the
 * annotated workbook (which marks every cell) is the better guide, and the mail stays small enough to deliver.
 */
export const MAX_LISTED_ISSUES = 1000;

/** Marks every mail as machine-sent (RFC 3834) so out-of-office replies do not answer it. */
const AUTO_HEADERS: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };

/** One project's rendered report, with the archive keys it is stored under. */
export interface ProjectReportFiles {
  projectId: string;
  title: string;
  pdf: Uint8Array;
  xlsx: Uint8Array;
  pdfKey: string;
  xlsxKey: string;
}

/** Input of {@link composeManagerMail}. */
export interface ManagerMailInput {
  from: string;
  to: string;
  /** The recipient's language; the whole mail is written in it. */
  lang: Lang;
  programme: ProgrammeReportModel;
  programmePdf: Uint8Array;
  programmeXlsx: Uint8Array;
  projectFiles: ProjectReportFiles[];
  /** Encoded size above which project reports are listed by archive key instead of attached. */
  maxBytes?: number;
}

/** Input of {@link composeAcceptanceMail}. */
export interface AcceptanceMailInput {
  from: string;
  to: string[];
  /** Which language comes first; the mail is always bilingual. Default `lv`. */
  lang?: Lang;
  projectId: string;
  period: string;
  sourceKey: string;
  sha256: string;
  warnings: ValidationIssue[];
  /** The coordinators' personal upload link (drop page) for this project and period, if links are configured. */
  uploadLink?: string | undefined;
}

/** Input of {@link composeRejectionMail}. */
export interface RejectionMailInput {
  from: string;
  to: string[];
  /** Null when the upload could not be tied to a project. */
  projectId: string | null;
  sourceKey: string;
  issues: ValidationIssue[];
  /** The coordinator's workbook with the wrong cells highlighted. */
  annotated?: { filename: string; content: Uint8Array };
  /** The upload link for a corrected workbook (the upload's period, or the project's next due one). */
  uploadLink?: string | undefined;
  /** The project the workbook names, when it is not the folder's project (said so in the message). */
  namedProject?: string;
}

/** Input of {@link composeWaitingMail}. */
export interface WaitingMailInput {
  from: string;
  to: string[];
  projectId: string;
  sourceKey: string;
  /** When it was uploaded, `YYYY-MM-DD`. */
  since: string;
  /** What it waits for: the liftable issues. */
  issues: ValidationIssue[];
}

/** Input of {@link composeReminderMail}. */
export interface ReminderMailInput {
  from: string;
  to: string[];
  projectId: string;
  projectTitle: string;
  period: string;
  /** `YYYY-MM-DD`. */
  deadline: string;
  /** Where to upload (e.g. the project's inbox prefix, from `keys.ts`); omitted from the text when not given. */
  uploadTo?: string;
  /** The coordinators' personal upload link (drop page) for this project and period. */
  uploadLink?: string | undefined;
}

/**
 * The quarterly report for one manager, in the manager's language. Corrected revisions (r2+, or any recorded
 * change) say so in the subject and list every changed figure. The programme PDF and XLSX are always attached;
 * the project reports are attached too unless that would push the encoded message over `maxBytes`, in which case
 * none is attached and each is listed by its archive key (all-or-nothing, so nobody mistakes a partial set for all).
 */
export function composeManagerMail(input: ManagerMailInput): OutgoingMail {
  const { lang, programme: p } = input;
  const t = (b: Bilingual) => b[lang];
  const corrected = p.revision > 1 || p.changes.length > 0 || (p.notes ?? []).length > 0;
  const title = `${t(MAIL_TEXT.managerSubject)} ${p.period} (r${p.revision})`;
  const subject = corrected ? `${t(MAIL_TEXT.correctedPrefix)}: ${title}` : title;
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_MAIL_BYTES;

  const programmeAttachments: MailAttachment[] = [
    {
      filename: `programme-${p.period}-r${p.revision}.pdf`,
      content: input.programmePdf,
      contentType: PDF_CONTENT_TYPE,
    },
    {
      filename: `programme-${p.period}-r${p.revision}.xlsx`,
      content: input.programmeXlsx,
      contentType: XLSX_CONTENT_TYPE,
    },
  ];
  const projectAttachments: MailAttachment[] = input.projectFiles.flatMap((f) => [
    {
      filename: safeFilename(`${f.projectId}-${p.period}-r${p.revision}.pdf`),
      content: f.pdf,
      contentType: PDF_CONTENT_TYPE,
    },
    {
      filename: safeFilename(`${f.projectId}-${p.period}-r${p.revision}.xlsx`),
      content: f.xlsx,
      contentType: XLSX_CONTENT_TYPE,
    },
  ]);

  const build = (attachProjects: boolean): OutgoingMail => {
    const attachments = attachProjects ? [...programmeAttachments, ...projectAttachments] : programmeAttachments;
    const blocks = managerBlocks(input, subject, corrected, attachments, attachProjects, maxBytes);
    return {
      from: input.from,
      to: [input.to],
      subject,
      text: renderText(blocks),
      html: renderHtml(blocks, lang, subject),
      attachments,
      headers: { ...AUTO_HEADERS },
    };
  };

  const full = build(true);
  if (projectAttachments.length === 0 || estimateEncodedSize(full) <= maxBytes) return full;
  return build(false);
}

function managerBlocks(
  input: ManagerMailInput,
  subject: string,
  corrected: boolean,
  attachments: MailAttachment[],
  projectsAttached: boolean,
  maxBytes: number,
): Block[] {
  const { lang, programme: p } = input;
  const t = (b: Bilingual) => b[lang];
  const blocks: Block[] = [
    { kind: 'h1', text: subject },
    {
      kind: 'fields',
      rows: [
        [
          t(MAIL_TEXT.periodLabel),
          `${p.period} (${formatDate(p.periodStart, lang)} – ${formatDate(p.periodEnd, lang)})`,
        ],
        [t(MAIL_TEXT.deadlineLabel), formatDate(p.deadline, lang)],
        // Every time a person reads is Riga time, and says so (the reports print the same).
        [t(MAIL_TEXT.generatedLabel), `${formatDateTime(p.generatedAt, lang)} (${LABELS.rigaTime[lang]})`],
      ],
    },
  ];

  if (corrected) {
    blocks.push({ kind: 'p', text: t(MAIL_SENTENCES.correctedIntro(p.revision)), tone: 'notice' });
    blocks.push({ kind: 'h2', text: t(MAIL_TEXT.changesHeading) });
    for (const note of p.notes ?? []) blocks.push({ kind: 'p', text: note[lang] });
    if (p.changes.length === 0) blocks.push({ kind: 'p', text: t(MAIL_TEXT.noFigureChanges) });
    else {
      const titles = new Map(p.projects.map((row) => [row.id, row.title]));
      const names = new Map(p.indicators.map((row) => [row.code, row.name[lang]]));
      blocks.push({
        kind: 'table',
        columns: [
          { header: t(MAIL_TEXT.projectId) },
          { header: t(MAIL_TEXT.title) },
          { header: t(MAIL_TEXT.figure) },
          { header: t(MAIL_TEXT.oldValue), numeric: true },
          { header: t(MAIL_TEXT.newValue), numeric: true },
        ],
        rows: p.changes.map((c) => [
          c.projectId,
          titles.get(c.projectId) ?? '',
          figureLabel(c, names, lang),
          changeValue(c, c.old, lang),
          { text: changeValue(c, c.new, lang), bold: true },
        ]),
      });
    }
  }

  const { onTime, late, missing } = p.completeness;
  const ids = (list: string[]) => (list.length === 0 ? '' : ` — ${list.join(', ')}`);
  blocks.push(
    { kind: 'h2', text: t(MAIL_TEXT.summaryHeading) },
    {
      kind: 'fields',
      rows: [
        [t(MAIL_TEXT.projectsInPeriod), String(p.projects.length)],
        [
          t(MAIL_TEXT.projectsReporting),
          t(MAIL_SENTENCES.reportingCount(onTime.length + late.length, p.projects.length)),
        ],
        [t(SUBMISSION_STATUS_LABELS['on-time']), `${onTime.length}${ids(onTime)}`],
        [
          t(SUBMISSION_STATUS_LABELS.late),
          { text: `${late.length}${ids(late)}`, colour: late.length ? LATE : undefined },
        ],
        [
          t(SUBMISSION_STATUS_LABELS.missing),
          { text: `${missing.length}${ids(missing)}`, colour: missing.length ? MISSING : undefined },
        ],
        [t(MAIL_TEXT.spentThisPeriod), formatEur(p.finance.spentThisPeriod, lang)],
        [t(MAIL_TEXT.spentCumulative), formatEur(p.finance.spentCumulative, lang)],
        [
          t(MAIL_TEXT.absorption),
          `${formatPercent(p.finance.absorption, lang)} ${t(MAIL_TEXT.ofEligibleCost)} (${formatEur(p.finance.eligibleCost, lang)})`,
        ],
      ],
    },
    { kind: 'h2', text: t(MAIL_TEXT.indicatorStatuses) },
    {
      kind: 'table',
      columns: [{ header: t(MAIL_TEXT.status) }, { header: t(MAIL_TEXT.indicatorCount), numeric: true }],
      rows: STATUSES.map((status) => [
        { text: t(STATUS_LABELS[status]), colour: `#${STATUS_COLOURS[status]}`, bold: true },
        String(countStatus(p, status)),
      ]),
    },
    { kind: 'h2', text: t(MAIL_TEXT.projectsHeading) },
    {
      kind: 'table',
      columns: [
        { header: t(MAIL_TEXT.projectId) },
        { header: t(MAIL_TEXT.title) },
        { header: t(MAIL_TEXT.submission) },
        { header: t(MAIL_TEXT.spentCumulative), numeric: true },
        { header: t(MAIL_TEXT.absorption), numeric: true },
        { header: t(MAIL_TEXT.elapsed), numeric: true },
      ],
      rows: p.projects.map((row) => [
        row.id,
        row.title,
        { text: t(SUBMISSION_STATUS_LABELS[row.submission]), colour: SUBMISSION_COLOURS[row.submission] },
        formatEur(row.spentCumulative, lang),
        formatPercent(row.absorption, lang),
        formatPercent(row.elapsed, lang),
      ]),
    },
    { kind: 'h2', text: t(MAIL_TEXT.attachmentsHeading) },
    { kind: 'list', items: attachments.map((a) => `${a.filename} (${formatBytes(a.content.byteLength, lang)})`) },
  );

  if (input.projectFiles.length > 0 && projectsAttached) {
    blocks.push({ kind: 'p', text: t(MAIL_SENTENCES.projectFilesAttached(input.projectFiles.length)) });
  } else if (input.projectFiles.length > 0) {
    blocks.push(
      { kind: 'p', text: t(MAIL_SENTENCES.projectFilesListed(formatLimit(maxBytes, lang))), tone: 'notice' },
      { kind: 'h2', text: t(MAIL_TEXT.archiveHeading) },
      {
        kind: 'table',
        columns: [
          { header: t(MAIL_TEXT.projectId) },
          { header: t(MAIL_TEXT.title) },
          { header: `PDF — ${t(MAIL_TEXT.archiveKey)}`, mono: true },
          { header: `XLSX — ${t(MAIL_TEXT.archiveKey)}`, mono: true },
        ],
        rows: input.projectFiles.map((f) => [f.projectId, f.title, f.pdfKey, f.xlsxKey]),
      },
    );
  }
  blocks.push({ kind: 'p', text: t(MAIL_TEXT.automatic), tone: 'muted' });
  return blocks;
}

/**
 * The coordinator's receipt for an accepted upload: the project, the period and the file by its name (the name
 * tells them which of several uploads it was), and any warnings. Bilingual; `lang` only decides which language
 * comes first.
 */
export function composeAcceptanceMail(input: AcceptanceMailInput): OutgoingMail {
  const order = languageOrder(input.lang);
  const both = (b: Bilingual) => order.map((l) => b[l]).join(' / ');
  const heading = both(MAIL_TEXT.acceptedHeading);
  const subject = `PMIF ${input.projectId} ${input.period}: ${both(MAIL_TEXT.acceptedSubject)}`;
  const accepted = MAIL_SENTENCES.accepted(input.projectId, input.period);
  const warned = MAIL_SENTENCES.acceptedWithWarnings(input.warnings.length);

  const blocks: Block[] = [{ kind: 'h1', text: heading }];
  for (const l of order) {
    blocks.push({ kind: 'p', text: accepted[l], lang: l });
    if (input.warnings.length > 0) blocks.push({ kind: 'p', text: warned[l], lang: l });
  }
  blocks.push({
    kind: 'fields',
    rows: [
      [both(MAIL_TEXT.projectId), input.projectId],
      [both(MAIL_TEXT.periodLabel), input.period],
      // The file by the name the coordinator gave it, not the storage key.
      [both(MAIL_TEXT.file), basename(input.sourceKey)],
    ],
  });
  if (input.warnings.length > 0) {
    // With what was typed and what is expected (or was computed), so a coordinator sees the difference itself.
    blocks.push({ kind: 'h2', text: both(MAIL_TEXT.warningsHeading) }, ...issueBlocks(input.warnings, order, true));
  }
  blocks.push(...uploadLinkBlocks(input.uploadLink, order, MAIL_SENTENCES.linkAfterAcceptance));
  blocks.push({ kind: 'p', text: both(MAIL_TEXT.automatic), tone: 'muted' });
  return bilingualMail(input, subject, blocks, order[0], []);
}

/**
 * The coordinator's rejection: every issue with its place (sheet!cell), the message in both languages, what was
 * found and what is expected; errors before warnings. The annotated workbook rides along when there is one.
 */
export function composeRejectionMail(input: RejectionMailInput): OutgoingMail {
  const order = languageOrder('lv');
  const both = (b: Bilingual) => order.map((l) => b[l]).join(' / ');
  const label = input.projectId ?? basename(input.sourceKey);
  const subject = `PMIF ${label}: ${both(MAIL_TEXT.rejectedSubject)}`;
  const errors = input.issues.filter((i) => i.severity === 'error').length;
  const rejected = MAIL_SENTENCES.rejected(basename(input.sourceKey), errors);
  const annotated = input.annotated;

  const blocks: Block[] = [{ kind: 'h1', text: both(MAIL_TEXT.rejectedHeading) }];
  for (const l of order) {
    blocks.push({ kind: 'p', text: rejected[l], lang: l });
    if (annotated) blocks.push({ kind: 'p', text: MAIL_SENTENCES.annotatedAttached(annotated.filename)[l], lang: l });
    if (input.namedProject && input.projectId)
      blocks.push({
        kind: 'p',
        text: MAIL_SENTENCES.otherProjectNamed(input.namedProject, input.projectId)[l],
        lang: l,
      });
  }
  blocks.push(
    {
      kind: 'fields',
      rows: [
        [both(MAIL_TEXT.projectId), input.projectId ?? both(MAIL_TEXT.unknownProject)],
        [both(MAIL_TEXT.file), basename(input.sourceKey)],
      ],
    },
    { kind: 'h2', text: both(MAIL_TEXT.issuesHeading) },
    ...issueBlocks(sortIssues(input.issues), order, true),
    ...uploadLinkBlocks(input.uploadLink, order, MAIL_SENTENCES.linkAfterRejection),
    { kind: 'p', text: both(MAIL_TEXT.automatic), tone: 'muted' },
  );
  const attachments: MailAttachment[] = annotated
    ? [{ filename: safeFilename(annotated.filename), content: annotated.content, contentType: XLSX_CONTENT_TYPE }]
    : [];
  return bilingualMail(input, subject, blocks, 'lv', attachments);
}

/**
 * The one mail about an upload still pending after a week (issue 14): neither accepted nor refused, and what it
 * waits for (a registry change or the period's start), so the coordinator is not left guessing.
 */
export function composeWaitingMail(input: WaitingMailInput): OutgoingMail {
  const order = languageOrder('lv');
  const both = (b: Bilingual) => order.map((l) => b[l]).join(' / ');
  const subject = `PMIF ${input.projectId}: ${both(MAIL_TEXT.waitingSubject)}`;
  const waiting = MAIL_SENTENCES.waiting(input.sourceKey, input.since);
  const blocks: Block[] = [{ kind: 'h1', text: both(MAIL_TEXT.waitingHeading) }];
  for (const l of order) blocks.push({ kind: 'p', text: waiting[l], lang: l });
  blocks.push(
    {
      kind: 'fields',
      rows: [
        [both(MAIL_TEXT.projectId), input.projectId],
        [both(MAIL_TEXT.file), { text: input.sourceKey, mono: true }],
      ],
    },
    { kind: 'h2', text: both(MAIL_TEXT.issuesHeading) },
    ...issueBlocks(sortIssues(input.issues), order, true),
    { kind: 'p', text: both(MAIL_TEXT.automatic), tone: 'muted' },
  );
  return bilingualMail(input, subject, blocks, 'lv', []);
}

/** A bilingual reminder that a project's submission for the period has not arrived and when it is due. */
export function composeReminderMail(input: ReminderMailInput): OutgoingMail {
  const order = languageOrder('lv');
  const both = (b: Bilingual) => order.map((l) => b[l]).join(' / ');
  const subject =
    `PMIF ${input.projectId} ${input.period}: ` +
    order.map((l) => `${MAIL_TEXT.reminderSubject[l]}, ${MAIL_TEXT.dueSubject[l]} ${input.deadline}`).join(' / ');
  const reminder = MAIL_SENTENCES.reminder(input.projectId, input.projectTitle, input.period, input.deadline);
  const upload = MAIL_SENTENCES.reminderUpload(input.uploadTo);

  const blocks: Block[] = [{ kind: 'h1', text: both(MAIL_TEXT.reminderHeading) }];
  for (const l of order) {
    blocks.push(
      { kind: 'p', text: reminder[l], lang: l },
      { kind: 'p', text: upload[l], lang: l },
      { kind: 'p', text: MAIL_SENTENCES.reminderIgnore[l], lang: l },
    );
  }
  blocks.push(
    {
      kind: 'fields',
      rows: [
        [both(MAIL_TEXT.projectId), `${input.projectId} — ${input.projectTitle}`],
        [both(MAIL_TEXT.periodLabel), input.period],
        [both(MAIL_TEXT.deadlineLabel), { text: input.deadline, bold: true }],
      ],
    },
    ...uploadLinkBlocks(input.uploadLink, order, MAIL_SENTENCES.linkInReminder),
    { kind: 'p', text: both(MAIL_TEXT.automatic), tone: 'muted' },
  );
  return bilingualMail(input, subject, blocks, 'lv', []);
}

/**
 * An upper bound of the message's size once encoded: base64 attachments (4/3, wrapped at 76 columns) with their
 * part headers, the bodies as if every byte were quoted-printable-escaped, and room for the top-level headers.
 * Deliberately pessimistic: overshooting only means listing files instead of attaching them.
 */
export function estimateEncodedSize(mail: OutgoingMail): number {
  const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
  const headers =
    4096 +
    3 * (utf8(mail.subject) + utf8(mail.from) + mail.to.reduce((n, to) => n + utf8(to), 0)) +
    Object.entries(mail.headers ?? {}).reduce((n, [k, v]) => n + utf8(k) + 3 * utf8(v) + 4, 0);
  // Quoted-printable turns a byte into at most three characters, plus a soft line break every 76: 3.2 is safe.
  const bodies = Math.ceil(3.2 * (utf8(mail.text) + utf8(mail.html))) + 2048;
  const attachments = mail.attachments.reduce((n, a) => n + base64Size(a.content.byteLength) + 1024, 0);
  return headers + bodies + attachments;
}

function base64Size(bytes: number): number {
  const chars = Math.ceil(bytes / 3) * 4;
  return chars + Math.ceil(chars / 76) * 2;
}

// --- Shared pieces ---------------------------------------------------------------------------------------------

const LATE = '#8A5A00';
const MISSING = '#C62828';
const SUBMISSION_COLOURS: Record<SubmissionStatus, string | undefined> = {
  'on-time': undefined,
  late: LATE,
  missing: MISSING,
};

function bilingualMail(
  input: { from: string; to: string[] },
  subject: string,
  blocks: Block[],
  lang: Lang,
  attachments: MailAttachment[],
): OutgoingMail {
  return {
    from: input.from,
    to: [...input.to],
    subject,
    text: renderText(blocks),
    html: renderHtml(blocks, lang, subject),
    attachments,
    headers: { ...AUTO_HEADERS },
  };
}

function languageOrder(first: Lang | undefined): [Lang, Lang] {
  return first === 'en' ? ['en', 'lv'] : ['lv', 'en'];
}

function countStatus(p: ProgrammeReportModel, status: IndicatorStatus): number {
  return p.projects.reduce((n, row) => n + (row.statusCounts[status] ?? 0), 0);
}

function figureLabel(change: ReportChange, names: Map<string, string>, lang: Lang): string {
  if (change.figure === 'finance') return MAIL_TEXT.spendingFigure[lang];
  const name = names.get(change.figure);
  return name ? `${change.figure} — ${name}` : change.figure;
}

function changeValue(change: ReportChange, value: number, lang: Lang): string {
  return change.figure === 'finance' ? formatNumber(value, lang, 2, 2) : formatQuantity(value, lang);
}

/** The limit in the decimal units it is set in: `10 MB`, `2,5 MB`, `20 kB`. */
function formatLimit(maxBytes: number, lang: Lang): string {
  const [unit, size] = maxBytes >= 1_000_000 ? ['MB', 1_000_000] : ['kB', 1_000];
  const value = maxBytes / size;
  return `${formatNumber(value, lang, 0, 1)} ${unit}`;
}

function basename(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1) || key;
}

/** Attachment names go into MIME headers and onto the reader's disk: keep them to a portable alphabet. */
function safeFilename(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]/gu, '_');
}

/** Excel's own notation: quote a sheet name unless it is a plain word. */
function sheetRef(sheet: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
}

/** Where an issue is, as the mail and the drop page show it: `Sheet!B7`, a sheet, or "whole file". */
export function issueLocation(issue: ValidationIssue, order: [Lang, Lang]): string {
  if (issue.sheet && issue.cell) return `${sheetRef(issue.sheet)}!${issue.cell}`;
  if (issue.sheet) return sheetRef(issue.sheet);
  if (issue.cell) return issue.cell;
  return order.map((l) => MAIL_TEXT.wholeFile[l]).join(' / ');
}

/** Errors first, then warnings; otherwise the validator's order, which follows the workbook. */
function sortIssues(issues: ValidationIssue[]): ValidationIssue[] {
  return [...issues.filter((i) => i.severity === 'error'), ...issues.filter((i) => i.severity !== 'error')];
}

function issueBlocks(issues: ValidationIssue[], order: [Lang, Lang], detailed: boolean): Block[] {
  const both = (b: Bilingual) => order.map((l) => b[l]).join(' / ');
  const listed = issues.slice(0, MAX_LISTED_ISSUES);
  const columns: Column[] = [{ header: both(MAIL_TEXT.location), mono: true }];
  if (detailed) columns.push({ header: both(MAIL_TEXT.severity) });
  columns.push(...order.map((l) => ({ header: MAIL_TEXT.message[l] })));
  if (detailed) columns.push({ header: both(MAIL_TEXT.found), mono: true }, { header: both(MAIL_TEXT.expected) });

  const rows = listed.map((issue) => {
    const row: Cell[] = [issueLocation(issue, order)];
    if (detailed) {
      const isError = issue.severity === 'error';
      row.push({ text: both(isError ? MAIL_TEXT.error : MAIL_TEXT.warning), colour: isError ? MISSING : LATE });
    }
    row.push(...order.map((l) => issue.message[l]));
    if (detailed) row.push(issue.found ?? '', issue.expected ?? '');
    return row;
  });
  const blocks: Block[] = [{ kind: 'table', columns, rows }];
  if (issues.length > listed.length) {
    blocks.push({ kind: 'p', text: both(MAIL_SENTENCES.moreNotListed(issues.length - listed.length)) });
  }
  return blocks;
}

/** The upload link: a sentence in each language and the link itself (a button in HTML, the address in text). */
function uploadLinkBlocks(link: string | undefined, order: [Lang, Lang], sentence: Bilingual): Block[] {
  if (!link) return [];
  return [
    { kind: 'h2', text: order.map((l) => MAIL_TEXT.uploadLinkHeading[l]).join(' / ') },
    ...order.map((l): Block => ({ kind: 'p', text: sentence[l], lang: l })),
    { kind: 'link', label: order.map((l) => MAIL_TEXT.uploadLinkLabel[l]).join(' / '), href: link },
  ];
}

// --- Layout: one list of blocks, rendered as HTML and as plain text ----------------------------------------------

/** A table cell: plain text, optionally styled. Text is always escaped when rendered as HTML. */
type Cell = string | { text: string; colour?: string | undefined; bold?: boolean; mono?: boolean };

interface Column {
  header: string;
  numeric?: boolean;
  mono?: boolean;
}

type Block =
  | { kind: 'h1' | 'h2'; text: string }
  | { kind: 'p'; text: string; tone?: 'notice' | 'muted'; lang?: Lang }
  | { kind: 'fields'; rows: [string, Cell][] }
  | { kind: 'table'; columns: Column[]; rows: Cell[][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'link'; label: string; href: string };

const FONT = 'font-family:Arial,Helvetica,sans-serif;';
const MONO = "font-family:Consolas,'Courier New',monospace;";
const BORDER = 'border:1px solid #C8C8C8;';
// Every element carries its own font: Outlook does not pass the body's font on into tables.
const STYLE = {
  body: `${FONT}font-size:14px;line-height:1.4;color:#1A1A1A;background:#FFFFFF;margin:0;padding:16px;`,
  h1: `${FONT}font-size:20px;font-weight:bold;color:#1A1A1A;margin:0 0 12px 0;`,
  h2: `${FONT}font-size:16px;font-weight:bold;color:#1A1A1A;margin:20px 0 8px 0;`,
  p: `${FONT}font-size:14px;color:#1A1A1A;margin:0 0 10px 0;`,
  muted: `${FONT}font-size:12px;color:#666666;margin:20px 0 0 0;`,
  notice: `${FONT}font-size:14px;color:#1A1A1A;background:#FFF4E5;border:1px solid #E0A100;padding:8px 12px;`,
  table: `border-collapse:collapse;${BORDER}margin:0 0 12px 0;`,
  th: `font-weight:bold;background:#EEF1F5;${BORDER}padding:6px 8px;vertical-align:top;`,
  td: `${BORDER}padding:6px 8px;vertical-align:top;`,
  li: `${FONT}font-size:14px;margin:0 0 4px 0;`,
  button: `${FONT}font-size:15px;font-weight:bold;color:#FFFFFF;background:#1F4E79;padding:10px 16px;text-decoration:none;display:inline-block;`,
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function cellText(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

function htmlCell(tag: 'td' | 'th', cell: Cell, column: Column | undefined): string {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  // Headers stay in the text font; only the values of a code-like column (keys, hashes, cells) are monospaced.
  const mono = tag === 'td' && (column?.mono || ('mono' in c && c.mono));
  let style = mono ? `${MONO}font-size:12px;` : `${FONT}font-size:13px;`;
  style += tag === 'th' ? STYLE.th : STYLE.td;
  style += column?.numeric ? 'text-align:right;white-space:nowrap;' : 'text-align:left;';
  style += `color:${('colour' in c && c.colour) || '#1A1A1A'};`;
  if ('bold' in c && c.bold) style += 'font-weight:bold;';
  // An empty cell would lose its borders in some clients.
  const content = c.text === '' ? '&nbsp;' : escapeHtml(c.text).replace(/\n/g, '<br>');
  return `<${tag} style="${style}">${content}</${tag}>`;
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'h1':
    case 'h2':
      return `<${block.kind} style="${STYLE[block.kind]}">${escapeHtml(block.text)}</${block.kind}>`;
    case 'p': {
      const langAttr = block.lang ? ` lang="${block.lang}"` : '';
      const text = escapeHtml(block.text);
      if (block.tone === 'notice') {
        // A one-cell table: Outlook ignores padding and backgrounds on paragraphs.
        return (
          `<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 12px 0;">` +
          `<tr><td${langAttr} style="${STYLE.notice}">${text}</td></tr></table>`
        );
      }
      return `<p${langAttr} style="${block.tone === 'muted' ? STYLE.muted : STYLE.p}">${text}</p>`;
    }
    case 'fields':
      return (
        `<table cellpadding="0" cellspacing="0" style="${STYLE.table}">` +
        block.rows
          .map(([label, value]) => `<tr>${htmlCell('th', label, undefined)}${htmlCell('td', value, undefined)}</tr>`)
          .join('') +
        '</table>'
      );
    case 'table': {
      const head = `<tr>${block.columns.map((c) => htmlCell('th', c.header, c)).join('')}</tr>`;
      const body = block.rows
        .map((row) => `<tr>${row.map((cell, i) => htmlCell('td', cell, block.columns[i])).join('')}</tr>`)
        .join('');
      return `<table cellpadding="0" cellspacing="0" style="${STYLE.table}">${head}${body}</table>`;
    }
    case 'link':
      // A plain, visible link with the address beside it: some clients strip buttons, everyone can copy an address.
      return (
        `<p style="${STYLE.p}"><a href="${escapeHtml(block.href)}" style="${STYLE.button}">${escapeHtml(block.label)}</a></p>` +
        `<p style="${STYLE.muted}margin-top:0;word-break:break-all;">${escapeHtml(block.href)}</p>`
      );
    case 'list':
      return `<ul style="margin:0 0 12px 0;padding-left:20px;">${block.items
        .map((item) => `<li style="${STYLE.li}">${escapeHtml(item)}</li>`)
        .join('')}</ul>`;
  }
}

function renderHtml(blocks: Block[], lang: Lang, title: string): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
    `<title>${escapeHtml(title)}</title></head>`,
    `<body style="${STYLE.body}">`,
    ...blocks.map(htmlBlock),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function textBlock(block: Block): string {
  switch (block.kind) {
    case 'h1':
      return `${block.text}\n${'='.repeat(block.text.length)}`;
    case 'h2':
      return `${block.text}\n${'-'.repeat(block.text.length)}`;
    case 'p':
      return block.text;
    case 'fields':
      return block.rows.map(([label, value]) => `${label}: ${cellText(value)}`).join('\n');
    case 'table':
      return [block.columns.map((c) => c.header), ...block.rows.map((row) => row.map(cellText))]
        .map((cells) => cells.map((c) => c.replace(/\s*\n\s*/g, ' ')).join(' | '))
        .join('\n');
    case 'list':
      return block.items.map((item) => `- ${item}`).join('\n');
    case 'link':
      return `${block.label}:\n${block.href}`;
  }
}

function renderText(blocks: Block[]): string {
  return `${blocks.map(textBlock).join('\n\n')}\n`;
}
