/**
 * Ports: what the use cases need from the outside world, named for the job, not the vendor.
 * Adapters in `functions/adapters/` implement them (folder store, S3, outbox, SES, system clock).
 */

/** One stored object as the store returns it. */
export interface StoredObject {
  key: string;
  bytes: Uint8Array;
  /** Identifies this exact content: the S3 version id, or a content hash in the folder store. */
  version: string;
  lastModified: Date;
}

/** A listing row; no content. */
export interface ObjectInfo {
  key: string;
  version: string;
  size: number;
  lastModified: Date;
}

export interface PutOptions {
  /** Create only: fail with {@link AlreadyExistsError} when the key exists ("already exists" means "already done"). */
  ifNoneMatch?: boolean;
  contentType?: string;
}

/** The bucket (or a folder laid out like it). Keys are built in `keys.ts` only. */
export interface ObjectStore {
  get(key: string, version?: string): Promise<StoredObject | undefined>;
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<{ version: string }>;
  /** Every object under the prefix, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
}

/** Thrown by {@link ObjectStore.put} with `ifNoneMatch` when the key already exists. */
export class AlreadyExistsError extends Error {
  constructor(readonly key: string) {
    super(`object already exists: ${key}`);
    this.name = 'AlreadyExistsError';
  }
}

/** An I/O fault of a store or mailer; carries the cause so a retry policy can decide. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  /** Extra headers, e.g. a stable `X-PMIF-Delivery` id for the ledger. */
  headers?: Record<string, string>;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export interface Clock {
  now(): Date;
}

/** Values a log line may carry: identifiers and counts, never cell values or personal data. */
export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
