import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { unzipSync, type Zippable, zipSync } from 'fflate';

/**
 * 1980-01-01 00:00, the earliest date a zip entry can carry. Built from local time on purpose, at each call (the
 * zone can change while a process runs): zip dates are zone-less and fflate writes the local fields, so this gives
 * the same bytes in every time zone.
 */
const fixedEntryDate = () => new Date(1980, 0, 1, 0, 0, 0);

/**
 * Re-pack an OOXML zip so that equal content gives equal bytes: exceljs stamps "now" into every entry,
 * so the same report written twice differs. Entry order is kept (`[Content_Types].xml` stays first).
 *
 * Every deflate is fflate's, so the bytes are the same on every machine and Node version: this is what writes
 * committed files (the template, the sample workbooks and the hostile corpus built from them). Reports, which are
 * never committed, use the faster {@link packDeterministic}.
 */
export function repackDeterministic(zipBytes: Uint8Array): Uint8Array {
  return zipStable(Object.entries(unzipSync(zipBytes)));
}

/**
 * The bytes {@link repackDeterministic} gives for the zip exceljs writes of these parts, without that zip: JSZip
 * adds an empty entry for each folder before the first part in it, so the same folder entries are added here, in the
 * same places. (JSZip's stored zip computed every part's CRC in JavaScript, half of a sample workbook's write.)
 */
export function packStable(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const withFolders: [string, Uint8Array][] = [];
  const folders = new Set<string>();
  for (const [name, data] of entries) {
    for (let slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
      const folder = name.slice(0, slash + 1);
      if (folders.has(folder)) continue;
      folders.add(folder);
      withFolders.push([folder, new Uint8Array(0)]);
    }
    withFolders.push([name, data]);
  }
  return zipStable(withFolders);
}

function zipStable(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  const mtime = fixedEntryDate();
  const out: Zippable = {};
  for (const [name, data] of entries) out[name] = [data, { level: 6, mtime }];
  return zipSync(out, { level: 6, mtime });
}

/** 1980-01-01 00:00 as the DOS time and date fields of a zip entry: the same in every time zone. */
const DOS_TIME = 0;
const DOS_DATE = (1 << 5) | 1;
const VERSION = 20;
const DEFLATE = 8;
/** General-purpose flag: names are UTF-8. */
const UTF8_NAMES = 0x0800;

/**
 * zlib's fast deflate (levels 1-3 skip lazy matching): on a project report's parts, level 2 takes a third of level
 * 6's CPU time for a file about a tenth larger (measured: 1.6 against 4.6 ms, 44.7 against 40.7 KB).
 */
const REPORT_DEFLATE_LEVEL = 2;

/**
 * Re-pack an OOXML zip with fixed entry dates, deflating each entry once with Node's native zlib (see
 * {@link packEntries}). Entry order is kept (`[Content_Types].xml` stays first).
 */
export function packDeterministic(zipBytes: Uint8Array): Uint8Array {
  return packEntries(Object.entries(unzipSync(zipBytes)));
}

/**
 * Zip entries with fixed entry dates, in the order given, deflating each once with Node's native zlib. fflate's
 * deflate is JavaScript and was a tenth of a project report's render time; zlib does the same work several times
 * faster. The bytes are as stable as the PDFs' (pdfkit deflates page content with the same zlib): equal on every
 * re-render with the same Node, though another zlib build may compress differently, which is why committed files
 * keep {@link repackDeterministic}.
 */
export function packEntries(entries: readonly (readonly [string, Uint8Array])[]): Uint8Array {
  return packDeflated(entries.map(([name, data]) => [name, deflateEntry(data)]));
}

/** An entry's data as a zip holds it: deflated, with its CRC and size. */
export interface DeflatedEntry {
  readonly crc: number;
  readonly size: number;
  readonly packed: Uint8Array;
}

/** Deflate one entry's data as {@link packEntries} does. */
export function deflateEntry(data: Uint8Array): DeflatedEntry {
  return { crc: crc32(data), size: data.byteLength, packed: deflateReport(data) };
}

/**
 * A sheet as {@link deflateEntry} would hold it, deflated as two streams one after the other: its first `split`
 * bytes (the rows) flushed to a byte boundary without a last block, then the rest (page setup, header and footer)
 * as a stream of its own, which a reader inflates as one stream. The two editions of a report write the same rows
 * (the lineage sheet, most of a workbook's bytes) and differ in the page header and the labels after them: the
 * rows deflated for one edition are kept, by content, and reused for the other. Deterministic: kept or not, the
 * rows deflate to the same bytes. Only rows of {@link SPLIT_MIN_BYTES} or more are split (and kept).
 */
