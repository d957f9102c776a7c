/**
 * Excel's dates, in one place: the serial day count of both date systems and the calendar date of a serial. The
 * reader turns date-formatted cells into dates with these; the value parsers read typed dates with the same rules.
 */

/** Days from 1899-12-30 (Excel's day 0 once past its phantom leap day) to 1970-01-01. */
export const UNIX_EPOCH_SERIAL = 25_569;
/** 1904-01-01 is serial 0 in the 1904 date system and serial 1462 in the 1900 one. */
export const DATE_1904_OFFSET = 1462;
/** Serials Excel can show as dates (0 = 1900-01-00 … 2 958 465 = 9999-12-31); others stay numbers. */
export const MAX_DATE_SERIAL = 2_958_466;
export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` from a year, month and day already known to be a calendar date. */
export function formatIsoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

/**
 * The calendar date of an Excel serial (the time of day is dropped). The 1900 system copies Lotus 1-2-3's
 * 29 February 1900, which never was: serials from 61 on count from 1899-12-30, serials below 60 are one day
 * later than that count, and serial 60 itself (the phantom day) is given as 1900-02-28.
 */
export function serialToIsoDate(serial: number, date1904: boolean): string {
  if (!Number.isFinite(serial)) throw new RangeError(`not a date serial: ${serial}`);
  let days = Math.floor(serial) + (date1904 ? DATE_1904_OFFSET : 0);
  if (days < 60) days += 1;
  // Civil date from a day count (H. Hinnant's algorithm): no Date object, as the reader calls this per cell.
  const z = days - UNIX_EPOCH_SERIAL + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return formatIsoDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d);
}
