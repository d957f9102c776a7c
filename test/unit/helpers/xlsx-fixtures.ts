/**
 * Building workbooks for the reader's tests: realistic ones with exceljs, and hand-written OOXML zipped with fflate
 * (or with the raw zip writer below, when the zip itself has to lie).
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { strFromU8, strToU8, unzipSync, type Zippable, zipSync } from 'fflate';

export const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** A workbook built with exceljs, as the bytes a coordinator would upload. */
export async function exceljsXlsx(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}

/** One part of a zip as text, for asserting what a writer actually stored. */
export function partText(xlsx: Uint8Array, name: string): string {
  const part = unzipSync(xlsx, { filter: (file) => file.name === name })[name];
  if (!part) throw new Error(`no part ${name}`);
  return strFromU8(part);
}

/** A worksheet part around the given `sheetData` content; `after` goes after `sheetData` (merges, validations). */
export function worksheetXml(sheetData: string, options: { before?: string; after?: string } = {}): string {
  return `${XML_DECL}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${options.before ?? ''}<sheetData>${sheetData}</sheetData>${options.after ?? ''}</worksheet>`;
}

/** A shared strings part; each item is the inner XML of one `<si>`. */
export function sharedStringsXml(items: string[]): string {
  return `${XML_DECL}<sst xmlns="${MAIN_NS}" count="${items.length}" uniqueCount="${items.length}">${items.map((i) => `<si>${i}</si>`).join('')}</sst>`;
}

/** A styles part with the given custom number formats and one cell format (`xf`) per number format id. */
export function stylesXml(numFmts: { id: number; code: string }[], xfNumFmtIds: number[]): string {
  const fmts = numFmts.map((f) => `<numFmt numFmtId="${f.id}" formatCode="${escapeXml(f.code)}"/>`).join('');
  const xfs = xfNumFmtIds.map((id) => `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0"/>`).join('');
  return `${XML_DECL}<styleSheet xmlns="${MAIN_NS}"><numFmts count="${numFmts.length}">${fmts}</numFmts><cellXfs count="${xfNumFmtIds.length}">${xfs}</cellXfs></styleSheet>`;
}

export function escapeXml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export interface RawSheet {
  name: string;
  xml: string;
  state?: 'hidden' | 'veryHidden';
  /** The relationship target as written; default `worksheets/sheetN.xml`. */
  target?: string;
  /** The zip entry name; default resolved from the default target. */
  entry?: string;
  kind?: 'worksheet' | 'chartsheet';
}

export interface RawWorkbook {
  sheets: RawSheet[];
  sharedStrings?: string;
  styles?: string;
  date1904?: boolean;
  /** Extra `<Override>` or `<Default>` elements for `[Content_Types].xml`. */
  contentTypes?: string;
  /** Parts added as they are (or replacing generated ones). */
  extra?: Record<string, string | Uint8Array>;
}

