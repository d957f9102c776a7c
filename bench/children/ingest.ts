/**
 * One ingest method, once, in a fresh process: `node ingest.js <method> <file.xlsx> <context.json>`.
 * Reports the method's time (file already in memory), a count that shows it read everything, and the process's
 * peak RSS. Methods: the floor (plain unzip + SAX pass), ours (guard + parse + validate, as ingest reads a
 * submission), SheetJS, exceljs.
 * Each method's modules are imported before its clock starts, and only its own (fflate and saxes, which the
 * floor uses, are in every method's process), so no method's RSS carries another's library.
 */
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { Unzip, UnzipInflate } from 'fflate';
import { SaxesParser } from 'saxes';
import { tuneTiering } from '../../functions/app/tiering';
import { peakRssMb, reportResult } from '../lib/child';
import { INGEST_METHODS, type IngestChildResult, type IngestContext, type IngestMethod } from '../lib/ingest-methods';

// V8's tiering as the product's entry points set it (functions/app/tiering.ts): the figures are of what users run.
tuneTiering();

/** The parts our reader parses: content types, workbook and its relationships, shared strings, styles, worksheets. */
const FLOOR_PARTS =
  /^(\[Content_Types\]\.xml|xl\/workbook\.xml|xl\/_rels\/workbook\.xml\.rels|xl\/sharedStrings\.xml|xl\/styles\.xml|xl\/worksheets\/[^/]+\.xml)$/;

const PUSH_BYTES = 64 * 1024;

/** The floor: stream-inflate those parts with fflate and run saxes over them with handlers that only count. */
function floor(bytes: Uint8Array): number {
  let elements = 0;
  const unzip = new Unzip((file) => {
    if (!FLOOR_PARTS.test(file.name)) return;
    const parser = new SaxesParser({ xmlns: false, position: false });
    parser.on('opentag', () => {
      elements++;
    });
    parser.on('closetag', () => {});
    parser.on('text', () => {});
    const decoder = new TextDecoder();
    file.ondata = (err, chunk, final) => {
      if (err) throw err;
      parser.write(decoder.decode(chunk, { stream: !final }));
      if (final) parser.close();
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  // Pushed in slices, as our reader does: fflate then inflates and hands over data a chunk at a time.
  for (let i = 0; i < bytes.length; i += PUSH_BYTES) {
    unzip.push(bytes.subarray(i, i + PUSH_BYTES), i + PUSH_BYTES >= bytes.length);
  }
  return elements;
}

/**
 * The floor with Node's zlib as the inflater, as our reader now inflates parts up to 40 MB: each part in one call
 * into one buffer, then saxes over it in 64 KB slices. Entries are found by a plain walk of the central directory.
 */
function floorNative(bytes: Uint8Array): number {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = b.length - 22;
  while (eocd > 0 && b.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  let at = b.readUInt32LE(eocd + 16);
  const count = b.readUInt16LE(eocd + 10);
  let elements = 0;
  for (let i = 0; i < count; i++) {
    const nameLength = b.readUInt16LE(at + 28);
    const name = b.toString('utf8', at + 46, at + 46 + nameLength);
    const packed = b.readUInt32LE(at + 20);
    const size = b.readUInt32LE(at + 24);
    const local = b.readUInt32LE(at + 42);
    at += 46 + nameLength + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
    if (!FLOOR_PARTS.test(name)) continue;
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const out = inflateRawSync(b.subarray(start, start + packed), { chunkSize: Math.max(64, size + 2) });
    const parser = new SaxesParser({ xmlns: false, position: false });
    parser.on('opentag', () => {
      elements++;
    });
    parser.on('closetag', () => {});
    parser.on('text', () => {});
    const decoder = new TextDecoder();
    for (let j = 0; j < out.length; j += PUSH_BYTES) {
      parser.write(decoder.decode(out.subarray(j, j + PUSH_BYTES), { stream: true }));
    }
    parser.write(decoder.decode());
    parser.close();
  }
  return elements;
}

/** CPU time of this process (all its threads, so GC helpers too) since `start`. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

async function run(method: IngestMethod, bytes: Uint8Array, context: IngestContext): Promise<IngestChildResult> {
  const { readSubmission } = method === 'ours' ? await import('../../functions/intake/read-submission') : ({} as never);
  const XLSX = method.startsWith('sheetjs') ? await import('xlsx') : (undefined as never);
  const ExcelJS = method.startsWith('exceljs') ? (await import('exceljs')).default : (undefined as never);
  const { Readable } = await import('node:stream');
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const done = (count: number, extra: Partial<IngestChildResult> = {}): IngestChildResult => ({
    method,
    ms: performance.now() - start,
    cpuMs: cpuMsSince(cpuStart),
    count,
    peakRssMb: peakRssMb(),
    ...extra,
  });
  switch (method) {
    case 'floor':
      return done(floor(bytes));
    case 'floor-native':
      return done(floorNative(bytes));
    case 'ours': {
      // As ingest reads a submission: one pass, the participant rows checked as they are read (so there is no
      // separate parse and validate time to report).
      const read = await readSubmission(bytes, context.source, {
        registry: context.registry,
        folder: context.folder,
        today: context.today,
      });
      if (!read.ok) throw new Error(`our reader refused the bench workbook: ${read.problem.code}`);
      const { submission, issues } = read.result;
      if (!submission) throw new Error(`the bench workbook did not validate: ${JSON.stringify(issues.slice(0, 3))}`);
      return done(submission.participantRows);
    }
    case 'sheetjs':
    case 'sheetjs-dense': {
      const wb = XLSX.read(bytes, { type: 'array', dense: method === 'sheetjs-dense' });
      let rows = 0;
      for (const name of wb.SheetNames) {
        const ref = wb.Sheets[name]?.['!ref'];
        if (ref) rows += XLSX.utils.decode_range(ref).e.r + 1;
      }
      return done(rows);
    }
    case 'exceljs-load': {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
      let rows = 0;
      for (const ws of wb.worksheets) rows += ws.actualRowCount;
      return done(rows);
    }
    case 'exceljs-stream': {
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes)]), {
        sharedStrings: 'cache',
        styles: 'cache',
        hyperlinks: 'ignore',
        worksheets: 'emit',
      });
      let rows = 0;
      for await (const worksheet of reader) {
        for await (const _row of worksheet) rows++;
      }
      return done(rows);
    }
  }
}

const [method, file, contextFile] = process.argv.slice(2);
if (!INGEST_METHODS.includes(method as IngestMethod) || !file || !contextFile) {
  throw new Error(`usage: ingest.js <${INGEST_METHODS.join('|')}> <file.xlsx> <context.json>`);
}
const context = JSON.parse(await readFile(contextFile, 'utf8')) as IngestContext;
const bytes = new Uint8Array(await readFile(file));
reportResult(await run(method as IngestMethod, bytes, context));
