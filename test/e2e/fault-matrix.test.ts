/**
 * Exactly once under at-least-once (issue 6): the local flow (ingest → remind → generate → deliver) on a small
 * sample programme, run with a fault at every point where it writes or sends, then run again without faults. The
 * final store must equal the fault-free run's (every object's SHA-256; the mail ledger compared by each slot's final
 * status) and every e-mail must have gone out exactly once. The one documented exception: a crash between a send
 * and recording it leaves the slot *in doubt*, which is reported to operators and never resent on its own.
 *
 * E-mails are counted at the mailer (every send that reached the outbox), not as outbox files: with a fixed clock a
 * repeated identical mail would overwrite its own file and hide the duplicate.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPeriod } from '../../functions/app/deliver';
import type { Deps } from '../../functions/app/deps';
import { ingestObject } from '../../functions/app/ingest';
import { type RunResult, runAll } from '../../functions/app/run';
import { parseLedgerKey } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import { type FaultRule, injectFaults, type SentMail } from '../helpers/faults';
import {
  correctedUpload,
  differences,
  type LogLine,
  localDeps,
  recordingLogger,
  type SmallProgramme,
  smallProgramme,
  snapshot,
  stage,
  type Upload,
} from '../helpers/small-programme';

/** 07:00 in Riga on 12 October 2023: 2023-Q1 and Q2 are due, 2023-Q3 is in its reminder window (deadline 15 Oct). */
const NOW = new Date('2023-10-12T04:00:00Z');
/** Render on this thread: the matrix repeats the flow many times, and worker start-up would dominate. */
const RUN = { workers: 1 };

let root: string;
let programme: SmallProgramme;
/** pmlp-reception Q1–Q3, one-stop-shop Q2 (its Q3 is missing: reminded), and a refused workbook. */
let uploads: Upload[];
let reference: Outcome;
let caseNo = 0;

interface Outcome {
  snap: Map<string, string>;
  sent: SentMail[];
  writes: { key: string; ifNoneMatch: boolean; body: string }[];
}

const decoder = new TextDecoder();
const mailKey = (m: SentMail) => `${m.delivery} → ${m.to.join(', ')}`;

function mailCounts(sent: SentMail[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of sent) counts.set(mailKey(m), (counts.get(mailKey(m)) ?? 0) + 1);
  return counts;
}

async function freshBucket(uploadsToStage: Upload[]) {
  const dir = join(root, `case-${++caseNo}`);
  const bucket = join(dir, 'bucket');
  await stage(bucket, uploadsToStage);
  return { bucket, outbox: join(dir, 'outbox') };
}

/** Deps on a bucket whose store and mailer go through a fault injector sharing one tally of sent mail. */
function faulty(bucket: string, outbox: string, rules: FaultRule[], sent: SentMail[], lines: LogLine[]) {
  const base = localDeps(bucket, outbox, NOW, recordingLogger(lines));
  const injected = injectFaults(base, rules, { sent });
  const deps: Deps = { ...base, store: injected.store, mailer: injected.mailer };
  return { deps, injected };
}

