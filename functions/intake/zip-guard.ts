/**
 * The guard in front of every uploaded workbook. It runs before any XML is parsed: file size, magic bytes, then the
 * zip central directory (entry count, declared sizes, compression ratio, parts we refuse). Entries are inflated
 * as a stream with a hard cap on the bytes actually produced, because the directory can lie: a bomb whose directory
 * under-declares its sizes is stopped as soon as it passes its declared size, long before it could fill memory.
 */

import * as zlib from 'node:zlib';
import { Inflate } from 'fflate';
import type { ReadLimits, ReadProblemCode } from './workbook-data';

/** Limits the guard enforces (a subset of the reader's). */
export type GuardLimits = Pick<
  ReadLimits,
  'maxFileBytes' | 'maxEntries' | 'maxEntryBytes' | 'maxTotalInflatedBytes' | 'maxRatio'
>;

/** Why reading stopped: thrown inside the reader, turned into a {@link ReadProblem} value at its boundary. */
export class ReadFailureError extends Error {
  constructor(
    readonly code: ReadProblemCode,
    readonly detail: { found?: string; sheet?: string; cell?: string } = {},
  ) {
    super(detail.found ? `${code}: ${detail.found}` : code);
    this.name = 'ReadFailureError';
  }
}

/** One entry of the central directory, as declared (sizes are checked again while inflating). */
export interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** An opened, screened zip. `inflated` counts the bytes actually produced so far, across entries. */
export interface ZipArchive {
  bytes: Uint8Array;
  entries: Map<string, ZipEntry>;
  limits: GuardLimits;
  inflated: number;
}

/** What the file looks like when it is not a zip: the `found` of a `not-xlsx-other` problem. */
export type ForeignFileKind =
  | 'PDF'
  | 'HTML'
  | 'XML'
  | 'CSV/text'
  | 'ODS'
  | 'DOCX'
  | 'PPTX'
  | 'zip'
  | 'image'
  | 'unknown';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
/** The ratio rule only applies to big entries: small XML parts compress far beyond 200:1 quite legitimately. */
const RATIO_MIN_BYTES = 1024 * 1024;
/** Compressed bytes handed to the inflater at a time; deflate can expand one byte to at most 1032. */
const PUSH_BYTES = 64 * 1024;
const DEFLATE_MAX_EXPANSION = 1032;
/**
 * Entries that may unpack to at most this much are inflated by native zlib in one call; bigger ones stream through
 * fflate. Native zlib is 4-5 times faster, but holds the whole part at once: 40 MB covers a participant sheet of
 * 100 000 rows (31 MB) and bounds what the one buffer can add to a process's peak.
 */
export const NATIVE_INFLATE_MAX_BYTES = 40 * 1024 * 1024;

const MIB = 1024 * 1024;

function u16(b: Uint8Array, at: number): number {
  return b[at]! | (b[at + 1]! << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** 64-bit little endian as a double; values past 2^53 are far beyond any limit, so precision does not matter. */
function u64(b: Uint8Array, at: number): number {
  return u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
}

function startsWith(b: Uint8Array, magic: readonly number[], at = 0): boolean {
  if (b.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (b[at + i] !== magic[i]) return false;
  return true;
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

function formatMiB(n: number): string {
  return `${(n / MIB).toFixed(1)} MB`;
}

/**
 * Say what a file is from its first bytes. `zip` and `ole2` are the two containers an Excel file can come in
 * (OLE2 = encrypted OOXML or legacy .xls); anything else gets a plain-words kind for the message.
 */
export function sniffFileType(
  bytes: Uint8Array,
): { kind: 'zip' } | { kind: 'ole2' } | { kind: 'other'; found: ForeignFileKind } {
  // A local file header, or the end record of an empty zip.
  const zip = startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
  if (zip) return { kind: 'zip' };
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return { kind: 'ole2' };
  if (startsWith(bytes, ascii('%PDF-'))) return { kind: 'other', found: 'PDF' };
  if (isImage(bytes)) return { kind: 'other', found: 'image' };
  return { kind: 'other', found: sniffText(bytes) };
}

function isImage(b: Uint8Array): boolean {
  return (
    startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    startsWith(b, [0xff, 0xd8, 0xff]) ||
    startsWith(b, ascii('GIF87a')) ||
    startsWith(b, ascii('GIF89a')) ||
    startsWith(b, [0x49, 0x49, 0x2a, 0x00]) ||
    startsWith(b, [0x4d, 0x4d, 0x00, 0x2a]) ||
    (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) ||
    // "BM" alone is too common a text start; a real bitmap header carries the file's own length.
    (startsWith(b, ascii('BM')) && b.length >= 6 && u32(b, 2) === b.length)
  );
}

/** Text-looking files: HTML (Excel's "save as web page"), XML (Excel 2003 XML), or CSV and other plain text. */
function sniffText(b: Uint8Array): ForeignFileKind {
  const head = b.subarray(0, 4096);
  const utf16 = startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff]);
  if (!utf16 && head.includes(0)) return 'unknown';
  const text = new TextDecoder(startsWith(head, [0xfe, 0xff]) ? 'utf-16be' : utf16 ? 'utf-16le' : 'utf-8')
    .decode(head)
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || /<html[\s>]/.test(text)) return 'HTML';
  if (text.startsWith('<?xml') || text.startsWith('<')) return 'XML';
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) control++;
  }
  return text.length > 0 && control * 20 < text.length ? 'CSV/text' : 'unknown';
}

