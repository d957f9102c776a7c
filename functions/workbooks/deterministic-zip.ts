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
 */
export function repackDeterministic(zipBytes: Uint8Array): Uint8Array {
  const entries = unzipSync(zipBytes);
  const mtime = fixedEntryDate();
  const out: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    out[name] = [data, { level: 6, mtime }];
  }
  return zipSync(out, { level: 6, mtime });
}
