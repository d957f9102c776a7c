import { constants, crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readXlsx } from '../../functions/intake/read-xlsx';
import {
  deflateEntry,
  deflateSheet,
  packDeterministic,
  repackDeterministic,
  reportDeflateStream,
  SPLIT_MIN_BYTES,
} from '../../functions/workbooks/deterministic-zip';
import { mulberry32 } from '../../sample/sample-projects';

/** A zip as exceljs writes one: the entries stored, each stamped with a different "now". */
function storedZip(entries: Record<string, Uint8Array>, when: Date): Uint8Array {
  const input: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  for (const [name, data] of Object.entries(entries)) input[name] = [data, { level: 0, mtime: when }];
  return zipSync(input);
}

/** Generated entries: empty, tiny, repetitive XML, incompressible bytes, a non-ASCII name. */
function generatedEntries(seed: number): Record<string, Uint8Array> {
  const rng = mulberry32(seed);
  const noise = new Uint8Array(5000 + Math.floor(rng() * 5000)).map(() => Math.floor(rng() * 256));
  const rows = Array.from(
    { length: 200 + Math.floor(rng() * 800) },
    (_, i) => `<row r="${i + 1}"><c t="s"><v>${Math.floor(rng() * 50)}</v></c></row>`,
  );
  return {
    '[Content_Types].xml': new TextEncoder().encode('<Types/>'),
    'xl/empty.xml': new Uint8Array(0),
    'xl/worksheets/sheet1.xml': new TextEncoder().encode(`<sheetData>${rows.join('')}</sheetData>`),
    'xl/media/noise.bin': noise,
    'xl/Izcelsme-ā.xml': new TextEncoder().encode('<x>šūna</x>'),
  };
}

/** The DOS time and date fields of every local header, walking the local headers in order. */
function localDates(zip: Uint8Array): number[][] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const out: number[][] = [];
  let at = 0;
  while (view.getUint32(at, true) === 0x04034b50) {
    out.push([view.getUint16(at + 10, true), view.getUint16(at + 12, true)]);
    at += 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true) + view.getUint32(at + 18, true);
  }
  return out;
}

describe('packDeterministic (reports: one native deflate per entry)', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`keeps every entry, in order, and gives equal bytes for equal content written at different times (seed ${seed})`, () => {
      const entries = generatedEntries(seed);
      const early = packDeterministic(storedZip(entries, new Date(2025, 0, 1, 12)));
      const late = packDeterministic(storedZip(entries, new Date(2026, 6, 15, 3, 30)));
      expect(Buffer.compare(early, late)).toBe(0);
      const back = unzipSync(early);
      expect(Object.keys(back)).toEqual(Object.keys(entries));
      for (const [name, data] of Object.entries(entries)) expect(Buffer.compare(back[name]!, data)).toBe(0);
      // 1980-01-01 00:00 in every entry, whatever the zone.
      expect(localDates(early)).toEqual(Object.keys(entries).map(() => [0, 33]));
      // It compresses: the repetitive sheet is far smaller than stored.
      expect(early.byteLength).toBeLessThan(storedZip(entries, new Date(2000, 0, 1)).byteLength / 2);
    });
  }

  it('writes a workbook our own reader (zip guard, CRC checks) reads as the fflate-packed one', async () => {
    const { renderProjectXlsx } = await import('../../functions/workbooks/write-report-xlsx');
    const { projectModel } = await import('../fixtures/xlsx-report-models');
    const bytes = await renderProjectXlsx(projectModel(), 'lv');
    const viaFflate = repackDeterministic(bytes);
    const ours = readXlsx(bytes);
    const theirs = readXlsx(viaFflate);
    expect(ours.ok && theirs.ok).toBe(true);
    if (ours.ok && theirs.ok) expect(ours.workbook).toEqual(theirs.workbook);
  });
});

