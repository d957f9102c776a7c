/** The options several commands share, declared and parsed once. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { TZDate } from '@date-fns/tz';
import { InvalidArgumentError } from 'commander';
import { isProjectId } from '../core/keys';
import { formatPeriod, PROGRAMME_ZONE, parsePeriod } from '../core/period';
import type { Lang } from '../core/types';
import type { OptionSpec } from './command-spec';

/**
 * `2025-q3`, `2025-Q3` → `2025-Q3`. Any quarter of any four-digit year: the archive may hold periods no workbook
 * would be accepted for today (a registry typo's 1923-Q1 must still be listable and verifiable).
 */
export function periodOption(value: string): string {
  const strict = /^(\d{4})-?[Qq]([1-4])$/.exec(value.trim());
  if (strict) return `${strict[1]}-Q${strict[2]}`;
  const p = parsePeriod(value);
  if (!p) throw new InvalidArgumentError('expected a period such as 2025-Q3');
  return formatPeriod(p);
}

/** `--project`: shaped like a project ID or refused (an ID the registry does not know is an ordinary, pending case). */
export function projectOption(value: string): string {
  if (!isProjectId(value))
    throw new InvalidArgumentError('expected a project ID: lower-case letters a-z, digits and hyphens');
  return value;
}

/** `2`, `r2` → 2. */
export function revisionOption(value: string): number {
  const n = Number(value.replace(/^r/i, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a revision number such as 2');
  return n;
}

export function langOption(value: string): Lang {
  if (value !== 'lv' && value !== 'en') throw new InvalidArgumentError('expected lv or en');
  return value;
}

/** `8787` → 8787; 0 picks a free port. */
export function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number');
  return port;
}

/**
 * The options several commands share, each declared once: flags, parser, and the description a command may replace
 * (see command-spec.ts: `described`, `optional`).
 */
export const SHARED = {
  /** The folder laid out like the bucket (see local-deps.ts). */
  store: { flags: '--store <dir>', description: 'the store folder', required: true },
  period: { flags: '--period <period>', description: 'e.g. 2025-Q3', required: true, parse: periodOption },
  /** ISO 8601 only, checked while parsing (the text is kept; {@link parseNow} reads it). */
  now: {
    flags: '--now <date>',
    description: 'the time to act at',
    note: 'ISO 8601 only',
    parse: (value: string) => {
      parseNow(value);
      return value;
    },
  },
  /** Allow the command to create a store folder that does not exist yet (never implied). */
  init: {
    flags: '--init',
    description: 'create the store folder if it does not exist (otherwise a missing --store is an error)',
  },
  outbox: { flags: '--outbox <dir>', description: 'where .eml files are written (default: outbox/ beside the store)' },
  verbose: { flags: '--verbose', description: 'JSON logs on stderr' },
  /** Where `serve` listens, and so where local upload links in e-mails point. */
  port: { flags: '--port <n>', description: 'port to listen on (default 8787)', parse: portOption },
  /** The key file that signs local upload links. */
  linkKeys: {
    flags: '--link-keys <file>',
    description: 'upload-link key file (default: link-keys.json beside the store)',
  },
  revision: { flags: '--revision <n>', description: 'the revision', parse: revisionOption },
  json: { flags: '--json', description: 'print JSON' },
} as const satisfies Record<string, OptionSpec>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A real calendar date (no 30 February), as numbers. */
function calendarDate(y: string, m: string, d: string): [number, number, number] | null {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  const probe = new Date(Date.UTC(year, month - 1, day));
  const real = probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
  return real ? [year, month, day] : null;
}

/**
 * Parse `--now`, ISO 8601 only (issue 14: the CLI never guesses): a date `2025-07-16` means 06:00 in Riga that day,
 * when the scheduler runs (07:00 UTC+3 in summer is 06:00 Riga: the zone's own offset, summer time included); an
 * instant must carry its zone (`Z` or `+03:00`). Anything else (`11/12/2026`, `2025-02-30`, an empty value, a time
 * without a zone) is refused with the accepted forms.
 */
export function parseNow(text: string): Date {
  const refuse = (why: string) =>
    new InvalidArgumentError(
      `--now ${JSON.stringify(text)}: ${why}; use an ISO 8601 date (2025-07-16, 06:00 Riga) or instant with its zone (2025-07-16T06:00:00+03:00, 2025-07-16T03:00:00Z)`,
    );
  const date = ISO_DATE.exec(text);
  if (date) {
    const ymd = calendarDate(date[1]!, date[2]!, date[3]!);
    if (!ymd) throw refuse('no such calendar date');
    return new Date(new TZDate(ymd[0], ymd[1] - 1, ymd[2], 6, 0, 0, PROGRAMME_ZONE).getTime());
  }
  const instant = ISO_INSTANT.exec(text);
  if (!instant) throw refuse('not an ISO 8601 date or instant');
  if (!calendarDate(instant[1]!, instant[2]!, instant[3]!)) throw refuse('no such calendar date');
  if (Number(instant[4]) > 23 || Number(instant[5]) > 59 || Number(instant[6] ?? 0) > 59)
    throw refuse('no such time of day');
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) throw refuse('not an instant');
  return parsed;
}

/** `--store` names a folder that is not there: nothing is done. */
export class StoreMissingError extends Error {
  constructor(store: string) {
    super(`--store ${store}: no such folder (a mistyped path is not a new store); to start a new store, add --init`);
    this.name = 'StoreMissingError';
  }
}

/**
 * The store folder must exist (issue 14: a mistyped `--store` must not quietly start an empty store); `ingest` and
 * `run` may create it with an explicit `--init`.
 */
export function openStoreFolder(store: string, options: { mayCreate?: boolean } = {}): string {
  const path = resolve(store);
  if (existsSync(path)) {
    if (!statSync(path).isDirectory()) throw new Error(`--store ${store}: not a folder`);
    return path;
  }
  if (!options.mayCreate) throw new StoreMissingError(store);
  mkdirSync(path, { recursive: true });
  return path;
}
