/**
 * The coordinator's mails (docs/architecture.md §1): the acceptance receipt, the rejection, the "still waiting"
 * notice for an upload kept pending, and the deadline reminder. Bilingual; the coordinator's language only decides
 * which comes first. No personal data goes in: the coordinator's own (already masked) cell values at most.
 */
import { XLSX_CONTENT_TYPE } from '../core/cells';
import type { MailAttachment, OutgoingMail } from '../core/ports';
import type { Bilingual, Lang, ValidationIssue } from '../core/types';
import {
  type Block,
  basename,
  bilingualMail,
  type Cell,
  type Column,
  LATE,
  languageOrder,
  MISSING,
  safeFilename,
} from './mail-blocks';
import { MAIL_SENTENCES, MAIL_TEXT } from './mail-text';

/**
 * At most this many issue rows go into one e-mail. A broken workbook can yield an issue per row; beyond this the
 * annotated workbook (which marks every cell) is the better guide, and the mail stays small enough to deliver.
 */
export const MAX_LISTED_ISSUES = 1000;

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