describe('deflateEntry', () => {
  it('deflates as zlib does with its own output buffer, whatever the size of the part (empty to larger than the buffer)', () => {
    const rng = mulberry32(9);
    const sizes = [0, 1, 63, 64, 1000, 4095, 4096, 4097, 16_383, 65_535, 65_536, 65_537, 300_000];
    for (let n = 0; n < 20; n++) sizes.push(Math.floor(rng() * 200_000));
    for (const size of sizes) {
      // Sheet-like XML, with some noise so that parts deflate to more than a buffer's worth too.
      const xml = Array.from({ length: Math.ceil(size / 40) }, (_, i) =>
        rng() < 0.2 ? String(Math.floor(rng() * 1e12)) : `<c r="A${i}" s="3"><v>${i}</v></c>`,
      ).join('');
      const data = new TextEncoder().encode(xml.slice(0, size));
      expect(Buffer.from(deflateEntry(data).packed).equals(deflateRawSync(data, { level: 2 })), `${size} bytes`).toBe(
        true,
      );
    }
  });

  it('deflates through one reused zlib stream on this Node, each part as a new stream would, in any order', () => {
    expect(reportDeflateStream()).toBe('reused');
    const rng = mulberry32(11);
    // Incompressible parts deflate to more than they hold, and past the stream's first output buffer (64 KiB).
    const noise = (size: number) => new Uint8Array(size).map(() => Math.floor(rng() * 256));
    const xml = (rows: number) =>
      new TextEncoder().encode(
        Array.from({ length: rows }, (_, i) => `<row r="${i}"><c r="B${i}" t="s"><v>${i % 97}</v></c></row>`).join(''),
      );
    const parts = [noise(70_000), xml(3), new Uint8Array(0), noise(300_000), xml(20_000), noise(10), xml(1)];
    for (let n = 0; n < 12; n++)
      parts.push(rng() < 0.5 ? noise(Math.floor(rng() * 150_000)) : xml(Math.floor(rng() * 9000)));
    for (const data of parts) {
      const { packed, size, crc } = deflateEntry(data);
      expect(Buffer.from(packed).equals(deflateRawSync(data, { level: 2 })), `${data.byteLength} bytes`).toBe(true);
      expect(size).toBe(data.byteLength);
      expect(crc).toBe(crc32(data));
    }
    // The part deflated last is not overwritten by the next one.
    const first = deflateEntry(parts[0]!).packed;
    const copy = Buffer.from(first);
    deflateEntry(parts[3]!);
    expect(Buffer.from(first).equals(copy)).toBe(true);
  });
});

describe("deflateSheet (a large sheet's rows deflated apart from the rest, and kept for the other edition)", () => {
  const rng = mulberry32(21);
  /** Sheet-like XML of about `size` bytes, with some Latvian text and noise. */
  const sheetXml = (size: number, salt: number) =>
    new TextEncoder().encode(
      Array.from({ length: Math.ceil(size / 45) }, (_, i) =>
        rng() < 0.1
          ? `<c><v>${Math.floor(rng() * 1e9) + salt}</v></c>`
          : `<c r="A${i}" s="3" t="s"><v>${i % 50}</v></c>ā`,
      )
        .join('')
        .slice(0, size),
    );
  const concat = (a: Uint8Array, b: Uint8Array) => {
    const out = new Uint8Array(a.byteLength + b.byteLength);
    out.set(a, 0);
    out.set(b, a.byteLength);
    return out;
  };

  it('holds the whole sheet: it inflates as one stream to the same bytes, with the CRC and size of the whole', () => {
    const heads = [0, 1, SPLIT_MIN_BYTES - 1, SPLIT_MIN_BYTES, SPLIT_MIN_BYTES + 1, 100_000, 400_000];
    for (const headSize of heads) {
      for (const tailSize of [0, 1, 700, 70_000]) {
        const data = concat(sheetXml(headSize, 1), sheetXml(tailSize, 2));
        const entry = deflateSheet(data, headSize);
        const label = `${headSize} + ${tailSize} bytes`;
        expect(Buffer.from(inflateRawSync(entry.packed)).equals(Buffer.from(data)), label).toBe(true);
        expect(entry.size, label).toBe(data.byteLength);
        expect(entry.crc, label).toBe(crc32(data));
        // Small rows are not split: the bytes deflateEntry gives.
        if (headSize < SPLIT_MIN_BYTES)
          expect(Buffer.from(entry.packed).equals(Buffer.from(deflateEntry(data).packed)), label).toBe(true);
      }
    }
  });

  it('gives the same bytes for the same sheet whether its rows were kept or deflated again', () => {
    const head = sheetXml(120_000, 3);
    const sheet = concat(head, sheetXml(2000, 4));
    const first = Buffer.from(deflateSheet(sheet, head.byteLength).packed);
    expect(Buffer.from(deflateSheet(sheet, head.byteLength).packed).equals(first)).toBe(true);
    // Other sheets' rows push these out of the few kept.
    for (let i = 0; i < 6; i++) deflateSheet(sheetXml(50_000, 10 + i), 40_000);
    expect(Buffer.from(deflateSheet(sheet, head.byteLength).packed).equals(first)).toBe(true);
  });

  it('deflates the rows two editions share once: both sheets begin with the same deflated rows', () => {
    const head = sheetXml(200_000, 5);
    const lv = concat(head, new TextEncoder().encode('<headerFooter><oddHeader>PMIF projekta pārskats</oddHeader>'));
    const en = concat(head, new TextEncoder().encode('<headerFooter><oddHeader>AMIF project report</oddHeader>'));
    const a = deflateSheet(lv, head.byteLength);
    const b = deflateSheet(en, head.byteLength);
    const rows = deflateRawSync(head, { level: 2, finishFlush: constants.Z_SYNC_FLUSH });
    expect(Buffer.from(a.packed.subarray(0, rows.byteLength)).equals(rows)).toBe(true);
    expect(Buffer.from(b.packed.subarray(0, rows.byteLength)).equals(rows)).toBe(true);
    expect(Buffer.from(inflateRawSync(a.packed)).equals(Buffer.from(lv))).toBe(true);
    expect(Buffer.from(inflateRawSync(b.packed)).equals(Buffer.from(en))).toBe(true);
  });
});
