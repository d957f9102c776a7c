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
  /**
   * The SHA-256 of `bytes` (hex), when the caller has it: a store whose version is the content's hash (the folder
   * store) takes it rather than hashing the bytes again. Given only by code that computed it from these bytes.
   */
  sha256?: string;
}

/** The bucket (or a folder laid out like it). Keys are built in `keys.ts` only. */
export interface ObjectStore {
  get(key: string, version?: string): Promise<StoredObject | undefined>;
  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<{ version: string }>;
  /** Every object under the prefix, sorted by key. */
  list(prefix: string): Promise<ObjectInfo[]>;
}

/** SigV4 presigned URLs live at most 7 days: the longest a {@link ArchiveControl} download link can be valid. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/**
 * The one deletion the system may make (docs/architecture.md §7): an operator removes an upload that should never have
 * been kept (a refused personal-data workbook). Separate from {@link ObjectStore} so that nothing else can delete; on
 * AWS it runs under its own narrow role.
 */
export interface ObjectPurger {
  /** Delete exactly this version of the object; a version that is not there is no error (purging is repeatable). */
  deleteVersion(key: string, version: string): Promise<void>;
}

/**
 * What the auditor's archive needs beyond {@link ObjectStore}: legal holds and time-limited downloads. Optional:
 * a store that cannot do something says so ({@link ArchiveControl.canHold}, no `presignGet`).
 */
export interface ArchiveControl {
  /** Whether a legal hold can be placed on this key (on S3: only in the Object Lock bucket). */
  canHold(key: string): boolean;
  /** Place a legal hold on one object version: it cannot be overwritten or deleted while the hold is on. */
  hold(key: string, version: string): Promise<void>;
  /** A URL that downloads this object version without credentials until it expires (at most 7 days). */
  presignGet?(key: string, version: string, expiresInSeconds: number): Promise<string>;
  /** When an object's retention ends (its current version when none is given); null: no retention on it. */
  retainUntil?(key: string, version?: string): Promise<Date | null>;
  /**
   * Extend an object's retention to `until`, in the mode it has (never shortened, so no governance bypass): a blob
   * of the content-addressed archive that a later revision reuses is kept as long as that revision.
   */
  extendRetention?(key: string, until: Date, version?: string): Promise<void>;
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

/**
 * Sends one e-mail. Throws {@link MailError} when it knows whether the message went out; any other error means the
 * outcome is unknown (the delivery ledger then treats the send as "in doubt" and never repeats it blindly).
 */
export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * A mailer refused or failed a send. `retryable`: trying again later may work (throttling, quotas, server faults,
 * network, a full disk). `notSent`: the message was certainly not handed on (the server answered with an error, or
 * the outbox file never appeared); when false (the request may have reached the server before the connection
 * failed) a retry could deliver the mail twice.
 */
export class MailError extends StoreError {
  readonly retryable: boolean;
  readonly notSent: boolean;

  constructor(message: string, options: { cause?: unknown; retryable: boolean; notSent: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'MailError';
    this.retryable = options.retryable;
    this.notSent = options.notSent;
  }
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

/**
 * Where the keys that sign upload links live (a local key file, AWS Secrets Manager). Returns the current key and,
 * during a rotation, the previous one; see `signed-link.ts`.
 */
export interface LinkKeys {
  keyRing(): Promise<import('./signed-link').SigningKeyRing>;
}

/** A form upload the browser sends straight to the store: where to POST and the fields to send before the file. */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/**
 * Hands out a short-lived permission to upload exactly one key (an S3 presigned POST, or the local server's
 * equivalent): only that key, only this content type, at most `maxBytes`, only until it expires.
 */
export interface UploadGate {
  presignPost(
    key: string,
    limits: { maxBytes: number; contentType: string; expiresInSeconds: number },
  ): Promise<PresignedPost>;
}

/**
 * Hands a browser one archived object for a checked download link (issue 18): on S3 a presigned GET that lives a
 * few minutes, signed with the endpoint's own role. Without one (the local `serve`), the endpoint streams the
 * object from the store itself.
 */
export interface DownloadGate {
  presignGet(
    key: string,
    options: { expiresInSeconds: number; filename: string; contentType: string },
  ): Promise<string>;
}
