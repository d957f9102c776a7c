/**
 * The HTML the served pages share (the drop page, the revision page, a refused link's page): escaping, the two
 * languages side by side, the alert box, and the document around a page's body.
 */
import type { Bilingual } from '../core/types';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element or a quoted attribute. */
export const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** `Latvian / English`, each marked with its language (the English greyed by the pages' style). */
export const both = (b: Bilingual) =>
  `<span lang="lv">${esc(b.lv)}</span> / <span lang="en" class="en">${esc(b.en)}</span>`;

/** Why something cannot be done, in both languages, announced to screen readers. */
export const alertBox = (message: Bilingual) =>
  `<div class="message bad" role="alert"><p lang="lv">${esc(message.lv)}</p><p lang="en" class="en">${esc(message.en)}</p></div>`;

/** One page: a Latvian document with the title in both languages, no referrer sent with its links. */
export interface PageParts {
  title: Bilingual;
  /** The h1's HTML (default: the title in both languages). */
  heading?: string;
  stylesheets: readonly string[];
  /** Inside `<main>`, after the heading. */
  main: string;
  /** After `<main>`: the page's scripts. */
  scripts?: readonly string[];
}

export function htmlPage(p: PageParts): string {
  const lines = [
    '<!DOCTYPE html>',
    '<html lang="lv">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${esc(p.title.lv)} / ${esc(p.title.en)}</title>`,
    ...p.stylesheets.map((href) => `<link rel="stylesheet" href="${href}">`),
    '</head>',
    '<body>',
    '<main>',
    `<h1>${p.heading ?? both(p.title)}</h1>`,
    p.main,
    '</main>',
    ...(p.scripts ?? []),
    '</body>',
    '</html>',
    '',
  ];
  return lines.join('\n');
}
