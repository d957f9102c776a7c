import { createHash } from 'node:crypto';
import type { Clock, LinkKeys, Logger, Mailer, ObjectStore } from '../core/ports';

/** What every use case gets: a plain object of ports, no container. */
export interface Deps {
  store: ObjectStore;
  mailer: Mailer;
  clock: Clock;
  log: Logger;
  /** Sender address for every e-mail. */
  mailFrom: string;
  /** Upload links in coordinators' e-mails (docs/architecture.md §2); without it, mails carry none. */
  links?: UploadLinkConfig;
}

/** Where the drop page is served and the keys that sign its links. */
export interface UploadLinkConfig {
  /** The page's origin and path prefix, e.g. `http://localhost:8787/` or the Function URL. */
  baseUrl: string;
  keys: LinkKeys;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** JSON as stored: indented for the small documents people read (plans, manifests, ledgers), compact for bulk. */
export function jsonBytes(value: unknown, options: { compact?: boolean } = {}): Uint8Array {
  return encoder.encode(`${options.compact ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
}

export function parseJson<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

/**
 * A normalised record (submission, registry version) as stored: compact, because a 100 000-row submission must
 * serialise within the ingest's memory budget. One function, so ingest and `archive verify` agree to the byte.
 */
export function recordBytes(record: unknown): Uint8Array {
  return jsonBytes(record, { compact: true });
}
