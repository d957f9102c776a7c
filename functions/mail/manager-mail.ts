/**
 * The managers' quarterly report mail (docs/architecture.md §1), in the manager's language. No personal data goes
 * in: project ids, titles, figures and storage keys only; participant IDs never reach this module.
 */
import { XLSX_CONTENT_TYPE } from '../core/cells';
import { formatDate, formatDateTime } from '../core/format';
import { LABELS, STATUS_LABELS, SUBMISSION_STATUS_LABELS } from '../core/labels';
import type { MailAttachment, OutgoingMail } from '../core/ports';
import {
  type IndicatorStatus,
  type ProgrammeReportModel,
  type ReportChange,
  STATUS_COLOURS,
  STATUSES,
  type SubmissionStatus,
} from '../core/report-types';
import type { Bilingual, Lang } from '../core/types';
import { LINK_TEXT } from './link-text';
import { type Block, bilingualMail, estimateEncodedSize, LATE, MISSING, safeFilename } from './mail-blocks';
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

/**
 * Largest message the managers' mail may become with the project reports attached. SES (and many mail servers)
 * cap a message at 10 MB after encoding; decimal megabytes keep us under either reading of "MB".
 */
export const DEFAULT_MAX_MAIL_BYTES = 10_000_000;

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
  /** Encoded size above which project reports are linked (or listed by archive key) instead of attached. */
  maxBytes?: number;
  /** The programme summary's archive keys, to find its links when even it does not fit. */
  programmeKeys?: { pdf: string; xlsx: string };
  /** Signed links (issue 18); absent when links are not configured (then unattached reports are listed by key). */
  links?: ManagerMailLinks;
}

/** A manager's links: each report's download link by archive key, the revision page, and when they expire. */
export interface ManagerMailLinks {
  files: ReadonlyMap<string, string>;
  revisionPage: string;
  /** `YYYY-MM-DD` */
  validUntil: string;
}

/** What a mail carries as attachments: everything, the programme summary only, or nothing (all linked). */
type Attached = 'all' | 'programme' | 'none';

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

  const build = (attached: Attached): OutgoingMail => {
    const attachments =
      attached === 'all'
        ? [...programmeAttachments, ...projectAttachments]
        : attached === 'programme'
          ? programmeAttachments
          : [];
    const blocks = managerBlocks(input, subject, corrected, attachments, attached, maxBytes);
    return bilingualMail({ from: input.from, to: [input.to] }, subject, blocks, lang, attachments);
  };

  const full = build('all');
  if (estimateEncodedSize(full) <= maxBytes) return full;
  const programmeOnly = build(projectAttachments.length > 0 ? 'programme' : 'all');
  // Even the summary is too large: link it too, when there are links; without them it stays attached (DESIGN §1).
  const canLinkProgramme = input.programmeKeys !== undefined && input.links?.files.has(input.programmeKeys.pdf);
  if (estimateEncodedSize(programmeOnly) <= maxBytes || !canLinkProgramme) return programmeOnly;
  return build('none');
}

function managerBlocks(
  input: ManagerMailInput,
  subject: string,
  corrected: boolean,
  attachments: MailAttachment[],
  attached: Attached,
  maxBytes: number,
): Block[] {
  const { lang, programme: p } = input;
  const t = (b: Bilingual) => b[lang];
  return [
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
    ...(corrected ? changeBlocks(p, lang) : []),
    ...summaryBlocks(p, lang),
    ...projectBlocks(p, lang),
    ...attachmentBlocks(input, attachments, attached, maxBytes),
    ...(input.links ? revisionPageBlocks(input.links, lang) : []),
    { kind: 'p', text: t(MAIL_TEXT.automatic), tone: 'muted' },
  ];
}

/** A corrected revision says so, with the operator's notes and every changed figure, old → new. */
function changeBlocks(p: ProgrammeReportModel, lang: Lang): Block[] {
  const t = (b: Bilingual) => b[lang];
  const blocks: Block[] = [];
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
  return blocks;
}

/** Who reported (on time, late), who is missing, and what was spent. */
function summaryBlocks(p: ProgrammeReportModel, lang: Lang): Block[] {
  const t = (b: Bilingual) => b[lang];
  const { onTime, late, missing } = p.completeness;
  const ids = (list: string[]) => (list.length === 0 ? '' : ` — ${list.join(', ')}`);
  return [
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
  ];
}

/** The indicators by status, and every project's submission and spending. */
function projectBlocks(p: ProgrammeReportModel, lang: Lang): Block[] {
  const t = (b: Bilingual) => b[lang];
  return [
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
  ];
}

/**
 * What is attached; what would make the mail too big is linked instead (one click each), or without links listed
 * by archive key.
 */
function attachmentBlocks(
  input: ManagerMailInput,
  attachments: MailAttachment[],
  attached: Attached,
  maxBytes: number,
): Block[] {
  const { lang } = input;
  const t = (b: Bilingual) => b[lang];
  const blocks: Block[] = [];
  if (attachments.length > 0) {
    blocks.push(
      { kind: 'h2', text: t(MAIL_TEXT.attachmentsHeading) },
      { kind: 'list', items: attachments.map((a) => `${a.filename} (${formatBytes(a.content.byteLength, lang)})`) },
    );
  }

  if (input.projectFiles.length > 0 && attached === 'all') {
    blocks.push({ kind: 'p', text: t(MAIL_SENTENCES.projectFilesAttached(input.projectFiles.length)) });
  } else if (input.links) {
    blocks.push(...linkedBlocks(input, input.links, attached, maxBytes));
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
  return blocks;
}

/** Every report the mail does not attach, one click each, in the reader's edition (the keys say which). */
function linkedBlocks(input: ManagerMailInput, links: ManagerMailLinks, attached: Attached, maxBytes: number): Block[] {
  const { lang } = input;
  const items: { label: string; href: string }[] = [];
  const add = (label: string, key: string) => {
    const href = links.files.get(key);
    if (href) items.push({ label, href });
  };
  if (attached === 'none' && input.programmeKeys) {
    add(`${LINK_TEXT.programme[lang]} — PDF`, input.programmeKeys.pdf);
    add(`${LINK_TEXT.programme[lang]} — XLSX`, input.programmeKeys.xlsx);
  }
  for (const f of input.projectFiles) {
    add(`${f.projectId} — ${f.title} — PDF`, f.pdfKey);
    add(`${f.projectId} — ${f.title} — XLSX`, f.xlsxKey);
  }
  if (items.length === 0) return [];
  return [
    { kind: 'p', text: LINK_TEXT.linked(formatLimit(maxBytes, lang))[lang], tone: 'notice' },
    { kind: 'h2', text: LINK_TEXT.linkedHeading[lang] },
    { kind: 'links', items },
  ];
}

/** The revision page (every file, hashes, sources, how to verify) and until when the links work. */
function revisionPageBlocks(links: ManagerMailLinks, lang: Lang): Block[] {
  return [
    { kind: 'link', label: LINK_TEXT.revisionPage[lang], href: links.revisionPage },
    { kind: 'p', text: LINK_TEXT.validUntil(formatDate(links.validUntil, lang))[lang], tone: 'muted' },
  ];
}

const SUBMISSION_COLOURS: Record<SubmissionStatus, string | undefined> = {
  'on-time': undefined,
  late: LATE,
  missing: MISSING,
};

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
