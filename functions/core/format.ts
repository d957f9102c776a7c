/**
 * Number, money, percentage and date formatting for reports and e-mails, in Latvian and English.
 *
 * Hand-made rather than `Intl.NumberFormat`: `lv-LV` groups only from five digits (3727,98 but 29 852,80), which
 * reads inconsistently in a column, and ICU output can change between Node versions, which would change report
 * bytes. Rules, the same everywhere in a report:
 * - lv: digits grouped by three from four digits with a no-break space (U+00A0), decimal comma: `29 852,80`.
 * - en: digits grouped by three with a comma, decimal point: `29,852.80`.
 * - money: always two decimals; percentages one decimal (`87,5 %` in lv, `87.5%` in en), none on chart scales.
 * - dates: `dd.mm.yyyy` in lv, `yyyy-mm-dd` in en; instants shown in Europe/Riga time.
 * A value that is not a finite number prints as an em dash rather than `NaN`.
 */
import { TZDate } from '@date-fns/tz';
import { PROGRAMME_ZONE } from './period';
import type { IsoDate, Lang } from './types';

/** No-break space: keeps `12 345` and `87,5 %` on one line. */
export const NBSP = '\u00a0';
/** Shown where there is no value (no target, no forecast, not a number). */
export const DASH = '—';

/**
 * |value| with `decimals` decimals, rounded half away from zero, never in exponent notation. Below
 * {@link WHOLE_LIMIT} in units of the last decimal, a small nudge absorbs representation error such as
 * 1.005 * 100 = 100.49999999999999 (1.005 → 1.01). From there up, four units in the last place of the value are
 * a visible part of a unit (at 10^14 cents a tenth of a cent, which rounds 0.42 of a cent up), and multiplying by
 * the factor adds error of its own: the value's exact binary digits are rounded instead, by `toFixed` (exact), or
 * from 10^21, where `toFixed` writes an exponent and every number is whole, by BigInt.
 */
function decimalText(abs: number, decimals: number): string {
  const factor = 10 ** decimals;
  const scaled = abs * factor;
  if (scaled < WHOLE_LIMIT) return (Math.round(scaled + scaled * Number.EPSILON * 4) / factor).toFixed(decimals);
  if (abs < 1e21) return abs.toFixed(decimals);
  const whole = BigInt(abs).toString();
  return decimals > 0 ? `${whole}.${'0'.repeat(decimals)}` : whole;
}

function groupDigits(digits: string, separator: string): string {
  const length = digits.length;
  if (length <= 3) return digits;
  let at = length % 3 || 3;
  let out = digits.slice(0, at);
  for (; at < length; at += 3) out += separator + digits.slice(at, at + 3);
  return out;
}

/** Zeros for a whole number's decimals, by count. */
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];
/**
 * Below this (times the decimals' factor), rounding a whole number is exact and the nudge in {@link decimalText} is far
 * below half a unit, so a whole number prints as its digits: the short way gives what the long way gives.
 */
const WHOLE_LIMIT = 2 ** 40;

/**
 * Format a number with between `minDecimals` and `maxDecimals` decimals (trailing zeros beyond the minimum are
 * dropped), grouped as the language expects.
 */
export function formatNumber(value: number, lang: Lang, minDecimals = 0, maxDecimals = minDecimals): string {
  if (!Number.isFinite(value)) return DASH;
  // Reports print mostly whole numbers (counts, people): their digits, grouped, and the minimum of zeros.
  if (
    Number.isInteger(value) &&
    Number.isInteger(minDecimals) &&
    minDecimals >= 0 &&
    minDecimals <= maxDecimals &&
    maxDecimals < ZEROS.length &&
    Math.abs(value) * 10 ** maxDecimals < WHOLE_LIMIT
  ) {
    const grouped = groupDigits(String(Math.abs(value)), lang === 'lv' ? NBSP : ',');
    const signed = value < 0 ? `-${grouped}` : grouped;
    return minDecimals === 0 ? signed : `${signed}${lang === 'lv' ? ',' : '.'}${ZEROS[minDecimals]}`;
  }
  const text = decimalText(Math.abs(value), maxDecimals);
  let [intPart = '0', fraction = ''] = text.split('.');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const grouped = groupDigits(intPart, lang === 'lv' ? NBSP : ',');
  // A negative value that rounds to zero prints as zero, without a sign.
  const sign = value < 0 && /[1-9]/.test(text) ? '-' : '';
  return fraction ? `${sign}${grouped}${lang === 'lv' ? ',' : '.'}${fraction}` : `${sign}${grouped}`;
}

/**
 * A number as the person typed it, in one language: every digit kept, no grouping, and the decimal separator
 * of the language (Latvian comma, English point): `12,5` / `12.5`.
 */
export function formatTypedNumber(value: number, lang: Lang): string {
  const text = String(value);
  return lang === 'lv' ? text.replace('.', ',') : text;
}

/**
 * What to put in a text both Latvian and English readers read at once (an issue's "found" and "expected"): the
 * Latvian form, then the English one when it differs: `12`, `12,5 / 12.5`. `format` defaults to the typed form.
 */
