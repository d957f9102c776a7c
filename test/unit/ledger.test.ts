/** The mail ledger's states on an in-memory store: sent once, retried after a definite failure, bounded, in doubt. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import {
  type LedgerAttempt,
  MAX_ATTEMPTS,
  readSlot,
  SETTLE_CHECKS,
  SETTLE_DELAY_MS,
  type SendOnceRequest,
  sendOnce,
} from '../../functions/app/ledger';
import { keys } from '../../functions/core/keys';
import type { LogFields, OutgoingMail } from '../../functions/core/ports';
import { CountingMailer, type FaultRule, injectFaults, MemoryStore } from '../helpers/faults';

const SLOT = keys.deliverySlot('2025-Q3', 1, 'a'.repeat(32));
const decoder = new TextDecoder();

afterEach(() => {
  vi.useRealTimers();
});

function setup(rules: FaultRule[] = []) {
  const store = new MemoryStore();
  const inner = new CountingMailer();
  const logged: { level: string; event: string; fields: LogFields }[] = [];
  const at =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      void logged.push({ level, event, fields });
  const faults = injectFaults({ store, mailer: inner }, rules);
  const deps: Deps = {
    store: faults.store,
    mailer: faults.mailer,
    clock: fixedClock(new Date('2025-10-16T04:00:00Z')),
    log: { info: at('info'), warn: at('warn'), error: at('error') },
    mailFrom: 'pmif@example.lv',
  };
  return { store, inner, deps, logged, faults };
}

const mail = (): OutgoingMail => ({
  from: 'pmif@example.lv',
  to: ['manager@example.lv'],
  subject: 'PMIF progresa pārskats 2025-Q3 (r1)',
  text: 'x',
  html: '<p>x</p>',
  attachments: [],
});

const request = (extra: Partial<SendOnceRequest> = {}): SendOnceRequest => ({
  slot: SLOT,
  event: 'deliver',
  about: { period: '2025-Q3', revision: 1 },
  compose: mail,
  ...extra,
});

function attempts(store: MemoryStore): LedgerAttempt[] {
  return [...store.objects.entries()]
    .filter(([key]) => key.startsWith(SLOT))
    .map(([, obj]) => JSON.parse(decoder.decode(obj.bytes)) as LedgerAttempt)
    .sort((a, b) => a.attempt - b.attempt);
}

/** Resolve a promise that waits on the ledger's settle timer, with fake timers. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  await vi.advanceTimersByTimeAsync(SETTLE_CHECKS * SETTLE_DELAY_MS + 100);
  return promise;
}

describe('mail ledger', () => {
  it('claims, sends, records the message id, and never sends the slot again', async () => {
    const { store, inner, deps } = setup();
    expect(await sendOnce(deps, request())).toEqual({ status: 'sent', attempt: 1, messageId: '<m1@test>' });
    expect(await sendOnce(deps, request())).toEqual({ status: 'already-sent', attempt: 1 });
    expect(inner.sent).toHaveLength(1);
    expect(inner.sent[0]!.headers?.['X-PMIF-Delivery']).toBe(`2025-Q3/r1/${'a'.repeat(32)}`);
    expect(attempts(store)).toMatchObject([{ attempt: 1, status: 'sent', messageId: '<m1@test>' }]);
    expect([...store.objects.keys()]).toEqual([`${SLOT}.json`]);
  });

  it('records a definite failure and lets the next run claim a new attempt key', async () => {
    const { store, inner, deps, logged } = setup([{ op: 'send', effect: 'fail' }]);
    const first = await sendOnce(deps, request());
    expect(first).toMatchObject({ status: 'failed', attempt: 1 });
    expect(inner.sent).toHaveLength(0);
    expect(logged.map((l) => [l.level, l.event])).toEqual([['warn', 'deliver.failed']]);
    expect(await sendOnce(deps, request())).toMatchObject({ status: 'sent', attempt: 2 });
    expect(inner.sent).toHaveLength(1);
    expect(attempts(store).map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'sent'],
    ]);
    expect(store.objects.has(`${SLOT}.attempt-2.json`)).toBe(true);
    expect(await sendOnce(deps, request())).toEqual({ status: 'already-sent', attempt: 2 });
  });

  it(`gives up after ${MAX_ATTEMPTS} definite failures and tells operators on every later run`, async () => {
    const { inner, deps, logged } = setup([{ op: 'send', effect: 'fail', every: true }]);
    const results = [];
    for (let run = 0; run < MAX_ATTEMPTS + 2; run++) results.push((await sendOnce(deps, request())).status);
    expect(results).toEqual([...Array(MAX_ATTEMPTS - 1).fill('failed'), 'gave-up', 'gave-up', 'gave-up']);
    expect(inner.sent).toHaveLength(0);
    expect(logged.filter((l) => l.level === 'error').map((l) => [l.event, l.fields.attempts])).toEqual([
      ['deliver.gave-up', MAX_ATTEMPTS],
      ['deliver.gave-up', MAX_ATTEMPTS],
      ['deliver.gave-up', MAX_ATTEMPTS],
    ]);
  });

  it('gives up at once on a refusal retrying cannot fix, and tries once more when an operator says so', async () => {
    const { store, inner, deps } = setup([{ op: 'send', effect: 'fail', retryable: false }]);
    expect(await sendOnce(deps, request())).toMatchObject({ status: 'gave-up', attempt: 1 });
    expect(await sendOnce(deps, request())).toMatchObject({ status: 'gave-up', attempt: 1 });
    expect(await sendOnce(deps, request({ resolve: 'resend' }))).toMatchObject({ status: 'sent', attempt: 2 });
    expect(inner.sent).toHaveLength(1);
    expect(attempts(store).map((a) => [a.status, a.error])).toEqual([
      ['failed', { name: 'MailError', retryable: false }],
      ['sent', undefined],
    ]);
  });

  it('records an unknown send outcome as in doubt and never resends it on its own', async () => {
    const { store, inner, deps, logged } = setup([{ op: 'send', effect: 'fail', when: 'after' }]);
    expect(await sendOnce(deps, request())).toEqual({ status: 'in-doubt', attempt: 1 });
    expect(await sendOnce(deps, request())).toEqual({ status: 'in-doubt', attempt: 1 });
    expect(inner.sent).toHaveLength(1);
    expect(attempts(store)).toMatchObject([{ status: 'in-doubt', error: { name: 'Error', retryable: false } }]);
    expect(logged.filter((l) => l.level === 'warn').map((l) => l.event)).toEqual([
      'deliver.in-doubt',
      'deliver.in-doubt',
    ]);
  });

  it('calls a claim that does not settle (a crash after the send) in doubt, after waiting for it', async () => {
    vi.useFakeTimers();
    // The process dies right after the mail went out: the claim is never turned into "sent".
    const { store, inner, deps } = setup([{ op: 'send', effect: 'crash', when: 'after' }]);
    await expect(sendOnce(deps, request())).rejects.toThrow(/injected crash/);
    expect(attempts(store)).toMatchObject([{ status: 'claimed' }]);
    const again = setup();
    again.store.objects.clear();
    for (const [key, obj] of store.objects) again.store.objects.set(key, obj);
    expect(await settle(sendOnce(again.deps, request()))).toEqual({ status: 'in-doubt', attempt: 1 });
    expect(inner.sent.length + again.inner.sent.length).toBe(1);
  });

  it('lets an operator confirm an in-doubt send, or resend it once', async () => {
    const confirm = setup([{ op: 'send', effect: 'fail', when: 'after' }]);
    await sendOnce(confirm.deps, request());
    expect(await sendOnce(confirm.deps, request({ resolve: 'confirm' }))).toEqual({
      status: 'already-sent',
      attempt: 1,
    });
    expect(attempts(confirm.store)).toMatchObject([{ status: 'sent', resolvedBy: 'operator' }]);
    expect(await sendOnce(confirm.deps, request())).toEqual({ status: 'already-sent', attempt: 1 });
    expect(confirm.inner.sent).toHaveLength(1);

    const resend = setup([{ op: 'send', effect: 'fail', when: 'after' }]);
    await sendOnce(resend.deps, request());
    expect(await sendOnce(resend.deps, request({ resolve: 'resend' }))).toMatchObject({ status: 'sent', attempt: 2 });
    expect(attempts(resend.store).map((a) => [a.status, a.resolvedBy])).toEqual([
      ['failed', 'operator'],
      ['sent', undefined],
    ]);
    expect(resend.inner.sent).toHaveLength(2);
  });

  it('sends once when runs race for a slot, and once when they race to retry it', async () => {
    const { inner, deps } = setup([{ op: 'send', effect: { delayMs: 50 }, every: true }]);
    const results = await Promise.all([
      sendOnce(deps, request()),
      sendOnce(deps, request()),
      sendOnce(deps, request()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['already-sent', 'already-sent', 'sent']);
    expect(inner.sent).toHaveLength(1);

    const retry = setup([{ op: 'send', effect: 'fail' }]);
    await sendOnce(retry.deps, request());
    const retried = await Promise.all([sendOnce(retry.deps, request()), sendOnce(retry.deps, request())]);
    expect(retried.map((r) => r.status).sort()).toEqual(['already-sent', 'sent']);
    expect(retry.inner.sent).toHaveLength(1);
    expect(await readSlot(retry.deps, SLOT)).toMatchObject({ status: 'sent', latest: { attempt: 2 } });
  });

  it('throws store faults without sending (the run is repeated), and sends on the repeat', async () => {
    const { inner, deps } = setup([{ op: 'put', match: /\.json$/, body: /"claimed"/, effect: 'fail' }]);
    await expect(sendOnce(deps, request())).rejects.toThrow(/injected fault/);
    expect(inner.sent).toHaveLength(0);
    expect(await sendOnce(deps, request())).toMatchObject({ status: 'sent', attempt: 1 });
  });

  it('builds the mail only when it is this run that sends', async () => {
    const { deps } = setup();
    const compose = vi.fn(mail);
    await sendOnce(deps, request({ compose }));
    await sendOnce(deps, request({ compose }));
    expect(compose).toHaveBeenCalledTimes(1);
  });

  it('leaves no claim behind when the mail cannot be built (nothing was sent, so nothing is in doubt)', async () => {
    const { store, inner, deps } = setup();
    const broken = () => {
      throw new Error('archived report is missing');
    };
    await expect(sendOnce(deps, request({ compose: broken }))).rejects.toThrow(/missing/);
    expect(store.objects.size).toBe(0);
    expect(await sendOnce(deps, request())).toMatchObject({ status: 'sent', attempt: 1 });
    expect(inner.sent).toHaveLength(1);
  });

  it('keeps no address in the ledger', async () => {
    const { store, deps } = setup([{ op: 'send', effect: 'fail' }]);
    await sendOnce(deps, request());
    await sendOnce(deps, request());
    for (const obj of store.objects.values()) expect(decoder.decode(obj.bytes)).not.toContain('@example.lv');
  });
});