/** A minimal but complete .xlsx from hand-written parts. */
export function rawXlsx(workbook: RawWorkbook): Uint8Array {
  const files: Record<string, string | Uint8Array> = {};
  const rels: string[] = [];
  const sheets: string[] = [];
  workbook.sheets.forEach((sheet, i) => {
    const n = i + 1;
    const kind = sheet.kind ?? 'worksheet';
    const folder = kind === 'worksheet' ? 'worksheets' : 'chartsheets';
    const target = sheet.target ?? `${folder}/sheet${n}.xml`;
    files[sheet.entry ?? `xl/${folder}/sheet${n}.xml`] = sheet.xml;
    rels.push(`<Relationship Id="rId${n}" Type="${REL_NS}/${kind}" Target="${target}"/>`);
    const state = sheet.state ? ` state="${sheet.state}"` : '';
    sheets.push(`<sheet name="${escapeXml(sheet.name)}" sheetId="${n}"${state} r:id="rId${n}"/>`);
  });
  if (workbook.sharedStrings !== undefined) {
    files['xl/sharedStrings.xml'] = workbook.sharedStrings;
    rels.push(`<Relationship Id="rIdSst" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`);
  }
  if (workbook.styles !== undefined) {
    files['xl/styles.xml'] = workbook.styles;
    rels.push(`<Relationship Id="rIdStyles" Type="${REL_NS}/styles" Target="styles.xml"/>`);
  }
  const date1904 = workbook.date1904 ? '<workbookPr date1904="1"/>' : '';
  files['xl/workbook.xml'] =
    `${XML_DECL}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">${date1904}<sheets>${sheets.join('')}</sheets></workbook>`;
  files['xl/_rels/workbook.xml.rels'] =
    `${XML_DECL}<Relationships xmlns="${PACKAGE_REL_NS}">${rels.join('')}</Relationships>`;
  files['_rels/.rels'] =
    `${XML_DECL}<Relationships xmlns="${PACKAGE_REL_NS}"><Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>`;
  files['[Content_Types].xml'] =
    `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    `${workbook.contentTypes ?? ''}</Types>`;
  Object.assign(files, workbook.extra);
  return zipFiles(files);
}

/** Zip named parts with fflate; `[Content_Types].xml` (or `mimetype`) first, as writers do. */
export function zipFiles(files: Record<string, string | Uint8Array>): Uint8Array {
  const zippable: Zippable = {};
  const names = Object.keys(files).sort((a, b) => rank(a) - rank(b));
  for (const name of names) {
    const content = files[name]!;
    zippable[name] = [typeof content === 'string' ? strToU8(content) : content, { level: name === 'mimetype' ? 0 : 6 }];
  }
  return zipSync(zippable);
}

function rank(name: string): number {
  return name === '[Content_Types].xml' || name === 'mimetype' ? 0 : 1;
}

/** One entry for {@link writeZip}: the stored bytes and whatever the directory should claim about them. */
export interface RawZipEntry {
  name: string;
  /** The bytes as stored (already deflated for method 8). */
  data: Uint8Array;
  method: 0 | 8;
  crc: number;
  /** Declared uncompressed size; may lie. */
  size: number;
}

/** A deflated entry with truthful sizes and CRC. */
export function deflatedEntry(name: string, content: string | Uint8Array): RawZipEntry {
  const bytes = typeof content === 'string' ? strToU8(content) : content;
  return { name, data: deflateRawSync(bytes), method: 8, crc: crc32(bytes), size: bytes.length };
}

/** A zip written byte by byte, so tests can make the central directory say anything. */
export function writeZip(entries: RawZipEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = strToU8(entry.name);
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(4, 20, true);
    l.setUint16(8, entry.method, true);
    l.setUint32(14, entry.crc, true);
    l.setUint32(18, entry.data.length, true);
    l.setUint32(22, entry.size, true);
    l.setUint16(26, name.length, true);
    local.set(name, 30);
    const header = new Uint8Array(46 + name.length);
    const c = new DataView(header.buffer);
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(10, entry.method, true);
    c.setUint32(16, entry.crc, true);
    c.setUint32(20, entry.data.length, true);
    c.setUint32(24, entry.size, true);
    c.setUint16(28, name.length, true);
    c.setUint32(42, offset, true);
    header.set(name, 46);
    chunks.push(local, entry.data);
    central.push(header);
    offset += local.length + entry.data.length;
  }
  const centralSize = central.reduce((n, h) => n + h.length, 0);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, entries.length, true);
  e.setUint16(10, entries.length, true);
  e.setUint32(12, centralSize, true);
  e.setUint32(16, offset, true);
  return concat([...chunks, ...central, end]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A raw deflate stream of `megabytes` MiB of zeros, built without ever holding them: one MiB is deflated with a
 * sync flush (so the stream does not end), repeated, and closed with an empty final block. About 1 KB per MiB.
 */
export function deflatedZeros(megabytes: number): { data: Uint8Array; crc: number; size: number } {
  const mib = new Uint8Array(1024 * 1024);
  const piece = deflateRawSync(mib, { finishFlush: constants.Z_SYNC_FLUSH });
  const finalEmptyBlock = new Uint8Array([0x03, 0x00]);
  let crc = 0;
  for (let i = 0; i < megabytes; i++) crc = crc32(mib, crc);
  return {
    data: concat([...Array.from({ length: megabytes }, () => piece), finalEmptyBlock]),
    crc,
    size: megabytes * mib.length,
  };
}

/** The smallest parts of a workbook around one worksheet, as raw zip entries (for {@link writeZip}). */
export function minimalWorkbookEntries(): RawZipEntry[] {
  const xlsx = unzipSync(rawXlsx({ sheets: [{ name: 'Data', xml: worksheetXml('') }] }));
  return Object.entries(xlsx)
    .filter(([name]) => name !== 'xl/worksheets/sheet1.xml')
    .map(([name, bytes]) => deflatedEntry(name, bytes));
}