/**
 * Check the file and read its central directory. Throws {@link ReadFailureError} for anything that is not a plain,
 * reasonably sized .xlsx: wrong container, damaged zip, too many or too big entries, suspicious ratios, and parts
 * we refuse (macros, external links, embedded objects, ActiveX).
 */
export function openZip(bytes: Uint8Array, limits: GuardLimits): ZipArchive {
  if (bytes.length === 0) throw new ReadFailureError('file-empty');
  if (bytes.length > limits.maxFileBytes) {
    throw new ReadFailureError('file-too-large', {
      found: `${formatMiB(bytes.length)}; limit ${formatMiB(limits.maxFileBytes)}`,
    });
  }
  const sniffed = sniffFileType(bytes);
  if (sniffed.kind === 'ole2') throw new ReadFailureError('not-xlsx-ole2');
  if (sniffed.kind === 'other') throw new ReadFailureError('not-xlsx-other', { found: sniffed.found });

  const archive: ZipArchive = { bytes, entries: readCentralDirectory(bytes, limits), limits, inflated: 0 };
  screenParts(archive);
  return archive;
}

function corrupt(found: string): ReadFailureError {
  return new ReadFailureError('zip-corrupt', { found });
}

function findEndOfCentralDirectory(b: Uint8Array): number {
  const lowest = Math.max(0, b.length - EOCD_SIZE - MAX_COMMENT);
  for (let at = b.length - EOCD_SIZE; at >= lowest; at--) {
    if (b[at] === 0x50 && b[at + 1] === 0x4b && u32(b, at) === SIG_EOCD) return at;
  }
  return -1;
}

function readCentralDirectory(b: Uint8Array, limits: GuardLimits): Map<string, ZipEntry> {
  const eocd = findEndOfCentralDirectory(b);
  if (eocd < 0) throw corrupt('no end of central directory (truncated?)');
  if (u16(b, eocd + 4) !== 0 || u16(b, eocd + 6) !== 0) throw corrupt('multi-part zip');
  let count = u16(b, eocd + 10);
  let cdSize = u32(b, eocd + 12);
  let cdOffset = u32(b, eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(b, locator) !== SIG_ZIP64_LOCATOR) throw corrupt('zip64 locator missing');
    const z64 = u64(b, locator + 8);
    if (z64 + 56 > locator || u32(b, z64) !== SIG_ZIP64_EOCD) throw corrupt('zip64 end record missing');
    count = u64(b, z64 + 32);
    cdSize = u64(b, z64 + 40);
    cdOffset = u64(b, z64 + 48);
  }
  // Checked before walking the directory, so a directory claiming millions of entries costs nothing.
  if (count > limits.maxEntries) {
    throw new ReadFailureError('zip-too-many-entries', { found: `${count} entries; limit ${limits.maxEntries}` });
  }
  if (cdOffset + cdSize > b.length) throw corrupt('central directory outside the file (truncated?)');

  const names = new TextDecoder('utf-8');
  const entries = new Map<string, ZipEntry>();
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || u32(b, at) !== SIG_CENTRAL) throw corrupt('central directory entry damaged');
    const nameLength = u16(b, at + 28);
    const extraLength = u16(b, at + 30);
    const commentLength = u16(b, at + 32);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > b.length) throw corrupt('central directory entry damaged');
    const entry: ZipEntry = {
      name: names.decode(b.subarray(at + 46, at + 46 + nameLength)),
      flags: u16(b, at + 8),
      method: u16(b, at + 10),
      crc: u32(b, at + 16),
      compressedSize: u32(b, at + 20),
      size: u32(b, at + 24),
      localHeaderOffset: u32(b, at + 42),
    };
    applyZip64Extra(entry, b.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    at = next;

    if (entries.has(entry.name)) throw corrupt(`duplicate entry ${entry.name}`);
    entries.set(entry.name, entry);
    if (entry.localHeaderOffset + 30 + entry.compressedSize > b.length) {
      throw corrupt(`entry ${entry.name} runs past the end of the file (truncated?)`);
    }
    if (entry.size > limits.maxEntryBytes) {
      throw new ReadFailureError('zip-too-large', {
        found: `${entry.name}: ${formatMiB(entry.size)} unpacked; limit ${formatMiB(limits.maxEntryBytes)}`,
      });
    }
    total += entry.size;
    if (total > limits.maxTotalInflatedBytes) {
      throw new ReadFailureError('zip-too-large', {
        found: `more than ${formatMiB(limits.maxTotalInflatedBytes)} unpacked`,
      });
    }
    if (entry.size > RATIO_MIN_BYTES && entry.size / Math.max(entry.compressedSize, 1) > limits.maxRatio) {
      const ratio = Math.round(entry.size / Math.max(entry.compressedSize, 1));
      throw new ReadFailureError('zip-ratio', { found: `${entry.name}: ${ratio}:1; limit ${limits.maxRatio}:1` });
    }
  }
  return entries;
}

