import { unzipSync, zipSync, type Zippable } from 'fflate';

/** 1980-01-01 is the earliest date a zip entry can carry; any fixed date would do. */
const FIXED_ENTRY_DATE = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

/**
 * Re-pack an OOXML zip so that equal content gives equal bytes: exceljs stamps "now" into every entry,
 * so the same report written twice differs. Entry order is kept (`[Content_Types].xml` stays first).
 */
export function repackDeterministic(zipBytes: Uint8Array): Uint8Array {
  const entries = unzipSync(zipBytes);
  const out: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    out[name] = [data, { level: 6, mtime: FIXED_ENTRY_DATE }];
  }
  return zipSync(out, { level: 6, mtime: FIXED_ENTRY_DATE });
}