export function formatForBoth(value: number, format: (n: number, lang: Lang) => string = formatTypedNumber): string {
  const lv = format(value, 'lv');
  const en = format(value, 'en');
  return lv === en ? lv : `${lv} / ${en}`;
}

/** An indicator value: whole numbers as such, fractional values (e.g. `latest` averages) with up to two decimals. */
export function formatQuantity(value: number | null, lang: Lang): string {
  if (value === null) return DASH;
  return formatNumber(value, lang, 0, 2);
}

/** A EUR amount with two decimals, without the currency (column headers say "EUR"). */
export function formatAmount(value: number, lang: Lang): string {
  return formatNumber(value, lang, 2, 2);
}

/** A EUR amount with the currency, for running text: `29 852,80 EUR` / `EUR 29,852.80`. */
export function formatMoney(value: number, lang: Lang): string {
  const amount = formatAmount(value, lang);
  return lang === 'lv' ? `${amount}${NBSP}EUR` : `EUR${NBSP}${amount}`;
}

/**
 * A ratio (1 = 100 %) as a percentage, one decimal by default so values line up in a column (`62,0 %`, `66,6 %`);
 * scale labels ask for none. Null prints as a dash.
 */
export function formatPercent(ratio: number | null, lang: Lang, decimals: 0 | 1 = 1): string {
  if (ratio === null || !Number.isFinite(ratio)) return DASH;
  const number = formatNumber(ratio * 100, lang, decimals, decimals);
  return lang === 'lv' ? `${number}${NBSP}%` : `${number}%`;
}

/** A rate already in percent (a co-financing rate of 75): decimals only when it has them (`75 %`, `82,5 %`). */
export function formatRate(percent: number, lang: Lang): string {
  if (!Number.isFinite(percent)) return DASH;
  const number = formatNumber(percent, lang, 0, 1);
  return lang === 'lv' ? `${number}${NBSP}%` : `${number}%`;
}

/** A calendar date `YYYY-MM-DD` as `dd.mm.yyyy` (lv) or unchanged (en); anything unparseable is shown as given. */
export function formatDate(date: IsoDate, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  return lang === 'lv' ? `${m[3]}.${m[2]}.${m[1]}` : date;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * An ISO instant as date and time in Europe/Riga (`16.10.2025 09:30` / `2025-10-16 09:30`): readers are in Latvia,
 * and the zone is fixed so the bytes do not depend on the machine that renders.
 */
export function formatDateTime(instant: string, lang: Lang): string {
  // A report shows the same few upload times on many rows; the zone's rules are looked up once per instant.
  const cache = lang === 'lv' ? DATE_TIMES_LV : DATE_TIMES_EN;
  const known = cache.get(instant);
  if (known !== undefined) return known;
  const shown = dateTimeOf(instant, lang);
  if (cache.size >= DATE_TIME_CACHE_LIMIT) cache.clear();
  cache.set(instant, shown);
  return shown;
}

const DATE_TIMES_LV = new Map<string, string>();
const DATE_TIMES_EN = new Map<string, string>();
const DATE_TIME_CACHE_LIMIT = 4096;

function dateTimeOf(instant: string, lang: Lang): string {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const z = new TZDate(ms, PROGRAMME_ZONE);
  const date = `${z.getFullYear()}-${pad2(z.getMonth() + 1)}-${pad2(z.getDate())}`;
  return `${formatDate(date, lang)} ${pad2(z.getHours())}:${pad2(z.getMinutes())}`;
}

/** A period key `2025-Q3` as words: `2025. gada 3. ceturksnis` / `Q3 2025`. */
export function formatPeriodLabel(period: string, lang: Lang): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!m) return period;
  return lang === 'lv' ? `${m[1]}. gada ${m[2]}. ceturksnis` : `Q${m[2]} ${m[1]}`;
}

/** A sheet and cell as Excel writes a reference, quoting sheet names that need it: `'Mans lapa'!B4`. */
export function formatCellRef(sheet: string | undefined, cell: string | undefined): string {
  if (!sheet && !cell) return DASH;
  if (!sheet) return cell ?? DASH;
  const quoted = /^[\p{L}\p{N}_.]+$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return cell ? `${quoted}!${cell}` : quoted;
}

/** The first 12 hex digits of a SHA-256, enough to match a file by eye; the manifest has the full hash. */
export function shortHash(sha256: string): string {
  return sha256.length > 12 ? `${sha256.slice(0, 12)}…` : sha256;
}

/** A source version id shortened for a table cell (S3 version ids are 32 characters; the manifest has them whole). */
export function shortVersion(version: string): string {
  return version.length > 8 ? `${version.slice(0, 8)}…` : version;
}

/**
 * The Latvian form for a count: singular after 1, 21, 31… (not 11); genitive plural after 0, 10–20, 30, 40…;
 * nominative plural otherwise (`1 ieraksts`, `2 ieraksti`, `11 ierakstu`).
 */
export function lvPlural(n: number, one: string, few: string, many: string): string {
  const abs = Math.abs(n);
  if (abs % 10 === 1 && abs % 100 !== 11) return one;
  if (abs % 10 === 0 || (abs % 100 >= 11 && abs % 100 <= 19)) return many;
  return few;
}
