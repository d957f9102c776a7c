/**
 * The page machinery both reports share: a deterministic pdfkit document with the embedded fonts, a cursor that
 * breaks pages before content would run into the footer, section headings, and the "Lapa X no Y" footers written
 * once every page exists.
 */
import { deflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { Lang } from '../core/types';
import { useBaseSubsets } from './base-subset';
import { bufferDocumentWrites, bufferPageContent, forgetColours, setColour } from './content-stream';
import { FONT_NAMES, fontSources, rememberParsedFonts } from './fonts';
import { pageOf } from './labels';
import { type StructureElement, type StructureOptions, StructureWriter } from './structure';
import { cacheCurrentFont, drawText, type TextOptions, wrapText } from './text-cache';
import { COLOURS, SIZES } from './theme';

/** What identifies a document in its metadata. */
export interface ReportDocumentOptions {
  layout: 'portrait' | 'landscape';
  lang: Lang;
  title: string;
  subject: string;
  /** ISO instant from the model; becomes CreationDate and ModDate (and so the file ID). */
  generatedAt: string;
}

/** Page margins in points; the bottom one leaves room for the footer. */
const MARGINS = { top: 50, left: 50, right: 50, bottom: 58 } as const;
/** Baseline of the footer text, measured from the page bottom. */
const FOOTER_FROM_BOTTOM = 36;

/**
 * A pdfkit document plus a cursor over its content box. All drawing goes through explicit coordinates; the
 * cursor's `y` is the next free line, and {@link ReportCanvas.ensureSpace} starts a new page before anything
 * would cross the bottom margin, so pdfkit's own page breaking never fires mid-element.
 */
export class ReportCanvas {
  readonly doc: PDFKit.PDFDocument;
  readonly lang: Lang;
  private readonly bytes: Promise<Uint8Array>;
  /** The outline entry of the section being written. */
  private section: PDFKit.PDFOutline | undefined;
  /** The structure tree, written as elements complete (structure.ts). */
  private readonly structure: StructureWriter;
  /** Structure elements from the document root down to the one new elements go into. */
  private readonly parents: StructureElement[] = [];
  /** Whether the default artifact sequence (what is drawn outside any tagged element) is open. */
  private decorating = false;
  /**
   * Whether the default artifact sequence is due: it is opened when something is drawn, so that consecutive
   * elements (a row's cells) are not separated by empty artifact sequences.
   */
  private decorationDue = false;
  /** The face {@link font} last set, and pdfkit's font object for it: while that is current, nothing to do. */
  private fontSet: { name: string; font: unknown } | undefined;

  constructor(options: ReportDocumentOptions) {
    this.lang = options.lang;
    const parsed = Date.parse(options.generatedAt);
    // An unparseable timestamp must not crash a run or pull in the wall clock; the epoch keeps bytes stable.
    const stamp = new Date(Number.isNaN(parsed) ? 0 : parsed);
    const sources = fontSources();
    this.doc = new PDFDocument({
      // PDF/A-2b (ISO 19005-2, level B): pdfkit adds the pdfaid XMP entries, the sRGB output intent and embeds every
      // font; PDF/A-2 is based on PDF 1.7, and pdfkit writes XMP metadata only from PDF 1.4 on.
      subset: 'PDF/A-2b',
      pdfVersion: '1.7',
      size: 'A4',
      layout: options.layout,
      margins: MARGINS,
      bufferPages: true,
      // A structure tree (headings, paragraphs, tables, figures) and MarkInfo /Marked: a reader that follows tags
      // reads the report in order and skips what is only decoration.
      tagged: true,
      // A font in the constructor: pdfkit then never loads its standard-font metrics (absent from bundles). It is
      // the TTF path for the first document, the already parsed font after that (typed as a path, see fonts.ts).
      font: sources.regular as string,
      lang: pdfLang(options.lang),
      displayTitle: true,
      info: {
        Title: options.title,
        Subject: options.subject,
        Creator: 'pmif-reports',
        Producer: 'pmif-reports (PDFKit)',
        CreationDate: stamp,
        ModDate: stamp,
      },
    });
    // pdfkit opens the constructor's font again on every page it adds (a new embedded-font object, then compared
    // with the open one by serialising its name table), which a 64-page table paid 64 times; without the option,
    // a new page keeps the current font. Only the constructor reads it otherwise.
    delete (this.doc as unknown as { options: { font?: unknown } }).options.font;
    // Registered under their PostScript names, which is also how pdfkit files the constructor's font, so switching
    // faces is a table lookup. pdfkit's typings list paths and buffers only; it also takes a parsed font.
    this.doc.registerFont(FONT_NAMES.regular, sources.regular as string);
    this.doc.registerFont(FONT_NAMES.bold, sources.bold as string);
    const chunks: Uint8Array[] = [];
    this.doc.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    this.bytes = new Promise((resolve, reject) => {
      this.doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      this.doc.on('error', reject);
    });
    // Every report's font subsets start with the same glyphs, embedded once per process (base-subset.ts).
    useBaseSubsets(this.doc);
    cacheCurrentFont(this.doc);
    // Page content deflated at zlib's fastest level: a long table's pages deflate in about 40 % of the time, for
    // about a fifth more compressed content (a few per cent of the file, which the structure objects dominate).
    bufferPageContent(this.doc, { level: 1 });
    bufferDocumentWrites(this.doc);
    writeXmpInfo(this.doc, options);
    deflateProfileOnce(this.doc);
    cacheColourOperators(this.doc);
    this.structure = new StructureWriter(this.doc, pdfLang(options.lang));
    this.parents.push(this.structure.document);
    this.openDecorationWhenDrawing();
    this.openDecoration();
    this.doc.fillColor(COLOURS.text);
  }

  /**
   * Draw content as one structure element of `role` (H1, P, TH, TD, Figure, …) under the current group. Whatever
   * is drawn outside such an element (rules, fills, stripes) is an artifact: the canvas keeps an artifact sequence
   * open between elements, so decoration never reads as text. An element may run onto a new page.
   */
  tag(role: string, draw: () => void, options?: StructureOptions): void {
    this.closeDecoration();
    const parent = this.parent();
    const element = this.structure.element(role, options);
    this.structure.markContent(element);
    draw();
    this.doc.endMarkedContent();
    // Written after drawing: content that ran onto another page has collected that page's part by now.
    this.structure.write(element, parent);
    this.openDecoration();
  }

  /** A grouping element (Table, TR, Sect, L): elements tagged inside `body` become its children. */
  group(role: string, body: () => void, options?: StructureOptions): void {
    const parent = this.parent();
    const element = this.structure.element(role, options);
    this.parents.push(element);
    try {
      body();
    } finally {
      this.parents.pop();
      this.structure.write(element, parent);
    }
  }

  /** Draw content that is only decoration or repetition (a repeated table header, a footer) as an artifact. */
  artifact(draw: () => void, type: 'Pagination' | 'Layout' = 'Layout'): void {
    this.closeDecoration();
    this.doc.markContent('Artifact', { type });
    draw();
    this.doc.endMarkedContent();
    this.openDecoration();
  }

  private parent(): StructureElement {
    const parent = this.parents.at(-1);
    if (!parent) throw new Error('The report document is already finished');
    return parent;
  }

  /** The default artifact sequence is opened by the first thing drawn after an element (see decorationDue). */
  private openDecoration(): void {
    if (!this.decorating) this.decorationDue = true;
  }

  private closeDecoration(): void {
    this.decorationDue = false;
    if (!this.decorating) return;
    this.doc.endMarkedContent();
    this.decorating = false;
  }

  /**
   * Everything drawn goes through the document's `addContent`: when the default artifact sequence is due, it is
   * opened first. A page break (pdfkit's, or ours) writes its own page setup outside it and leaves it due.
   */
  private openDecorationWhenDrawing(): void {
    const doc = this.doc as unknown as {
      addContent(data: string): unknown;
      continueOnNewPage(options?: unknown): unknown;
    };
    const addContent = doc.addContent.bind(doc);
    doc.addContent = (data: string) => {
      if (this.decorationDue) {
        this.decorationDue = false;
        this.doc.markContent('Artifact');
        this.decorating = true;
      }
      return addContent(data);
    };
    const continueOnNewPage = doc.continueOnNewPage.bind(doc);
    doc.continueOnNewPage = (options?: unknown) => {
      const due = this.decorationDue;
      this.decorationDue = false;
      continueOnNewPage(options);
      this.decorationDue ||= due;
      return doc;
    };
  }

  /** Left edge of the content box. */
  get left(): number {
    return this.doc.page.margins.left;
  }

  /** Right edge of the content box. */
  get right(): number {
    return this.doc.page.width - this.doc.page.margins.right;
  }

  /** Width of the content box. */
  get width(): number {
    return this.right - this.left;
  }

  /** Top of the content box. */
  get top(): number {
    return this.doc.page.margins.top;
  }

  /** Lowest y content may reach. */
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** The next free line. */
  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  /** Set font face and size in one call. */
  font(bold: boolean, size: number): this {
    const name = bold ? FONT_NAMES.bold : FONT_NAMES.regular;
    // A table sets the face and size for every cell; pdfkit looks the face up and compares fonts each time.
    const doc = this.doc as unknown as { _font?: unknown; _fontSize?: number };
    const set = this.fontSet;
    if (set && set.name === name && set.font === doc._font && doc._fontSize === size) return this;
    this.doc.font(name).fontSize(size);
    cacheCurrentFont(this.doc);
    this.fontSet = { name, font: doc._font };
    return this;
  }

  /** Height `text` takes at the current font in `width` (`heightOfString`; each string wrapped once per width). */
  measure(text: string, width: number, lineGap = 0): number {
    return wrapText(this.doc, text, width, lineGap)?.height ?? this.doc.heightOfString(text, { width, lineGap });
  }

  /**
   * Draw `text` at (x, y) in the current font, size and fill colour, as pdfkit's `text` would with these options,
   * without wrapping or encoding the same string twice (text-cache.ts).
   */
  text(text: string, x: number, y: number, options: TextOptions = {}): this {
    drawText(this.doc, text, x, y, options);
    return this;
  }

  /** Start a new page and put the cursor at its top. */
  newPage(): void {
    // Ends the open marked-content sequences at the page's end and reopens them on the new page (pdfkit).
    this.doc.continueOnNewPage();
    this.doc.x = this.left;
    this.doc.y = this.top;
  }

  /** Start a new page unless `height` still fits below the cursor. Returns whether a page was added. */
  ensureSpace(height: number): boolean {
    if (this.y + height <= this.bottom || this.y <= this.top + 0.5) return false;
    this.newPage();
    return true;
  }

  /** Move the cursor down. */
  gap(points: number): void {
    this.y = Math.min(this.y + points, this.bottom);
  }

  /**
   * A section heading with a rule under it. `keepWith` is how much of what follows must fit on the same page, so
   * a heading never sits alone at the bottom of a page.
   */
  sectionTitle(text: string, keepWith = 80): void {
    this.font(true, SIZES.section);
    const h = this.measure(text, this.width);
    if (this.y > this.top + 0.5) this.gap(14);
    this.ensureSpace(h + 8 + keepWith);
    this.section = this.doc.outline.addItem(text, this.here());
    this.tag('H1', () => {
      this.doc.fillColor(COLOURS.heading);
      this.text(text, this.left, this.y, { width: this.width });
    });
    const ruleY = this.y + 3;
    this.doc.moveTo(this.left, ruleY).lineTo(this.right, ruleY).lineWidth(0.75).strokeColor(COLOURS.heading).stroke();
    this.y = ruleY + 8;
    this.doc.fillColor(COLOURS.text);
  }

  /**
   * Where the cursor is, as an outline destination: this page, scrolled to the cursor's line (pdfkit takes these
   * options though its typings list `expanded` only; it subtracts `left` from the page width, so the width gives 0).
   */
  private here(): { expanded?: boolean } {
    return { fit: false, top: this.y, left: this.doc.page.width, zoom: 0 } as { expanded?: boolean };
  }

  /**
   * A bookmark under the current section (the first-level entries are the section headings), pointing at the
   * cursor's line: an indicator in the indicator table, a project in the programme summary.
   */
  bookmark(text: string): void {
    (this.section ?? this.doc.outline).addItem(text, this.here());
  }

  /** A smaller heading inside a section. */
  subTitle(text: string, keepWith = 30): void {
    this.font(true, SIZES.subsection);
    const h = this.measure(text, this.width);
    this.ensureSpace(h + keepWith);
    this.tag('H2', () => {
      this.doc.fillColor(COLOURS.heading);
      this.text(text, this.left, this.y, { width: this.width });
    });
    this.y += 3;
    this.doc.fillColor(COLOURS.text);
  }

  /**
   * Running text. Long text flows onto further pages by itself (pdfkit breaks at the bottom margin), which is what
   * a long narrative needs; the first lines are kept with the cursor's page only if at least two lines fit.
   */
  paragraph(text: string, options: { size?: number; color?: string; bold?: boolean; after?: number } = {}): void {
    const size = options.size ?? SIZES.body;
    this.font(options.bold ?? false, size);
    this.ensureSpace(Math.min(this.measure(text, this.width, 1.5), size * 2.6));
    this.tag('P', () => {
      this.doc.fillColor(options.color ?? COLOURS.text);
      this.text(text, this.left, this.y, { width: this.width, lineGap: 1.5, align: 'left' });
    });
    this.y += options.after ?? 6;
    this.doc.fillColor(COLOURS.text);
  }

  /**
   * Footers on every page: a grey rule, `left` text, and "Lapa X no Y" on the right. Written at the end because
   * the page count is known only then (the document buffers its pages).
   */
  writeFooters(left: string): void {
    // The last page still has the default artifact sequence open; footers are artifacts of their own.
    this.closeDecoration();
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      this.doc.markContent('Artifact', { type: 'Pagination' });
      const page = this.doc.page;
      const savedBottom = page.margins.bottom;
      // Writing inside the bottom margin would make pdfkit add a page; lift the margin while the footer is drawn.
      page.margins.bottom = 0;
      const y = page.height - FOOTER_FROM_BOTTOM;
      const x = page.margins.left;
      const w = page.width - page.margins.left - page.margins.right;
      this.doc
        .moveTo(x, y - 6)
        .lineTo(x + w, y - 6)
        .lineWidth(0.5)
        .strokeColor(COLOURS.rule)
        .stroke();
      this.font(false, SIZES.footer);
      const right = pageOf(this.lang, i - range.start + 1, range.count);
      const rightWidth = this.doc.widthOfString(right);
      this.doc.fillColor(COLOURS.muted);
      this.text(left, x, y, { width: w - rightWidth - 12, height: SIZES.footer * 1.3, ellipsis: true });
      this.text(right, x, y, { width: w, align: 'right', lineBreak: false });
      this.doc.endMarkedContent();
      page.margins.bottom = savedBottom;
    }
  }

  /** Finish the document and return its bytes. */
  async finish(): Promise<Uint8Array> {
    this.closeDecoration();
    this.parents.length = 0;
    this.structure.finish();
    rememberParsedFonts(this.doc);
    this.doc.end();
    return this.bytes;
  }
}