export function deflateSheet(data: Uint8Array, split: number): DeflatedEntry {
  if (split < SPLIT_MIN_BYTES || split > data.byteLength) return deflateEntry(data);
  const head = data.subarray(0, split);
  const tail = data.subarray(split);
  const kept = keptHead(head);
  const packedTail = deflateReport(tail);
  const packed = new Uint8Array(kept.packed.byteLength + packedTail.byteLength);
  packed.set(kept.packed, 0);
  packed.set(packedTail, kept.packed.byteLength);
  return { crc: crc32(tail, kept.crc), size: data.byteLength, packed };
}

/** Below this, a sheet's rows are deflated with the rest of it: small sheets gain nothing from being kept. */
export const SPLIT_MIN_BYTES = 32 * 1024;

/** Sheet rows deflated lately, newest last; a few, and at most {@link KEPT_HEAD_BYTES} of rows in all. */
const keptHeads: { head: Buffer; crc: number; packed: Uint8Array }[] = [];
const KEPT_HEADS = 4;
const KEPT_HEAD_BYTES = 16 * 1024 * 1024;

function keptHead(head: Uint8Array): { crc: number; packed: Uint8Array } {
  for (const kept of keptHeads) if (kept.head.equals(head)) return kept;
  const entry = {
    head: Buffer.from(head),
    crc: crc32(head),
    packed: deflateReport(head, constants.Z_SYNC_FLUSH),
  };
  keptHeads.push(entry);
  let bytes = keptHeads.reduce((sum, kept) => sum + kept.head.byteLength, 0);
  while (keptHeads.length > KEPT_HEADS || (bytes > KEPT_HEAD_BYTES && keptHeads.length > 1))
    bytes -= keptHeads.shift()!.head.byteLength;
  return entry;
}

/**
 * Raw deflate at the report level, through one zlib stream per thread, reset after each entry: `deflateRawSync`
 * makes a stream (a JavaScript object and some 270 KB of zlib state, counted against the collector) and closes it
 * for every part, about a tenth of a report's deflate time and more of its garbage. A reset stream writes the same
 * bytes as a new one (zlib's `deflateReset`), which {@link ReusedDeflate} checks once before it is trusted.
 */
function deflateReport(data: Uint8Array, flush: number = constants.Z_FINISH): Uint8Array {
  reusedDeflate ??= ReusedDeflate.open();
  if (reusedDeflate !== false) {
    try {
      return reusedDeflate.deflate(data, flush);
    } catch (error) {
      // A stream zlib gave up on is closed: the next part gets a new one.
      if (reusedDeflate.closed) reusedDeflate = undefined;
      throw error;
    }
  }
  // zlib's output does not depend on the size of the buffer it is written into: a small part gets a buffer about
  // the size it deflates to instead of the default 16 KiB (measured: a third less time for a 3 KB part).
  const chunkSize = Math.min(Math.max(1024, data.byteLength >> 2), 16 * 1024);
  return deflateRawSync(data, { level: REPORT_DEFLATE_LEVEL, chunkSize, finishFlush: flush });
}

/** How this thread deflates report parts: through its one reused stream, or a new stream for each part. */
export function reportDeflateStream(): 'reused' | 'per-part' {
  reusedDeflate ??= ReusedDeflate.open();
  return reusedDeflate === false ? 'per-part' : 'reused';
}

/** The thread's reused stream; `false` when this Node's zlib stream does not offer what it needs. */
let reusedDeflate: ReusedDeflate | false | undefined;

/** What a Node zlib stream holds inside: its native handle and the handle's report of what is left. */
interface ZlibInternals {
  _handle?: {
    writeSync(
      flush: number,
      input: Uint8Array,
      inOff: number,
      inLen: number,
      out: Buffer,
      outOff: number,
      outLen: number,
    ): void;
    reset(): void;
  };
  _writeState?: Uint32Array;
  destroyed: boolean;
}

/**
 * A raw-deflate zlib stream written synchronously through its native handle, as `deflateRawSync` writes the one it
 * makes (Node's `processChunkSync`), into one output buffer kept for the thread. Node does not document the
 * handle: {@link ReusedDeflate.open} checks that it is there and that it deflates a sample as `deflateRawSync`
 * does, and gives `false` otherwise, so another Node falls back to `deflateRawSync` instead of failing.
 */
