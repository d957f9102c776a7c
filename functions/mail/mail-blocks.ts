/**
 * What every e-mail of the flow is built from (docs/architecture.md §1): one list of blocks, rendered as a
 * plain-text and an HTML body, so the two never disagree. The HTML is deliberately plain (tables, inline styles, no
 * CSS classes or images) because Outlook renders with Word's engine. Pure: blocks in, an {@link OutgoingMail} out.
 */
import type { MailAttachment, OutgoingMail } from '../core/ports';
import type { Lang } from '../core/types';

/** Marks every mail as machine-sent (RFC 3834) so out-of-office replies do not answer it. */
export const AUTO_HEADERS: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };

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

export function bilingualMail(
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

export function languageOrder(first: Lang | undefined): [Lang, Lang] {
  return first === 'en' ? ['en', 'lv'] : ['lv', 'en'];
}

export function basename(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1) || key;
}

/** Attachment names go into MIME headers and onto the reader's disk: keep them to a portable alphabet. */
export function safeFilename(name: string): string {
  return name.replace(/[^\p{L}\p{N}._-]/gu, '_');
}

// --- Layout: one list of blocks, rendered as HTML and as plain text ----------------------------------------------

/** Colours of a late and a missing submission, wherever a mail names one. */
export const LATE = '#8A5A00';
export const MISSING = '#C62828';

/** A table cell: plain text, optionally styled. Text is always escaped when rendered as HTML. */
export type Cell = string | { text: string; colour?: string | undefined; bold?: boolean; mono?: boolean };

export interface Column {
  header: string;
  numeric?: boolean;
  mono?: boolean;
}

export type Block =
  | { kind: 'h1' | 'h2'; text: string }
  | { kind: 'p'; text: string; tone?: 'notice' | 'muted'; lang?: Lang }
  | { kind: 'fields'; rows: [string, Cell][] }
  | { kind: 'table'; columns: Column[]; rows: Cell[][] }
  | { kind: 'list'; items: string[] }
  | { kind: 'link'; label: string; href: string }
  /** Several links in a list (e.g. each report the mail does not attach); the address shows in the text part. */
  | { kind: 'links'; items: { label: string; href: string }[] };

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
    case 'links':
      return `<ul style="margin:0 0 12px 0;padding-left:20px;">${block.items
        .map((l) => `<li style="${STYLE.li}"><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></li>`)
        .join('')}</ul>`;
    case 'list':
      return `<ul style="margin:0 0 12px 0;padding-left:20px;">${block.items
        .map((item) => `<li style="${STYLE.li}">${escapeHtml(item)}</li>`)
        .join('')}</ul>`;
  }
}

export function renderHtml(blocks: Block[], lang: Lang, title: string): string {
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
    case 'links':
      return block.items.map((l) => `- ${l.label}:\n  ${l.href}`).join('\n');
  }
}

export function renderText(blocks: Block[]): string {
  return `${blocks.map(textBlock).join('\n\n')}\n`;
}