export type { StructureOptions } from './structure';

/**
 * A colour component of 8 bits (0–255) as pdfkit's 0–1 number, written with at most three decimals: `0.102` for
 * 26/255 rather than pdfkit's `0.10196078431372549`. Three decimals are within 0.0005 of the exact value, an eighth
 * of a step of 1/255 (0.0039): any reader that takes the number back to 8 bits, rounding, gets the same level.
 */
export function componentText(level: number): string {
  return String(Math.round((level / 255) * 1000) / 1000);
}

const COMPONENTS = Array.from({ length: 256 }, (_, level) => componentText(level));

/** Per colour string, the fill and the stroke operator; the same for every document. */
const FILL_OPERATORS = new Map<string, string>();
const STROKE_OPERATORS = new Map<string, string>();
/** Reports use a theme's worth of colours; a caller with endless colours still gets them, uncached. */
const COLOUR_CACHE_LIMIT = 256;

interface ColourDocument {
  _setColor(color: unknown, stroke: boolean): boolean;
  _normalizeColor(color: unknown): unknown;
}

/**
 * The one operator for an RGB colour of 8-bit components (`r g b rg`, or `RG` to stroke: the DeviceRGB colour
 * space and the colour, as pdfkit's `/DeviceRGB cs` and `r g b scn` set them), from pdfkit's own parsing of the hex
 * string; null for anything else.
 */
