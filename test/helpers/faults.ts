/**
 * Fault injection for the ports: a store and a mailer that fail, crash or stall at chosen calls, and record what
 * was written and sent. A *crash* makes the chosen call and every later call of both ports fail, as if the process
 * died there; a *fail* is a one-off fault the run may survive; a *delay* holds the call (to interleave parallel runs).
 */
import {
  AlreadyExistsError,
  MailError,
  type Mailer,
  type ObjectInfo,
  type ObjectStore,
  type OutgoingMail,
  type PutOptions,
  type StoredObject,
  StoreError,
} from '../../functions/core/ports';

export type FaultEffect = 'fail' | 'crash' | { delayMs: number };

/** One fault: the `nth` call (1-based, default 1) of `op` whose subject matches. */
export interface FaultRule {
  op: 'get' | 'put' | 'list' | 'send';
  /** Store calls: tested against the key (or prefix); sends: against the mail's `X-PMIF-Delivery` header. */
  match?: RegExp;
  /** Puts only: tested against the body as text (e.g. a ledger record's status). */
  body?: RegExp;
  nth?: number;
  effect: FaultEffect;
  /**
   * Sends only: `before` nothing is delivered and the mailer says so (MailError, notSent); `after` the mail is
   * delivered and then the error comes (its outcome unknown to the caller). Default `before`.
   */
  when?: 'before' | 'after';
  /** Sends only: whether a `before` failure may be retried (default true). */
  retryable?: boolean;
  /** Applies to every matching call, not only the nth (delays). */
  every?: boolean;
}

/** A fault that fired: which rule and at which call. */
export interface FiredFault {
  rule: FaultRule;
  subject: string;
}

/** A delivered mail, as the counting mailer saw it. */
export interface SentMail {
  to: string[];
  subject: string;
  /** The plain-text body. */
  text: string;
  delivery: string;
}

export class InjectedCrashError extends StoreError {
  constructor(what: string) {
    super(`injected crash: ${what}`);
    this.name = 'InjectedCrashError';
  }
}

const decoder = new TextDecoder();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a store and a mailer with the given rules. `writes` and `sent` record every put that reached the store and
 * every mail that reached the inner mailer; pass `sent` in to share one tally across runs.
 */
export function injectFaults(
  inner: { store: ObjectStore; mailer: Mailer },
  rules: FaultRule[],
  options: { sent?: SentMail[] } = {},
) {
  const seen = new Map<FaultRule, number>();
  const fired: FiredFault[] = [];
  const writes: { key: string; ifNoneMatch: boolean; body: string }[] = [];
  const sent = options.sent ?? [];
  let crashed: string | null = null;

  const alive = (what: string) => {
    if (crashed !== null) throw new InjectedCrashError(`after ${crashed}, ${what}`);
  };
  /** The rule that fires for this call, counting matches; null when none. */
  const pick = (op: FaultRule['op'], subject: string, body?: string): FaultRule | null => {
    for (const rule of rules) {
      if (rule.op !== op || (rule.match && !rule.match.test(subject))) continue;
      if (rule.body && (body === undefined || !rule.body.test(body))) continue;
      const n = (seen.get(rule) ?? 0) + 1;
      seen.set(rule, n);
      if (rule.every || n === (rule.nth ?? 1)) {
        fired.push({ rule, subject });
        return rule;
      }
    }
    return null;
  };
  /** Applies a store-side effect; returns normally for delays. */
  const apply = async (rule: FaultRule | null, what: string) => {
    if (!rule) return;
    if (typeof rule.effect === 'object') return sleep(rule.effect.delayMs);
    if (rule.effect === 'crash') crashed = what;
    throw rule.effect === 'crash' ? new InjectedCrashError(what) : new StoreError(`injected fault: ${what}`);
  };

  const store: ObjectStore = {
    async get(key: string, version?: string): Promise<StoredObject | undefined> {
      alive(`get ${key}`);
      await apply(pick('get', key), `get ${key}`);
      return inner.store.get(key, version);
    },
    async list(prefix: string): Promise<ObjectInfo[]> {
      alive(`list ${prefix}`);
      await apply(pick('list', prefix), `list ${prefix}`);
      return inner.store.list(prefix);
    },
    async put(key: string, bytes: Uint8Array, putOptions?: PutOptions): Promise<{ version: string }> {
      alive(`put ${key}`);
      const body = decoder.decode(bytes.subarray(0, 4096));
      await apply(pick('put', key, body), `put ${key}`);
      const result = await inner.store.put(key, bytes, putOptions);
      writes.push({ key, ifNoneMatch: Boolean(putOptions?.ifNoneMatch), body });
      return result;
    },
  };

  const mailer: Mailer = {
    async send(mail: OutgoingMail): Promise<{ messageId: string }> {
      const delivery = mail.headers?.['X-PMIF-Delivery'] ?? '';
      alive(`send ${delivery}`);
      const rule = pick('send', delivery);
      const what = `send ${delivery}`;
      if (rule && typeof rule.effect === 'object') await sleep(rule.effect.delayMs);
      else if (rule && (rule.when ?? 'before') === 'before') {
        if (rule.effect === 'crash') {
          crashed = what;
          throw new InjectedCrashError(what);
        }
        throw new MailError(`injected refusal: ${what}`, { retryable: rule.retryable ?? true, notSent: true });
      }
      const result = await inner.mailer.send(mail);
      sent.push({ to: [...mail.to], subject: mail.subject, text: mail.text, delivery });
      if (rule && typeof rule.effect !== 'object') {
        // Delivered, and then the caller hears an error: a lost connection (fail) or a dead process (crash).
        if (rule.effect === 'crash') crashed = what;
        throw rule.effect === 'crash' ? new InjectedCrashError(what) : new Error(`injected lost reply: ${what}`);
      }
      return result;
    },
  };

  return {
    store,
    mailer,
    fired,
    writes,
    sent,
    get crashed() {
      return crashed;
    },
  };
}

/** A bucket in memory for unit tests: create-only writes are atomic, versions count writes per key. */
export class MemoryStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();

  async get(key: string, version?: string): Promise<StoredObject | undefined> {
    const obj = this.objects.get(key);
    return obj && (version === undefined || version === obj.version) ? obj : undefined;
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<{ version: string }> {
    const existing = this.objects.get(key);
    if (options.ifNoneMatch && existing) throw new AlreadyExistsError(key);
    const version = `v${Number(existing?.version.slice(1) ?? 0) + 1}`;
    this.objects.set(key, { key, bytes: bytes.slice(), version, lastModified: new Date(0) });
    return { version };
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    return [...this.objects.values()]
      .filter((o) => o.key.startsWith(prefix))
      .map((o) => ({ key: o.key, version: o.version, size: o.bytes.byteLength, lastModified: o.lastModified }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }
}

/** A mailer that only counts: every mail it was handed, in order. */
export class CountingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.sent.push(mail);
    return { messageId: `<m${this.sent.length}@test>` };
  }
}