/** Sizes and offsets that did not fit 32 bits live in the zip64 extra field, in this fixed order. */
function applyZip64Extra(entry: ZipEntry, extra: Uint8Array): void {
  if (entry.size !== 0xffffffff && entry.compressedSize !== 0xffffffff && entry.localHeaderOffset !== 0xffffffff) {
    return;
  }
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = u16(extra, at);
    const length = u16(extra, at + 2);
    if (id === 0x0001) {
      let field = at + 4;
      const end = field + length;
      const take = (): number => {
        if (field + 8 > end) throw corrupt(`zip64 field of ${entry.name} too short`);
        const value = u64(extra, field);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
      return;
    }
    at += 4 + length;
  }
  throw corrupt(`zip64 field of ${entry.name} missing`);
}

/**
 * Refuse by name what we never read and do not want stored: macros, links to other files, embedded documents,
 * ActiveX. Also tell apart other zip formats (OpenDocument, Word, PowerPoint) so the message can name them.
 * Names are compared case-insensitively here: stricter than OOXML needs, and these checks must not be dodged.
 */
function screenParts(archive: ZipArchive): void {
  const lower = new Set<string>();
  for (const name of archive.entries.keys()) lower.add(name.toLowerCase());
  const anyStartsWith = (prefix: string) => {
    for (const name of lower) if (name.startsWith(prefix)) return true;
    return false;
  };

  if (!archive.entries.has('[Content_Types].xml') && archive.entries.has('mimetype')) {
    const mimetype = new TextDecoder().decode(inflateWhole(archive, 'mimetype', 1024));
    throw new ReadFailureError('not-xlsx-other', {
      found: mimetype.includes('opendocument.spreadsheet') ? 'ODS' : 'unknown',
    });
  }
  for (const name of lower) {
    if (name.endsWith('vbaproject.bin') || name === 'xl/workbook.bin')
      throw new ReadFailureError('macros', { found: name });
  }
  if (anyStartsWith('xl/activex/')) throw new ReadFailureError('activex');
  if (anyStartsWith('xl/embeddings/')) throw new ReadFailureError('embedded-objects');
  if (anyStartsWith('xl/externallinks/')) throw new ReadFailureError('external-links');
  if (!lower.has('xl/workbook.xml')) {
    const found: ForeignFileKind = lower.has('word/document.xml')
      ? 'DOCX'
      : lower.has('ppt/presentation.xml')
        ? 'PPTX'
        : 'zip';
    throw new ReadFailureError('not-xlsx-other', { found });
  }
}

/** Find an entry by its exact name, falling back to a case-insensitive match (OOXML part names are case-insensitive). */
export function findEntry(archive: ZipArchive, name: string): ZipEntry | undefined {
  const exact = archive.entries.get(name);
  if (exact) return exact;
  const wanted = name.toLowerCase();
  for (const [candidate, entry] of archive.entries) if (candidate.toLowerCase() === wanted) return entry;
  return undefined;
}

const crc32: (data: Uint8Array, value: number) => number =
  typeof zlib.crc32 === 'function' ? zlib.crc32 : crc32Fallback;

let crcTable: Int32Array | undefined;