function rgbOperator(doc: ColourDocument, color: string, stroke: boolean): string | null {
  const normal = doc._normalizeColor(color);
  if (!Array.isArray(normal) || normal.length !== 3) return null;
  const parts: string[] = [];
  for (const component of normal) {
    const level = Math.round(Number(component) * 255);
    // pdfkit divides each parsed hex pair by 255; a hex string too long for that gives other numbers.
    if (!(level >= 0 && level <= 255) || Math.abs(Number(component) * 255 - level) > 1e-9) return null;
    parts.push(COMPONENTS[level]!);
  }
  return `${parts.join(' ')} ${stroke ? 'RG' : 'rg'}`;
}

/**
 * pdfkit writes a colour as two operators (`/DeviceRGB cs`, `r g b scn`) with its components to 17 digits, parsing
 * the hex string and formatting the numbers every time; reports set the same few colours hundreds of times per
 * page, most often to the colour already in force, and a quarter of a report's page content was colour operators.
 * A hex colour is written here as one `rg`/`RG` operator with three decimals a component (the same 8-bit colour:
 * see {@link componentText}), made once per colour, and only when it is not the colour in force on the page
 * already (content-stream.ts follows q/Q). Anything else (named, spot, array colours, gradients, patterns) keeps
 * pdfkit's path, after which the page's colours count as unknown.
 */
