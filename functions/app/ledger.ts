/**
 * The mail ledger (docs/architecture.md §2 "exactly once per recipient and revision"; STYLE habit 9 "a ledger before any email").
 *
 * Every e-mail that must go out once is a *slot*: a manager's report for one period, revision and recipient; a
 * coordinator's receipt for one uploaded object version; a reminder for one project and period (`keys.ts` builds
 * them). A slot's attempts are create-only objects, `<slot>.json` first, then `<slot>.attempt-<k>.json`:
 *
 *     claim attempt k (create-only) ─▶ send ─▶ sent      (message id)
 *                                         ├─▶ failed    (MailError.notSent: certainly not sent; k+1 may follow)
 *                                         ├─▶ in-doubt  (any other error: it may have gone out)
 *                                         └─▶ claimed   (a crash before the outcome was recorded)
 *
 * Only the run whose create-only write made attempt k sends for it, so two runs never both send. A later run
 * claims attempt k+1 only after attempt k was recorded `failed`; after {@link MAX_ATTEMPTS} definite failures, or
 * one that retrying cannot fix, the slot has given up and operators are told (`<event>.gave-up`, the outcome's
 * `gaveUp`, a metric).
 *
 * The trade-off, on purpose: a crash between the send and recording its outcome leaves the slot `claimed`, and a
 * claim that does not settle within a few seconds is *in doubt*. In doubt is never resent automatically: at most
 * once beats a duplicate report in a ministry's inbox. Operators see it (`<event>.in-doubt`, `inDoubt` in the
 * outcome, the `DeliveriesInDoubt` metric) on every run that meets it, check whether the recipient got the mail
 * (mail server logs by the `X-PMIF-Delivery` header, or ask), then resolve it with `resolve: 'confirm'` (it
 * arrived: record it as sent) or `resolve: 'resend'` (it did not, or the slot gave up and the cause is fixed: one
 * more attempt), which the CLI offers as `deliver --confirm-in-doubt` / `--resend-in-doubt`.
 *
 * After the send, the mail server may still answer: SES reports a bounce or a complaint for the message id
 * ({@link recordFeedback}). The sent attempt is then recorded again as `bounced` or `complained` (a new version of
 * the same object; the claim stays the one create-only write). Either counts as sent for the slot: resending to an
 * address that bounced, or to a person who marked the mail as spam, would not help, so a person is told instead.
 */
import { keys } from '../core/keys';
import { AlreadyExistsError, MailError, type OutgoingMail } from '../core/ports';
import { type Deps, jsonBytes, parseJson } from './deps';

/** Definite failures of a slot before it gives up (each is a separate run: Lambda, Step Functions or the CLI). */
export const MAX_ATTEMPTS = 3;

/**
 * How long a run waits for a claim it finds to settle before calling it in doubt: another run may be sending right
 * now (parallel runs, a duplicate event), and one send takes well under this.
 */
export const SETTLE_CHECKS = 8;
export const SETTLE_DELAY_MS = 400;

export type AttemptStatus = 'claimed' | 'sent' | 'failed' | 'in-doubt' | FeedbackKind;

/** What the mail server said after accepting a sent message. */
export type FeedbackKind = 'bounced' | 'complained';

/** A bounce or complaint about one sent message, as recorded in its ledger attempt. No address, no diagnostic text. */
export interface MailFeedback {
  kind: FeedbackKind;
  /** The message id the mailer returned for the send (SES's). */
  messageId: string;
  /** When the mail server reported it (ISO 8601). */
  reportedAt: string;
  /** The server's classification, e.g. `Permanent`/`General` for a bounce, `abuse` for a complaint. */
  type?: string;
  subType?: string;
  /** How many of the message's recipients it concerns. */
  recipients: number;
}

/** Identifiers only (period, revision, recipient hash, project id, version): never an address or a file name. */
export type LedgerAbout = Record<string, string | number>;