class ReusedDeflate {
  private out = Buffer.allocUnsafe(64 * 1024);

  private constructor(
    private readonly stream: ZlibInternals,
    private readonly handle: NonNullable<ZlibInternals['_handle']>,
    private readonly state: Uint32Array,
  ) {}

  get closed(): boolean {
    return this.stream.destroyed;
  }

  static open(): ReusedDeflate | false {
    const stream = createDeflateRaw({ level: REPORT_DEFLATE_LEVEL }) as unknown as ZlibInternals;
    const { _handle: handle, _writeState: state } = stream;
    if (typeof handle?.writeSync !== 'function' || typeof handle.reset !== 'function') return false;
    if (!(state instanceof Uint32Array) || state.length < 2) return false;
    const deflate = new ReusedDeflate(stream, handle, state);
    const sample = Buffer.from('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'.repeat(40), 'latin1');
    try {
      const expected = deflateRawSync(sample, { level: REPORT_DEFLATE_LEVEL });
      // Twice: the second deflate is on the reset stream.
      return expected.equals(deflate.deflate(sample)) && expected.equals(deflate.deflate(sample)) ? deflate : false;
    } catch {
      return false;
    }
  }

  /**
   * `data` deflated as one raw deflate stream, in a buffer of its own: to its end (`Z_FINISH`), or (`Z_SYNC_FLUSH`)
   * to a byte boundary without a last block, for a stream that another one continues.
   */
  deflate(data: Uint8Array, flush: number = constants.Z_FINISH): Uint8Array {
    let inOff = 0;
    let inLen = data.byteLength;
    let outOff = 0;
    try {
      for (;;) {
        this.handle.writeSync(flush, data, inOff, inLen, this.out, outOff, this.out.length - outOff);
        if (this.closed) throw new Error('zlib failed to deflate a workbook part');
        const outLeft = this.state[0]!;
        const inLeft = this.state[1]!;
        outOff = this.out.length - outLeft;
        inOff += inLen - inLeft;
        inLen = inLeft;
        // Room left in the output means zlib has finished the stream (or the flush).
        if (outLeft > 0) break;
        const larger = Buffer.allocUnsafe(2 * this.out.length);
        this.out.copy(larger, 0, 0, outOff);
        this.out = larger;
      }
      return new Uint8Array(this.out.subarray(0, outOff));
    } finally {
      // A closed handle's zlib state is gone: reset only an open one.
      if (!this.closed) this.handle.reset();
      // A buffer grown for one very large part is not kept.
      if (this.out.length > 4 * 1024 * 1024) this.out = Buffer.allocUnsafe(64 * 1024);
    }
  }
}

/** Zip entries already deflated by {@link deflateEntry} (a writer may keep the ones every workbook repeats). */
export function packDeflated(entries: readonly (readonly [string, DeflatedEntry])[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, { crc, size, packed }] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    writeEntryFields(local, 4, crc, packed.byteLength, size, nameBytes.byteLength);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(VERSION, 4); // made by: MS-DOS, zip 2.0
    writeEntryFields(header, 6, crc, packed.byteLength, size, nameBytes.byteLength);
    // extra, comment, disk number, internal and external attributes stay 0.
    header.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, packed);
    central.push(header, nameBytes);
    offset += local.byteLength + nameBytes.byteLength + packed.byteLength;
  }
  const directorySize = central.reduce((sum, part) => sum + part.byteLength, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

/** The fields local and central headers share, from "version needed" to "extra field length". */
function writeEntryFields(buf: Buffer, at: number, crc: number, packed: number, size: number, nameLength: number) {
  buf.writeUInt16LE(VERSION, at);
  buf.writeUInt16LE(UTF8_NAMES, at + 2);
  buf.writeUInt16LE(DEFLATE, at + 4);
  buf.writeUInt16LE(DOS_TIME, at + 6);
  buf.writeUInt16LE(DOS_DATE, at + 8);
  buf.writeUInt32LE(crc, at + 10);
  buf.writeUInt32LE(packed, at + 14);
  buf.writeUInt32LE(size, at + 18);
  buf.writeUInt16LE(nameLength, at + 22);
  buf.writeUInt16LE(0, at + 24);
}