const WRITE_POINTS: [RegExp, string][] = [
  [/^registry-versions\//, 'registry version record'],
  [/^ingested\/registry\//, 'ingest receipt (registry)'],
  [/^ingested\/inbox\//, 'ingest receipt (upload)'],
  [/^submissions\//, 'submission record'],
  [/^rejections\/.+\.json$/, 'rejection record'],
  [/^rejections\/.+\.xlsx$/, 'rejection annotated copy'],
  [/^reports\/[^/]+\/r\d+\/plan\.json$/, 'plan'],
  [/^reports\/[^/]+\/r\d+\/programme\.pdf$/, 'programme PDF'],
  [/^reports\/[^/]+\/r\d+\/programme\.xlsx$/, 'programme XLSX'],
  [/^reports\/[^/]+\/r\d+\/manifest\.json$/, 'manifest'],
  [/^reports\/[^/]+\/r\d+\/[^/]+\.pdf$/, 'project PDF'],
  [/^reports\/[^/]+\/r\d+\/[^/]+\.xlsx$/, 'project XLSX'],
  [/^transmissions\/[^/]+\/r\d+\/plan\.json$/, 'transmission plan'],
  [/^transmissions\/[^/]+\/r\d+\/[^/]+\.xlsx$/, 'transmission XLSX'],
  [/^transmissions\/[^/]+\/r\d+\/manifest\.json$/, 'transmission manifest'],
];

function mailKind(slotOrDelivery: string): 'receipt mail' | 'reminder' | 'report mail' | 'transmission mail' {
  if (/(^|\/)uploads\//.test(slotOrDelivery)) return 'receipt mail';
  if (/(^|\/)transmissions\//.test(slotOrDelivery)) return 'transmission mail';
  return /\/reminders\//.test(slotOrDelivery) ? 'reminder' : 'report mail';
}

/** The write point a put belongs to: the kind of object, and for the ledger the step (claim or record). */
function writePoint(write: { key: string; ifNoneMatch: boolean; body: string }): string {
  const ledger = parseLedgerKey(write.key);
  if (ledger) {
    const step = write.ifNoneMatch ? 'claim' : `record ${(JSON.parse(write.body) as { status: string }).status}`;
    return `ledger: ${mailKind(ledger.slot)} ${step}`;
  }
  return WRITE_POINTS.find(([pattern]) => pattern.test(write.key))?.[1] ?? `unclassified: ${write.key}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Case {
  point: string;
  rules: FaultRule[];
  /** `in-doubt`: the slot of the faulted send must end in doubt, reported by the second run, mailed once. */
  expect: 'converged' | 'in-doubt';
}

/** One crash per write point, at its first occurrence in the fault-free run. */
function writeCases(): Case[] {
  const seen = new Map<string, Case>();
  for (const write of reference.writes) {
    const point = writePoint(write);
    if (seen.has(point)) continue;
    const status = /"status": "([a-z-]+)"/.exec(write.body)?.[1];
    const rule: FaultRule = {
      op: 'put',
      match: new RegExp(`^${escapeRegExp(write.key)}$`),
      ...(parseLedgerKey(write.key) && status ? { body: new RegExp(`"status": "${status}"`) } : {}),
      effect: 'crash',
    };
    // Crashing after the send and before recording it is the one moment the ledger cannot see past.
    seen.set(point, {
      point: `crash at ${point}`,
      rules: [rule],
      expect: point.endsWith('record sent') ? 'in-doubt' : 'converged',
    });
  }
  return [...seen.values()];
}

function sendCases(): Case[] {
  const cases: Case[] = [];
  const kinds: [string, RegExp][] = [
    ['receipt mail', /^uploads\//],
    ['reminder', /\/reminders\//],
    ['report mail', /Q\d\/r\d+\//],
    ['transmission mail', /transmissions\//],
  ];
  for (const [kind, match] of kinds) {
    cases.push(
      {
        point: `${kind} refused (not sent, retryable)`,
        rules: [{ op: 'send', match, effect: 'fail', when: 'before' }],
        expect: 'converged',
      },
      {
        point: `crash during ${kind} send, after delivery`,
        rules: [{ op: 'send', match, effect: 'crash', when: 'after' }],
        expect: 'in-doubt',
      },
    );
  }
  cases.push({
    point: 'report mail delivered, reply lost',
    rules: [{ op: 'send', match: /Q\d\/r\d+\//, effect: 'fail', when: 'after' }],
    expect: 'in-doubt',
  });
  return cases;
}

interface Row {
  point: string;
  fired: string;
  firstRun: string;
  converged: string;
  mails: string;
  problems: string[];
}

const rows: Row[] = [];

function describeMails(counts: Map<string, number>): string {
  const values = [...counts.values()];
  if (values.length === 0) return 'none';
  const min = Math.min(...values);
  const max = Math.max(...values);
  return min === max ? `all ${min} (${values.length} mails)` : `${min}–${max} (${values.length} mails)`;
}

async function runCase(c: Case): Promise<Row> {
  const { bucket, outbox } = await freshBucket(uploads);
  const sent: SentMail[] = [];
  const firstLines: LogLine[] = [];
  const secondLines: LogLine[] = [];
  const first = faulty(bucket, outbox, c.rules, sent, firstLines);
  let firstRun = 'completed';
  try {
    await runAll(first.deps, undefined, RUN);
  } catch (err) {
    firstRun = `threw ${(err as Error).name}`;
  }
  const second = faulty(bucket, outbox, [], sent, secondLines);
  let result: RunResult | null = null;
  const problems: string[] = [];
  try {
    result = await runAll(second.deps, undefined, RUN);
  } catch (err) {
    problems.push(`second run threw ${(err as Error).name}: ${(err as Error).message}`);
  }
  if (first.injected.fired.length !== 1) problems.push(`fault fired ${first.injected.fired.length} times`);

  const snap = await snapshot(bucket);
  const diff = differences(reference.snap, snap);
  const counts = mailCounts(sent);
  const expectedMails = mailCounts(reference.sent);
  for (const [mail] of expectedMails) if (counts.get(mail) !== 1) problems.push(`${counts.get(mail) ?? 0}× ${mail}`);
  for (const [mail, n] of counts) if (!expectedMails.has(mail)) problems.push(`unexpected ${n}× ${mail}`);

  const warnings = secondLines.filter((l) => l.level !== 'info');
  if (c.expect === 'converged') {
    if (diff.length > 0) problems.push(`store differs: ${diff.join(', ')}`);
    if (warnings.length > 0) problems.push(`second run warned: ${warnings.map((w) => w.event).join(', ')}`);
  } else {
    // Exactly the faulted slot is in doubt, the second run said so, and its mail went out once (counted above).
    const slot = diff.length === 1 ? diff[0]!.replace(/ \(ledger\)$/, '') : null;
    if (!slot || snap.get(diff[0]!) !== 'in-doubt' || reference.snap.get(diff[0]!) !== 'sent')
      problems.push(`expected one slot in doubt, store differs: ${diff.join(', ') || 'nowhere'}`);
    else {
      const event = {
        'receipt mail': 'ingest.receipt',
        reminder: 'remind',
        'report mail': 'deliver',
        'transmission mail': 'transmission.deliver',
      }[mailKind(slot)];
      if (!(warnings.length === 1 && warnings[0]!.event === `${event}.in-doubt`))
        problems.push(`second run reported ${warnings.map((w) => w.event).join(', ') || 'nothing'}`);
      const reported =
        mailKind(slot) === 'report mail'
          ? result?.delivered.reduce((n, d) => n + d.inDoubt, 0)
          : mailKind(slot) === 'transmission mail'
            ? result?.transmissionsDelivered.reduce((n, d) => n + d.inDoubt, 0)
            : mailKind(slot) === 'reminder'
              ? result?.reminded.reduce((n, r) => n + r.inDoubt.length, 0)
              : result?.ingested.filter((i) => i.status !== 'skipped' && i.mail === 'in-doubt').length;
      if (reported !== 1) problems.push(`second run's outcome counts ${reported} in doubt`);
    }
  }
  return {
    point: c.point,
    fired: first.injected.fired.map((f) => f.subject).join('; '),
    firstRun,
    converged: problems.length > 0 ? 'NO' : c.expect === 'converged' ? 'yes' : 'yes, 1 in doubt (reported)',
    mails: describeMails(counts),
    problems,
  };
}

function printTable(title: string, table: Row[]): void {
  const header = ['fault point', 'first run', 'converged', 'e-mails per recipient and revision'];
  const lines = table.map((r) => [r.point, r.firstRun, r.converged, r.mails]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  console.log([title, fmt(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(fmt)].join('\n'));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-faults-'));
  programme = await smallProgramme(['2023-Q1', '2023-Q2', '2023-Q3']);
  uploads = [
    programme.registry,
    ...programme.submissions.filter((u) => u.key !== 'inbox/one-stop-shop/2023-Q3.xlsx'),
    programme.refused,
  ];
  const { bucket, outbox } = await freshBucket(uploads);
  const sent: SentMail[] = [];
  const lines: LogLine[] = [];
  const { deps, injected } = faulty(bucket, outbox, [], sent, lines);
  const result = await runAll(deps, undefined, RUN);
  expect(lines.filter((l) => l.level !== 'info')).toEqual([]);
  expect(result.generated.map((g) => [g.period, g.status])).toEqual([
    ['2023-Q1', 'generated'],
    ['2023-Q2', 'generated'],
  ]);
  expect(result.reminded.map((r) => r.reminded)).toEqual([['one-stop-shop']]);
  reference = { snap: await snapshot(bucket), sent, writes: injected.writes };
}, 120_000);

afterAll(async () => {
  if (rows.length > 0) printTable('Fault matrix: a fault, then a run without faults', rows);
  await rm(root, { recursive: true, force: true });
});

describe('fault matrix on a small sample programme', () => {
  it('the fault-free run sends each coordinator and manager mail once', () => {
    const counts = mailCounts(reference.sent);
    // 4 acceptances + 1 rejection, 1 reminder, 2 periods × 3 managers, the 2023-06-30 transmission × 2 managers
    // of the whole programme.
    expect(reference.sent.map((m) => mailKind(m.delivery)).sort()).toEqual([
      ...Array(5).fill('receipt mail'),
      'reminder',
      ...Array(6).fill('report mail'),
      ...Array(2).fill('transmission mail'),
    ]);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  });

  it('converges after a fault at every write point and send, and reports what it cannot know', async () => {
    const cases = [...writeCases(), ...sendCases()];
    // Every write of the flow is a known kind, and each kind is in the matrix.
    expect(cases.map((c) => c.point).filter((p) => p.includes('unclassified'))).toEqual([]);
    expect(cases.map((c) => c.point.replace(/^crash at /, ''))).toEqual(
      expect.arrayContaining([
        'registry version record',
        'ingest receipt (registry)',
        'submission record',
        'ledger: receipt mail claim',
        'ledger: receipt mail record sent',
        'ingest receipt (upload)',
        'rejection record',
        'ledger: reminder claim',
        'ledger: reminder record sent',
        'plan',
        'project PDF',
        'project XLSX',
        'programme PDF',
        'programme XLSX',
        'manifest',
        'ledger: report mail claim',
        'ledger: report mail record sent',
        'transmission plan',
        'transmission XLSX',
        'transmission manifest',
        'ledger: transmission mail claim',
        'ledger: transmission mail record sent',
      ]),
    );
    for (const c of cases) rows.push(await runCase(c));
    expect(rows.filter((r) => r.problems.length > 0).map((r) => `${r.point}: ${r.problems.join('; ')}`)).toEqual([]);
    expect(rows.filter((r) => r.converged.includes('in doubt')).length).toBe(
      cases.filter((c) => c.expect === 'in-doubt').length,
    );
  }, 240_000);

  it('gives up on a permanently refused report mail, tells operators, and sends it when an operator says so', async () => {
    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    const lines: LogLine[] = [];
    const refuse: FaultRule = { op: 'send', match: /^2023-Q2\/r1\//, effect: 'fail', retryable: false };
    const first = faulty(bucket, outbox, [refuse], sent, lines);
    const result = await runAll(first.deps, undefined, RUN);
    expect(result.delivered.map((d) => [d.period, d.sent, d.gaveUp])).toEqual([
      ['2023-Q1', 3, 0],
      ['2023-Q2', 2, 1],
    ]);
    expect(lines.filter((l) => l.level === 'error').map((l) => [l.event, l.fields.period])).toEqual([
      ['deliver.gave-up', '2023-Q2'],
    ]);
    // Repeating does not retry it (retrying cannot fix a refused message), and keeps telling.
    const again = faulty(bucket, outbox, [], sent, lines);
    expect((await runAll(again.deps, undefined, RUN)).delivered[1]).toMatchObject({ sent: 0, gaveUp: 1 });
    const missing = [...mailCounts(reference.sent).keys()].filter((k) => !mailCounts(sent).has(k));
    expect(missing).toHaveLength(1);
    // The operator fixed the cause: one more attempt, then everything is as in the fault-free run.
    expect(await deliverPeriod(again.deps, '2023-Q2', { resolve: 'resend' })).toMatchObject({ sent: 1, gaveUp: 0 });
    expect([...mailCounts(sent).entries()].sort()).toEqual([...mailCounts(reference.sent).entries()].sort());
    expect(differences(reference.snap, await snapshot(bucket))).toEqual([]);
  }, 60_000);

  it('gives the same result when every event arrives three times, some at once', async () => {
    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    const lines: LogLine[] = [];
    const { deps } = faulty(bucket, outbox, [], sent, lines);
    for (const upload of uploads) {
      await Promise.all([ingestObject(deps, upload.key), ingestObject(deps, upload.key)]);
      await ingestObject(deps, upload.key);
    }
    await runAll(deps, undefined, RUN);
    expect(differences(reference.snap, await snapshot(bucket))).toEqual([]);
    expect([...mailCounts(sent).entries()].sort()).toEqual([...mailCounts(reference.sent).entries()].sort());
    expect(lines.filter((l) => l.level !== 'info')).toEqual([]);
  }, 60_000);

  it('gives the same result for two runs at once', async () => {
    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    const lines: LogLine[] = [];
    // One run's sends are slow, so the other meets its claims before they are recorded.
    const slow: FaultRule = { op: 'send', effect: { delayMs: 150 }, every: true };
    const a = faulty(bucket, outbox, [slow], sent, lines);
    const b = faulty(bucket, outbox, [], sent, lines);
    const results = await Promise.all([runAll(a.deps, undefined, RUN), runAll(b.deps, undefined, RUN)]);
    expect(differences(reference.snap, await snapshot(bucket))).toEqual([]);
    // Each manager's report went out from one of the runs; the other found it sent (or sending) in the ledger.
    const delivered = results.flatMap((r) => r.delivered);
    expect(delivered.reduce((n, d) => n + d.sent, 0)).toBe(6);
    expect(delivered.reduce((n, d) => n + d.alreadySent + d.inDoubt, 0)).toBe(6);
    expect([...mailCounts(sent).entries()].sort()).toEqual([...mailCounts(reference.sent).entries()].sort());
  }, 60_000);

  it('lets the newer upload win when its event arrives first', async () => {
    // pmlp-reception corrects its 2023-Q2 figures four days after the first upload.
    const corrected = await correctedUpload(
      programme.data,
      'pmlp-reception',
      '2023-Q2',
      (content) => {
        content.indicators.find((i) => i.code === 'P.1')!.value = 1900;
      },
      { key: 'inbox/pmlp-reception/2023-Q2 labots.xlsx', uploadedAt: '2023-07-10T08:00:00.000Z' },
    );
    const inOrder = [...uploads, corrected];
    const natural = await freshBucket(inOrder);
    const reversed = await freshBucket(inOrder);
    const sent: SentMail[] = [];
    const lines: LogLine[] = [];
    const n = faulty(natural.bucket, natural.outbox, [], sent, lines);
    await runAll(n.deps, undefined, RUN);
    const r = faulty(reversed.bucket, reversed.outbox, [], [], lines);
    // The registry first (submissions are checked against it), then the uploads' events newest first: the
    // correction is ingested before the upload it corrects.
    await ingestObject(r.deps, programme.registry.key);
    const newestFirst = inOrder
      .filter((u) => u.key.startsWith('inbox/'))
      .sort((x, y) => (x.uploadedAt < y.uploadedAt ? 1 : -1));
    expect(newestFirst.indexOf(corrected)).toBeLessThan(
      newestFirst.findIndex((u) => u.key === 'inbox/pmlp-reception/2023-Q2.xlsx'),
    );
    for (const upload of newestFirst) await ingestObject(r.deps, upload.key);
    await runAll(r.deps, undefined, RUN);
    expect(differences(await snapshot(natural.bucket), await snapshot(reversed.bucket))).toEqual([]);

    const manifest = JSON.parse(
      decoder.decode((await r.deps.store.get('reports/2023-Q2/r1/manifest.json'))!.bytes),
    ) as Manifest;
    const value = (period: string) =>
      programme.data.submissions
        .find((s) => s.content.projectId === 'pmlp-reception' && s.content.period === period)!
        .content.indicators.find((i) => i.code === 'P.1')!.value as number;
    // Cumulative P.1 (a sum) with the corrected 2023-Q2 value in force, not the first upload's.
    expect(value('2023-Q2')).not.toBe(1900);
    expect(manifest.figures['pmlp-reception']!['P.1']).toBe(value('2023-Q1') + 1900);
    // Latest wins, nothing lost: both uploads of the quarter are sources.
    expect(
      manifest.sources
        .filter((s) => s.key.startsWith('inbox/pmlp-reception/2023-Q2'))
        .map((s) => s.key)
        .sort(),
    ).toEqual(['inbox/pmlp-reception/2023-Q2 labots.xlsx', 'inbox/pmlp-reception/2023-Q2.xlsx']);
  }, 60_000);
});