/** One attempt object in the ledger. */
export interface LedgerAttempt {
  schemaVersion: 1;
  kind: 'mail-ledger';
  slot: string;
  attempt: number;
  status: AttemptStatus;
  about: LedgerAbout;
  claimedAt: string;
  /** When the outcome was recorded. */
  recordedAt?: string;
  messageId?: string;
  /** Why a send failed or is in doubt: the error's name and whether retrying may help. No message (it may name an address). */
  error?: { name: string; retryable: boolean };
  /** Set when an operator resolved an in-doubt attempt. */
  resolvedBy?: 'operator';
  /** A bounce or complaint reported after the send (the status says which). */
  feedback?: Omit<MailFeedback, 'messageId'> & { recordedAt: string };
}

/** What the ledger says about a slot, once any claim in it has settled. */
export type SlotState =
  | { status: 'free' }
  | { status: 'sent'; latest: LedgerAttempt }
  /** The latest attempt failed and another is allowed. */
  | { status: 'failed'; latest: LedgerAttempt }
  | { status: 'gave-up'; latest: LedgerAttempt }
  | { status: 'in-doubt'; latest: LedgerAttempt }
  /** Not settled: someone holds the claim right now, or crashed holding it. */
  | { status: 'claimed'; latest: LedgerAttempt };

export interface SendOnceRequest {
  slot: string;
  /** Log event prefix: `deliver`, `remind`, `ingest.receipt`. */
  event: string;
  about: LedgerAbout;
  /** Builds the mail; called only when this run is the one to send (attachments can be costly to read). */
  compose: () => OutgoingMail | Promise<OutgoingMail>;
  /** An operator's decision for a slot in doubt or given up (see the module comment). */
  resolve?: 'resend' | 'confirm' | undefined;
}

export type SendOnceResult =
  | { status: 'sent'; attempt: number; messageId: string }
  | { status: 'already-sent'; attempt: number }
  /** This run's attempt certainly failed; a later run tries again (throw {@link UnsentMailError} to get one). */
  | { status: 'failed'; attempt: number; error: MailError }
  | { status: 'gave-up'; attempt: number }
  | { status: 'in-doubt'; attempt: number };

/**
 * Some e-mails certainly failed and are due for another attempt. Use cases throw it after serving every other
 * recipient, so the invocation is retried (Lambda, Step Functions, the next CLI run) and the retry claims only
 * those; `outcome` is the use case's result as it would have returned it.
 */