/** Only for Node versions before 20.15, which lack `zlib.crc32`. */
function crc32Fallback(data: Uint8Array, value: number): number {
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~value;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Where an entry's packed bytes are, and the most it may unpack to (checked against the local header). */
function packedData(archive: ZipArchive, entry: ZipEntry): { data: Uint8Array; cap: number } {
  const { bytes, limits } = archive;
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || u32(bytes, at) !== SIG_LOCAL) throw corrupt(`local header of ${entry.name} damaged`);
  if (entry.flags & 0x0001) throw corrupt(`${entry.name} is encrypted`);
  const start = at + 30 + u16(bytes, at + 26) + u16(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw corrupt(`${entry.name} runs past the end of the file (truncated?)`);
  // The cap is the smallest of: what the directory declared, the per-entry limit, what is left of the total budget.
  const cap = Math.min(entry.size, limits.maxEntryBytes, limits.maxTotalInflatedBytes - archive.inflated);
  return { data: bytes.subarray(start, end), cap };
}

/** What one entry has produced so far: its bytes counted against the cap and its CRC, each chunk passed on. */
class EntryOutput {
  produced = 0;
  private crc = 0;
  /**
   * Errors from the consumer (XML problems, reader limits, bugs) pass through untouched; only the inflater's own
   * errors mean a damaged zip.
   */
  consumerFailed = false;

  constructor(
    private readonly archive: ZipArchive,
    private readonly entry: ZipEntry,
    readonly cap: number,
    private readonly onChunk: (chunk: Uint8Array) => void,
  ) {}

  passedCap(): never {
    const { limits } = this.archive;
    const { produced, entry } = this;
    if (produced > limits.maxEntryBytes || this.archive.inflated + produced > limits.maxTotalInflatedBytes) {
      throw new ReadFailureError('zip-too-large', {
        found: `${entry.name}: more than ${formatMiB(this.cap)} unpacked`,
      });
    }
    throw corrupt(`${entry.name} unpacks to more than its declared ${entry.size} bytes`);
  }

  accept(chunk: Uint8Array): void {
    this.produced += chunk.length;
    if (this.produced > this.cap) this.passedCap();
    this.crc = crc32(chunk, this.crc);
    if (chunk.length === 0) return;
    try {
      this.onChunk(chunk);
    } catch (error) {
      this.consumerFailed = true;
      throw error;
    }
  }

  finish(): void {
    const { produced, entry } = this;
    if (produced !== entry.size) throw corrupt(`${entry.name} unpacks to ${produced} bytes, not ${entry.size}`);
    if (this.crc !== entry.crc) throw corrupt(`${entry.name} fails its CRC check`);
    this.archive.inflated += produced;
  }
}

/**
 * Inflate one entry, handing each produced chunk to `onChunk` as it comes (nothing is kept here). Stops with a
 * {@link ReadFailureError} the moment the output passes the entry's declared size, the per-entry limit or the
 * archive-wide limit, and checks size and CRC at the end.
 */
export function inflateEntry(archive: ZipArchive, entry: ZipEntry, onChunk: (chunk: Uint8Array) => void): void {
  const { data, cap } = packedData(archive, entry);
  const output = new EntryOutput(archive, entry, cap, onChunk);
  if (entry.method === 0) {
    for (let i = 0; i < data.length; i += PUSH_BYTES) output.accept(data.subarray(i, i + PUSH_BYTES));
  } else if (entry.method === 8 && cap <= NATIVE_INFLATE_MAX_BYTES) {
    const out = inflateNative(data, cap, entry);
    if (out === null) {
      // zlib stopped one byte past the cap: the verdict the streaming path gives when a chunk takes it over.
      output.produced = cap + 1;
      output.passedCap();
    }
    for (let i = 0; i < out!.length; i += PUSH_BYTES) output.accept(out!.subarray(i, i + PUSH_BYTES));
  } else if (entry.method === 8) {
    const inflater = new Inflate((chunk) => output.accept(chunk));
    try {
      let i = 0;
      do {
        // Near the cap, push less so one push cannot expand far past it.
        const room = Math.max(1024, Math.floor((cap - output.produced) / DEFLATE_MAX_EXPANSION));
        const next = Math.min(data.length, i + Math.min(PUSH_BYTES, room));
        inflater.push(data.subarray(i, next), next === data.length);
        i = next;
      } while (i < data.length);
    } catch (error) {
      if (error instanceof ReadFailureError || output.consumerFailed) throw error;
      // fflate's own errors: invalid block type, unexpected end of data and the like.
      throw corrupt(`${entry.name}: ${(error as Error).message}`);
    }
  } else {
    throw corrupt(`${entry.name} uses compression method ${entry.method}`);
  }
  output.finish();
}

/** Parts that may unpack to more than this are inflated in pieces by {@link inflateEntryInPieces}. */
const PIECES_MIN_BYTES = 1024 * 1024;

/**
 * `inflateEntry` with the same verdicts, for a caller that can wait: a part that native zlib would inflate into
 * one buffer is inflated on Node's thread pool in 64 KB pieces instead, so a 31 MB sheet never exists whole in
 * memory. Once, handing each piece on as it comes; the verdicts are still those of counting the whole part before
 * the consumer sees a byte (as the one call does): a part that unpacks past its cap, or whose deflate stream is
 * damaged, is refused as such even when the consumer already refused an earlier piece, so the consumer's refusal is
 * held while the rest of the part is counted (never past the cap), and given only when the part itself is sound.
 * Other parts go through `inflateEntry`.
 */
export async function inflateEntryInPieces(
  archive: ZipArchive,
  entry: ZipEntry,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  const { data, cap } = packedData(archive, entry);
  if (entry.method !== 8 || cap <= PIECES_MIN_BYTES || cap > NATIVE_INFLATE_MAX_BYTES) {
    inflateEntry(archive, entry, onChunk);
    return;
  }
  const output = new EntryOutput(archive, entry, cap, onChunk);
  let counted = 0;
  let held: { error: unknown } | null = null;
  await inflatePieces(data, entry, (chunk) => {
    counted += chunk.length;
    // The one call's output buffer holds cap + 1 bytes: only a part that unpacks to more is stopped there, unseen.
    if (counted > cap + 1) return false;
    if (held !== null) return true;
    try {
      // A part of exactly cap + 1 bytes is refused here, as its last piece comes, as in the one call's path.
      output.accept(chunk);
    } catch (error) {
      held = { error };
    }
    return true;
  });
  if (counted > cap + 1) {
    output.produced = cap + 1;
    output.passedCap();
  }
  if (held !== null) throw (held as { error: unknown }).error;
  output.finish();
}

/**
 * Run `data` through a zlib stream, each piece to `take` until it returns false. zlib's own errors (a damaged
 * part) become `zip-corrupt`; anything `take` throws passes through.
 */
async function inflatePieces(data: Uint8Array, entry: ZipEntry, take: (chunk: Uint8Array) => boolean) {
  const inflater = zlib.createInflateRaw({ chunkSize: PUSH_BYTES });
  inflater.end(data);
  let taking = false;
  try {
    for await (const chunk of inflater) {
      taking = true;
      const more = take(chunk as Uint8Array);
      taking = false;
      if (!more) break;
    }
  } catch (error) {
    if (taking) throw error;
    throw corrupt(`${entry.name}: ${(error as Error).message}`);
  } finally {
    inflater.destroy();
  }
}

/**
 * Inflate with Node's zlib in one call, whose output zlib itself stops just past `cap` (`maxOutputLength`), so a bomb
 * costs no more than the cap: null when it got there. Only for entries whose cap is small enough to hold at once.
 * Native zlib is several times faster than fflate and needs no warming up, which is most of what reading a
 * coordinator's workbook costs in a fresh process.
 */
function inflateNative(data: Uint8Array, cap: number, entry: ZipEntry): Uint8Array | null {
  try {
    // One output buffer with room for the whole part and one byte more: zlib writes into it and returns it, with no
    // 16 KB pieces to join (a copy, and 30 MB of small allocations the process keeps after they are freed). A part
    // that fills it is past the cap, and zlib stops there.
    return zlib.inflateRawSync(data, { maxOutputLength: cap + 1, chunkSize: Math.max(64, cap + 2) });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return null;
    // zlib's own errors: invalid block type, unexpected end of file and the like.
    throw corrupt(`${entry.name}: ${(error as Error).message}`);
  }
}

/** Inflate a small entry into one buffer (for tiny parts such as `mimetype`); `maxBytes` bounds it further. */
export function inflateWhole(archive: ZipArchive, name: string, maxBytes: number): Uint8Array {
  const entry = findEntry(archive, name);
  if (!entry) return new Uint8Array(0);
  if (entry.size > maxBytes) throw corrupt(`${name} is unexpectedly large`);
  const out = new Uint8Array(entry.size);
  let at = 0;
  inflateEntry(archive, entry, (chunk) => {
    out.set(chunk, at);
    at += chunk.length;
  });
  return out;
}
