import { createHash } from 'node:crypto';
import type { ManifestOutput } from '../core/manifest';
import {
  AlreadyExistsError,
  type ArchiveControl,
  type Clock,
  type LinkKeys,
  type Logger,
  type Mailer,
  type ObjectStore,
} from '../core/ports';

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
  /**
   * Largest managers' e-mail with the reports attached (default 10 MB, `mail/manager-mail.ts`); beyond it reports are
   * linked instead. Set low in tests and demos to see the linked form with a small programme.
   */
  maxMailBytes?: number;
  /**
   * The code archived with each revision (the verifier bundle, `app/code-bundle.ts`). Every runtime gives it; a
   * revision generated without it is archived with `code: null`, and verify reports it as "code not archived".
   */
  code?: () => Promise<CodeBundle>;
  /** Retention of archived objects (S3 Object Lock); without it (the folder store) nothing is extended. */
  archiveControl?: ArchiveControl;
}

/** One build of the verifier bundle: its bytes and their SHA-256 (its name in the archive). */
export interface CodeBundle {
  bytes: Uint8Array;
  sha256: string;
}

/** Where the drop page is served and the keys that sign its links. */
export interface UploadLinkConfig {
  /** The page's origin and path prefix, e.g. `http://localhost:8787/` or the Function URL. */
  baseUrl: string;
  keys: LinkKeys;
  /**
   * Years the archive keeps a revision (Object Lock retention): auditors' revision pages live that long after the
   * revision was generated. Default 10 (`DEFAULT_RETENTION_YEARS`, the stack's default retention).
   */
  retentionYears?: number;
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

/**
 * A stored record that cannot be read (truncated, overwritten by hand, half-copied). Names the key, so the one period
 * or upload that needs it fails with a message an operator can act on, and nothing else stops (issue 14).
 */
export class CorruptRecordError extends Error {
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`stored record ${key} is corrupt (not valid JSON); restore it from a previous version or remove it`, options);
    this.name = 'CorruptRecordError';
  }
}

/**
 * A fault no retry can fix: what is archived disagrees with what this run would write (a report or manifest that
 * exists with other bytes, a plan that does not list the project a step is asked to render, an archived report
 * that does not match its manifest). The state machine does not retry it (infra/constructs/generate-workflow.ts):
 * the same inputs meet the same archive every time, and an operator must look.
 */
export class IntegrityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntegrityError';
  }
}

/** Parse stored JSON; `key` names the object in the error when it is not JSON. */
export function parseJson<T>(bytes: Uint8Array, key?: string): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (err) {
    if (key === undefined || !(err instanceof SyntaxError)) throw err;
    throw new CorruptRecordError(key, { cause: err });
  }
}

/**
 * A normalised record (submission, registry version) as stored: compact, because a 100 000-row submission must
 * serialise within the ingest's memory budget. One function, so ingest and `archive verify` agree to the byte.
 */
export function recordBytes(record: unknown): Uint8Array {
  return jsonBytes(record, { compact: true });
}

/**
 * Put an archived file once, as a manifest lists it: a file already there must be the same bytes (a resumed or
 * repeated run) and is never overwritten; other bytes under its key throw `conflict`'s error.
 */
export async function putArchivedOnce(
  deps: Pick<Deps, 'store'>,
  key: string,
  bytes: Uint8Array,
  contentType: string,
  conflict: (cause: unknown) => Error,
): Promise<ManifestOutput> {
  const sha256 = sha256Hex(bytes);
  try {
    await deps.store.put(key, bytes, { ifNoneMatch: true, contentType, sha256 });
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    const existing = await deps.store.get(key);
    if (!existing || sha256Hex(existing.bytes) !== sha256) throw conflict(err);
  }
  return { key, sha256, bytes: bytes.byteLength };
}