export class UnsentMailError extends Error {
  constructor(
    readonly failed: number,
    readonly outcome: unknown,
    options?: { cause?: unknown },
  ) {
    super(`${failed} e-mail(s) could not be sent and will be retried`, options);
    this.name = 'UnsentMailError';
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function readAttempt(deps: Pick<Deps, 'store'>, slot: string, attempt: number): Promise<LedgerAttempt | null> {
  const obj = await deps.store.get(keys.ledgerAttempt(slot, attempt));
  if (!obj) return null;
  const entry = parseJson<Partial<LedgerAttempt>>(obj.bytes, obj.key);
  // Entries written before attempts were recorded: a claim with no outcome may or may not have been sent.
  return { ...entry, slot, attempt: entry.attempt ?? attempt, status: entry.status ?? 'in-doubt' } as LedgerAttempt;
}

function stateOf(latest: LedgerAttempt | null): SlotState {
  if (!latest) return { status: 'free' };
  switch (latest.status) {
    case 'sent':
    case 'bounced':
    case 'complained':
      return { status: 'sent', latest };
    case 'in-doubt':
      return { status: 'in-doubt', latest };
    case 'claimed':
      return { status: 'claimed', latest };
    case 'failed':
      return latest.attempt >= MAX_ATTEMPTS || latest.error?.retryable === false
        ? { status: 'gave-up', latest }
        : { status: 'failed', latest };
  }
}

/** The latest attempt of a slot (attempts are numbered without gaps: k+1 is claimed only after k failed). */
export async function readSlot(deps: Pick<Deps, 'store'>, slot: string): Promise<SlotState> {
  let latest: LedgerAttempt | null = null;
  for (let k = 1; k <= 1000; k++) {
    const entry = await readAttempt(deps, slot, k);
    if (!entry) break;
    latest = entry;
  }
  return stateOf(latest);
}

/** {@link readSlot}, waiting a few seconds for a claim to settle; one that does not is in doubt. */
async function settledSlot(deps: Pick<Deps, 'store'>, slot: string): Promise<SlotState> {
  let state = await readSlot(deps, slot);
  for (let check = 0; state.status === 'claimed' && check < SETTLE_CHECKS; check++) {
    await sleep(SETTLE_DELAY_MS);
    state = stateOf(await readAttempt(deps, slot, state.latest.attempt));
  }
  // A claim that turned into a failure may already have been followed by the next attempt: read the whole slot.
  if (state.status === 'failed') state = await readSlot(deps, slot);
  return state.status === 'claimed' ? { status: 'in-doubt', latest: state.latest } : state;
}

async function record(deps: Pick<Deps, 'store'>, entry: LedgerAttempt): Promise<void> {
  await deps.store.put(keys.ledgerAttempt(entry.slot, entry.attempt), jsonBytes(entry), {
    contentType: 'application/json',
  });
}

/**
 * Send one slot's e-mail unless the ledger says it was sent, is in doubt or gave up; see the module comment for the
 * states. Store faults are thrown (the caller's run fails and is repeated); mail faults are recorded and returned.
 */
export async function sendOnce(deps: Deps, request: SendOnceRequest): Promise<SendOnceResult> {
  const operator = { attemptsLeft: request.resolve === 'resend' ? 1 : 0 };
  // Each pass either returns or moves the slot on (a new attempt, a lost race for one, a resolution); bounded anyway.
  for (let pass = 0; pass < MAX_ATTEMPTS + 4; pass++) {
    const state = await settledSlot(deps, request.slot);
    const next = await nextAttempt(deps, request, state, operator);
    if (next === 'again') continue;
    if (typeof next !== 'number') return next;
    const result = await claimAndSend(deps, request, next);
    if (result !== 'lost-race') return result;
  }
  throw new Error(`mail ledger slot ${request.slot} did not settle`);
}

/**
 * What a settled slot means for this run: a result to return as it is, `again` after an operator's resolution
 * was recorded, or the number of the attempt to claim.
 */
async function nextAttempt(
  deps: Deps,
  request: SendOnceRequest,
  state: SlotState,
  operator: { attemptsLeft: number },
): Promise<SendOnceResult | 'again' | number> {
  const { event, about } = request;
  switch (state.status) {
    case 'sent':
      return { status: 'already-sent', attempt: state.latest.attempt };
    case 'in-doubt': {
      const now = deps.clock.now().toISOString();
      if (request.resolve === 'confirm') {
        await record(deps, { ...state.latest, status: 'sent', recordedAt: now, resolvedBy: 'operator' });
        deps.log.info(`${event}.confirmed`, { ...about, attempt: state.latest.attempt });
        return { status: 'already-sent', attempt: state.latest.attempt };
      }
      if (request.resolve === 'resend') {
        const error = { name: 'InDoubtResolvedAsNotSent', retryable: true };
        await record(deps, { ...state.latest, status: 'failed', recordedAt: now, error, resolvedBy: 'operator' });
        return 'again';
      }
      deps.log.warn(`${event}.in-doubt`, { ...about, attempt: state.latest.attempt });
      return { status: 'in-doubt', attempt: state.latest.attempt };
    }
    case 'gave-up':
      if (operator.attemptsLeft === 0) {
        deps.log.error(`${event}.gave-up`, { ...about, attempts: state.latest.attempt });
        return { status: 'gave-up', attempt: state.latest.attempt };
      }
      operator.attemptsLeft--;
      return state.latest.attempt + 1;
    case 'failed':
      return state.latest.attempt + 1;
    case 'free':
      return 1;
    case 'claimed':
      throw new Error('unreachable: settled slots are never claimed');
  }
}

/** Claim the attempt and send; `lost-race` when another run claimed it first (it sends). */
async function claimAndSend(
  deps: Deps,
  request: SendOnceRequest,
  attempt: number,
): Promise<SendOnceResult | 'lost-race'> {
  const { slot, about } = request;
  // Build the mail before claiming: a claim is a promise to send, and a mail that cannot be built must not leave
  // one behind (it would look like a send that may have happened).
  const mail = await request.compose();
  mail.headers = { ...(mail.headers ?? {}), 'X-PMIF-Delivery': slot.slice(keys.deliveriesPrefix.length) };
  const claim: LedgerAttempt = {
    schemaVersion: 1,
    kind: 'mail-ledger',
    slot,
    attempt,
    status: 'claimed',
    about,
    claimedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.put(keys.ledgerAttempt(slot, attempt), jsonBytes(claim), {
      ifNoneMatch: true,
      contentType: 'application/json',
    });
  } catch (err) {
    // Another run claimed this attempt first: it sends; see what became of it.
    if (err instanceof AlreadyExistsError) return 'lost-race';
    throw err;
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(mail));
  } catch (err) {
    return recordSendFailure(deps, request, claim, err);
  }
  await record(deps, { ...claim, status: 'sent', recordedAt: deps.clock.now().toISOString(), messageId });
  deps.log.info(`${request.event}.sent`, { ...about, attempt });
  return { status: 'sent', attempt, messageId };
}

/** A send that threw: certainly not sent (failed, or given up), or in doubt, recorded as such. */
async function recordSendFailure(
  deps: Deps,
  request: SendOnceRequest,
  claim: LedgerAttempt,
  err: unknown,
): Promise<SendOnceResult> {
  const { event, about } = request;
  const { attempt } = claim;
  const recordedAt = deps.clock.now().toISOString();
  const name = err instanceof Error ? err.name : 'Error';
  if (err instanceof MailError && err.notSent) {
    await record(deps, {
      ...claim,
      status: 'failed',
      recordedAt,
      error: { name, retryable: err.retryable },
    });
    if (!err.retryable || attempt >= MAX_ATTEMPTS) {
      deps.log.error(`${event}.gave-up`, { ...about, attempts: attempt, error: name });
      return { status: 'gave-up', attempt };
    }
    deps.log.warn(`${event}.failed`, { ...about, attempt, error: name });
    return { status: 'failed', attempt, error: err };
  }
  // The message may have gone out: record that we cannot tell, and never send it again on our own.
  await record(deps, { ...claim, status: 'in-doubt', recordedAt, error: { name, retryable: false } });
  deps.log.warn(`${event}.in-doubt`, { ...about, attempt, error: name });
  return { status: 'in-doubt', attempt };
}

/** Counts of a batch of {@link sendOnce} results, as use case outcomes report them. */
export interface MailCounts {
  sent: number;
  alreadySent: number;
  inDoubt: number;
  failed: number;
  gaveUp: number;
}

export function emptyCounts(): MailCounts {
  return { sent: 0, alreadySent: 0, inDoubt: 0, failed: 0, gaveUp: 0 };
}

export function countResult(counts: MailCounts, result: SendOnceResult): void {
  const field = (
    {
      sent: 'sent',
      'already-sent': 'alreadySent',
      'in-doubt': 'inDoubt',
      failed: 'failed',
      'gave-up': 'gaveUp',
    } as const
  )[result.status];
  counts[field]++;
}

/** What {@link recordFeedback} did. */
export type FeedbackResult =
  | { status: 'recorded'; attempt: number; about: LedgerAbout }
  /** This bounce or complaint was recorded before (SNS delivers at least once). */
  | { status: 'already-recorded'; attempt: number; about: LedgerAbout }
  /** No attempt of the slot holds this message id: nothing is written. */
  | { status: 'unmatched' };

/**
 * Record a bounce or complaint on the attempt that sent `feedback.messageId`. A complaint after a bounce (or the
 * other way round) is kept as well: the later one is recorded, the earlier stays in the object's version history.
 */
export async function recordFeedback(
  deps: Pick<Deps, 'store' | 'clock'>,
  slot: string,
  feedback: MailFeedback,
): Promise<FeedbackResult> {
  for (let k = 1; k <= 1000; k++) {
    const entry = await readAttempt(deps, slot, k);
    if (!entry) break;
    if (entry.messageId !== feedback.messageId) continue;
    if (entry.status === feedback.kind && entry.feedback?.reportedAt === feedback.reportedAt) {
      return { status: 'already-recorded', attempt: k, about: entry.about };
    }
    const { messageId: _, ...about } = feedback;
    await record(deps, {
      ...entry,
      status: feedback.kind,
      feedback: { ...about, recordedAt: deps.clock.now().toISOString() },
    });
    return { status: 'recorded', attempt: k, about: entry.about };
  }
  return { status: 'unmatched' };
}
