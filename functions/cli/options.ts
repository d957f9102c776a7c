/** The options several commands share, declared and parsed once. */
import { InvalidArgumentError, Option } from 'commander';
import { formatPeriod, parsePeriod } from '../core/period';
import type { Lang } from '../core/types';

/** `2025-q3`, `2025-Q3` → `2025-Q3`. */
export function periodOption(value: string): string {
  const p = parsePeriod(value);
  if (!p) throw new InvalidArgumentError('expected a period such as 2025-Q3');
  return formatPeriod(p);
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

/** `--period <period>`, parsed by {@link periodOption}. */
export function periodFlag(description: string, required = true): Option {
  return new Option('--period <period>', description).makeOptionMandatory(required).argParser(periodOption);
}

/** `--store <dir>`: the folder laid out like the bucket (see local-deps.ts). */
export function storeFlag(description: string, required = true): Option {
  return new Option('--store <dir>', description).makeOptionMandatory(required);
}

/** `--now <date>`: a date (06:00 Riga) or an instant, parsed by {@link parseNow}. */
export function nowFlag(description: string): Option {
  return new Option('--now <date>', description);
}

export function outboxFlag(): Option {
  return new Option('--outbox <dir>', 'where .eml files are written (default: outbox/ beside the store)');
}

export function verboseFlag(): Option {
  return new Option('--verbose', 'JSON logs on stderr');
}

/** `8787` → 8787; 0 picks a free port. */
export function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('expected a port number');
  return port;
}

/** `--port <n>`: where `serve` listens, and so where local upload links in e-mails point. */
export function portFlag(description: string): Option {
  return new Option('--port <n>', description).argParser(portOption);
}

/** `--link-keys <file>`: the key file that signs local upload links. */
export function linkKeysFlag(): Option {
  return new Option('--link-keys <file>', 'upload-link key file (default: link-keys.json beside the store)');
}

/** Parse `--now`: a date (06:00 Riga, when the scheduler runs) or a full ISO instant. */
export function parseNow(text: string): Date {
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T06:00:00+02:00` : text;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`--now: not a date or time: ${text}`);
  return date;
}