export function cacheColourOperators(pdf: PDFKit.PDFDocument): void {
  const doc = pdf as unknown as ColourDocument;
  const original = doc._setColor;
  if (typeof original !== 'function' || typeof doc._normalizeColor !== 'function') return;
  doc._setColor = function setColor(this: ColourDocument, color: unknown, stroke: boolean): boolean {
    if (typeof color === 'string' && color.charCodeAt(0) === 0x23) {
      const cache = stroke ? STROKE_OPERATORS : FILL_OPERATORS;
      let operator = cache.get(color) ?? null;
      if (operator === null) {
        operator = rgbOperator(this, color, stroke);
        if (operator !== null && cache.size < COLOUR_CACHE_LIMIT) cache.set(color, operator);
      }
      if (operator !== null) {
        setColour(pdf, operator, stroke);
        return true;
      }
    }
    const set = original.call(this, color, stroke);
    forgetColours(pdf, stroke ? 'stroke' : 'fill');
    return set;
  };
}

/** The output intent's colour profile and its deflated bytes, as the last PDF/A document in this process wrote it. */
let deflatedProfile: { raw: Buffer; deflated: Buffer } | undefined;

interface StreamReference {
  compress?: boolean;
  buffer?: Uint8Array[];
  finalize(): unknown;
}

