/**
 * exceljs's own workbook writer, without its zip. `workbook.xlsx.writeBuffer` renders every part to XML and hands
 * it to JSZip; reports then unzipped that and deflated every part again with fixed dates (a second zip pass a tenth
 * of a report's render time). Here the same steps, in the same order, hand each part to a list instead, which
 * {@link packEntries} zips once. Between preparing the model and rendering, a caller may add cells of its own to
 * the shared-string and style tables and edit a sheet's XML ({@link WorkbookExtras}): that is how a long table's
 * rows are written without an exceljs cell each (`bulk-rows.ts`).
 *
 * These are exceljs 4.4's internal methods (`lib/xlsx/xlsx.js`, `write`); the version is pinned in the lockfile, and
 * `test/unit/workbook-entries.test.ts` compares the parts with what `writeBuffer` zips.
 */
import type { Workbook } from 'exceljs';
import { packEntries, packStable } from './deterministic-zip';

/** The tables a cell's string and style go into while a workbook is written. */
export interface WriteTables {
  /** The index of `text` in the shared-string table, added when new. */
  sharedString(text: string): number;
  /**
   * The cell format (`s` attribute) of a style, added when new; `valueType` is exceljs's `ValueType` of the value,
   * `key` the style's `styleKey` (`style-table.ts`), which a table may use instead of working it out again.
   */
  styleId(style: object, valueType: number, key?: string): number;
}

/** Edits to sheet XML, by worksheet id, made once the other cells are in the tables. */
export type WorkbookExtras = (tables: WriteTables) => Map<number, (sheetXml: string) => string>;

interface ZipSink {
  append(data: string | Uint8Array, options: { name: string; base64?: boolean }): void;
}

interface WriteModel {
  sharedStrings: { add(text: string): number };
  styles: { addStyleModel(style: object, valueType: number): number };
}

/** The writer's steps, as `XLSX.write` calls them. */
interface ExcelJsWriter {
  prepareModel(model: WriteModel, options: object): void;
  addContentTypes(zip: ZipSink, model: WriteModel): Promise<void>;
  addOfficeRels(zip: ZipSink, model: WriteModel): Promise<void>;
  addWorkbookRels(zip: ZipSink, model: WriteModel): Promise<void>;
  addWorksheets(zip: ZipSink, model: WriteModel): Promise<void>;
  addSharedStrings(zip: ZipSink, model: WriteModel): Promise<void>;
  addDrawings(zip: ZipSink, model: WriteModel): Promise<void>;
  addTables(zip: ZipSink, model: WriteModel): Promise<void>;
  addThemes(zip: ZipSink, model: WriteModel): Promise<void>;
  addStyles(zip: ZipSink, model: WriteModel): Promise<void>;
  addMedia(zip: ZipSink, model: WriteModel): Promise<void>;
  addApp(zip: ZipSink, model: WriteModel): Promise<void>;
  addCore(zip: ZipSink, model: WriteModel): Promise<void>;
  addWorkbook(zip: ZipSink, model: WriteModel): Promise<void>;
}

/** The parts of `workbook` as exceljs writes them, in its order, with `extras` applied. */
export async function workbookEntries(workbook: Workbook, extras?: WorkbookExtras): Promise<[string, Uint8Array][]> {
  const writer = workbook.xlsx as unknown as ExcelJsWriter;
  // The model getter builds every sheet's model afresh: read it once, as `write` does.
  const model = (workbook as unknown as { model: WriteModel }).model;
  writer.prepareModel(model, {});
  const edits =
    extras?.({
      sharedString: (text) => model.sharedStrings.add(text),
      styleId: (style, valueType) => model.styles.addStyleModel(style, valueType),
    }) ?? new Map<number, (xml: string) => string>();
  const sheetEdits = new Map([...edits].map(([id, edit]) => [`xl/worksheets/sheet${id}.xml`, edit]));
  const entries: [string, Uint8Array][] = [];
  const zip: ZipSink = {
    append(data, { name, base64 }) {
      let bytes: Uint8Array;
      if (typeof data !== 'string') bytes = data;
      else if (base64) bytes = Buffer.from(data, 'base64');
      else bytes = Buffer.from(sheetEdits.get(name)?.(data) ?? data, 'utf8');
      entries.push([name, bytes]);
    },
  };
  await writer.addContentTypes(zip, model);
  await writer.addOfficeRels(zip, model);
  await writer.addWorkbookRels(zip, model);
  await writer.addWorksheets(zip, model);
  await writer.addSharedStrings(zip, model); // always after worksheets
  await writer.addDrawings(zip, model);
  await writer.addTables(zip, model);
  await Promise.all([writer.addThemes(zip, model), writer.addStyles(zip, model)]);
  await writer.addMedia(zip, model);
  await Promise.all([writer.addApp(zip, model), writer.addCore(zip, model)]);
  await writer.addWorkbook(zip, model);
  const missing = [...sheetEdits.keys()].filter((name) => !entries.some(([n]) => n === name));
  if (missing.length > 0) throw new Error(`no sheet part to edit: ${missing.join(', ')}`);
  return entries;
}

/** The workbook as deterministic XLSX bytes: exceljs's parts, zipped once with fixed dates. */
export async function writeWorkbookPacked(workbook: Workbook, extras?: WorkbookExtras): Promise<Uint8Array> {
  return packEntries(await workbookEntries(workbook, extras));
}

/**
 * The workbook as the bytes `repackDeterministic` gives for exceljs's own zip (fflate's deflate, the same on every
 * machine): for committed workbooks, the template and the sample, written without exceljs's zip.
 */
export async function writeWorkbookStable(workbook: Workbook): Promise<Uint8Array> {
  return packStable(await workbookEntries(workbook));
}