interface IntentDocument {
  _addColorOutputIntent?: () => unknown;
  ref(data?: object): StreamReference;
}

/**
 * A PDF/A document embeds the same sRGB colour profile (3 KB) as its output intent, and pdfkit deflated it afresh,
 * at zlib's default level, for every document: about a third of a millisecond each. Here the profile's stream is
 * deflated once per process and its bytes written as they are (the same options, so the same bytes as pdfkit's);
 * a profile with other bytes is deflated again. Reads pdfkit internals; if they are not there, pdfkit does it.
 */
export function deflateProfileOnce(pdf: PDFKit.PDFDocument): void {
  const doc = pdf as unknown as IntentDocument;
  const original = doc._addColorOutputIntent;
  if (typeof original !== 'function' || typeof doc.ref !== 'function') return;
  doc._addColorOutputIntent = function addColorOutputIntent(this: IntentDocument) {
    const ref = this.ref;
    let first = true;
    // The profile's stream is the first object pdfkit makes here (the output intent the second).
    this.ref = function profileRef(this: IntentDocument, data?: object) {
      const made = ref.call(this, data);
      if (first) keepDeflated(made);
      first = false;
      return made;
    };
    try {
      return original.call(this);
    } finally {
      this.ref = ref;
    }
  };
}

function keepDeflated(stream: StreamReference): void {
  const finalize = stream.finalize;
  if (typeof finalize !== 'function') return;
  stream.finalize = function finalizeProfile(this: StreamReference) {
    const chunks = this.buffer;
    if (this.compress === true && Array.isArray(chunks) && chunks.length > 0) {
      const raw = Buffer.concat(chunks);
      if (!deflatedProfile?.raw.equals(raw)) deflatedProfile = { raw, deflated: deflateSync(raw) };
      // pdfkit marked the stream as deflated when the profile was written; it now takes these bytes as they are.
      this.buffer = [deflatedProfile.deflated];
      this.compress = false;
    }
    return finalize.call(this);
  };
}

function pdfLang(lang: Lang): string {
  return lang === 'lv' ? 'lv-LV' : 'en-GB';
}

/** Text for an XML element's content. */
function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `2026-11-16T04:00:00Z`: XMP dates, to the second like the Info dictionary's. */
function xmpDate(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/**
 * PDF/A requires the XMP packet to repeat the Info dictionary (title, subject, creator, producer, both dates).
 * pdfkit's own XMP writer leaves the modification date out and writes titles unescaped (a project title with
 * "&" would break the packet), so this document writes that part itself, plus the document language.
 */
function writeXmpInfo(doc: PDFKit.PDFDocument, options: ReportDocumentOptions): void {
  const host = doc as unknown as { _addInfo: () => void; appendXML: (xml: string) => void; info: PDFKit.DocumentInfo };
  host._addInfo = () => {
    const info = host.info;
    const stamp = info.CreationDate ?? new Date(0);
    const modified = info.ModDate ?? stamp;
    const lang = options.lang === 'lv' ? 'lv-LV' : 'en-GB';
    const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xmlText(value)}</rdf:li></rdf:Alt>`;
    host.appendXML(
      [
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
        `<xmp:CreateDate>${xmpDate(stamp)}</xmp:CreateDate>`,
        `<xmp:ModifyDate>${xmpDate(modified)}</xmp:ModifyDate>`,
        `<xmp:MetadataDate>${xmpDate(modified)}</xmp:MetadataDate>`,
        `<xmp:CreatorTool>${xmlText(info.Creator ?? '')}</xmp:CreatorTool>`,
        '</rdf:Description>',
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        '<dc:format>application/pdf</dc:format>',
        `<dc:title>${alt(info.Title ?? '')}</dc:title>`,
        `<dc:description>${alt(info.Subject ?? '')}</dc:description>`,
        `<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>`,
        '</rdf:Description>',
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">',
        `<pdf:Producer>${xmlText(info.Producer ?? '')}</pdf:Producer>`,
        '</rdf:Description>',
      ].join('\n'),
    );
  };
}
