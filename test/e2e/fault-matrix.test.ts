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
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPeriod } from '../../functions/app/deliver';
import type { Deps } from '../../functions/app/deps';
import { generatePeriod } from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import { type RunOptions, type RunResult, runAll } from '../../functions/app/run';
import { parseLedgerKey } from '../../functions/core/keys';
import type { Manifest } from '../../functions/core/manifest';
import type { SampleRegistry } from '../../sample/sample-projects';
import { type FaultRule, injectFaults, type SentMail } from '../helpers/faults';
import {
  correctedUpload,
  differences,
  editedRegistry,
  type LogLine,
  localDeps,
  recordingLogger,
  registryUpload,
  type SmallProgramme,
  smallProgramme,
  snapshot,
  stage,
  type Upload,
} from '../helpers/small-programme';
import { renameSheet, workbookBytes } from '../helpers/workbooks';

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
  [/^blobs\/sha256\/[0-9a-f]{64}$/, 'archived input (content-addressed)'],
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
    const named = (await runAll(first.deps, undefined, RUN)).failures.length;
    if (named > 0) firstRun = `completed, ${named} failure(s) named`;
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
        'archived input (content-addressed)',
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
    // Many cases, each two runs of the whole flow; on a shared, loaded machine this takes minutes.
  }, 600_000);

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

/*
 * Poison cases (issue 14): what people and machines actually do (a sheet name exceljs refuses, a scheduler with a
 * wrong clock, a one-digit typo in the registry, a contact change, a truncated record or report file, an upload in
 * the wrong place). Each is followed by the next correct run, and must converge: the store equals what a correct
 * run on the same final inputs gives (apart from the named traces of the bad event, such as pending records), and
 * every mail went out exactly once.
 */
describe('poison cases: each converges on the next correct run, nothing lost or sent twice', () => {
  /** A run through a counting mailer and a recording logger. */
  async function runAt(bucket: string, outbox: string, now: Date, sent: SentMail[], options: RunOptions = {}) {
    const lines: LogLine[] = [];
    const base = localDeps(bucket, outbox, now, recordingLogger(lines));
    const counted = injectFaults(base, [], { sent });
    const deps: Deps = { ...base, store: counted.store, mailer: counted.mailer };
    const result = await runAll(deps, undefined, { ...RUN, ...options });
    return { result, deps, lines };
  }

  /** Keys where `actual` differs from `expected`, except keys only `actual` has that `trace` allows. */
  function divergence(expected: Map<string, string>, actual: Map<string, string>, trace?: RegExp): string[] {
    return differences(expected, actual).filter((k) => !(trace?.test(k) && !expected.has(k)));
  }

  /** Problems with the mails: each expected one exactly once, nothing else. */
  function mailProblems(sent: SentMail[], expected: SentMail[]): string[] {
    const counts = mailCounts(sent);
    const problems: string[] = [];
    for (const [mail] of mailCounts(expected))
      if (counts.get(mail) !== 1) problems.push(`${counts.get(mail) ?? 0}× ${mail}`);
    for (const [mail, n] of counts) if (!mailCounts(expected).has(mail)) problems.push(`unexpected ${n}× ${mail}`);
    return problems;
  }

  /** A correct run at NOW on a fresh bucket holding `inputs`: what the bad case must converge on. */
  async function cleanRun(inputs: Upload[]) {
    const { bucket, outbox } = await freshBucket(inputs);
    const sent: SentMail[] = [];
    await runAt(bucket, outbox, NOW, sent);
    return { snap: await snapshot(bucket), sent };
  }

  const registryWith = (edit: (r: SampleRegistry) => void, key: string, uploadedAt: string) =>
    registryUpload(editedRegistry(programme.data, edit), key, uploadedAt);
  const submissionsOnly = () => uploads.filter((u) => u.key.startsWith('inbox/'));

  it('the protected sheet name: the refusal is answered and every due period is generated and delivered', async () => {
    const bad = await workbookBytes({
      Projekts: [
        ['Projekta ID', 'one-stop-shop'],
        ['Periods', '2023-Q2'],
      ],
      Rādītāji: [
        ['Kods', 'Vērtība periodā'],
        ['P.6', 'daudz'],
      ],
      Izdevumi: [['Izmaksu kategorija', 'Summa periodā, EUR']],
      Placeholder: [['vēsture']],
    });
    const history: Upload = {
      key: 'inbox/one-stop-shop/ar vēsturi.xlsx',
      bytes: renameSheet(bad, 'Placeholder', 'History'),
      uploadedAt: '2023-10-06T08:00:00.000Z',
    };
    const { bucket, outbox } = await freshBucket([...uploads, history]);
    const sent: SentMail[] = [];
    const first = await runAt(bucket, outbox, NOW, sent);
    expect(first.result.failures).toEqual([]);
    expect(first.result.ingested.find((i) => i.key === history.key)).toMatchObject({
      status: 'rejected',
      mail: 'sent',
    });
    // The same run generated and delivered every due period.
    expect(first.result.generated.map((g) => [g.period, g.status])).toEqual([
      ['2023-Q1', 'generated'],
      ['2023-Q2', 'generated'],
    ]);
    expect(first.result.delivered.map((d) => [d.period, d.sent])).toEqual([
      ['2023-Q1', 3],
      ['2023-Q2', 3],
    ]);
    await runAt(bucket, outbox, NOW, sent);
    const clean = await cleanRun([...uploads, history]);
    expect(divergence(clean.snap, await snapshot(bucket))).toEqual([]);
    expect(divergence(reference.snap, await snapshot(bucket), /one-stop-shop/)).toEqual([]);
    expect(mailProblems(sent, clean.sent)).toEqual([]);
    expect(sent.filter((m) => m.delivery.includes('ar_v'))).toHaveLength(1);
  }, 60_000);

  it('the past clock: a run on 2018-01-01 loses no upload; the next, correct run accepts them all', async () => {
    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    const past = await runAt(bucket, outbox, new Date('2018-01-01T04:00:00Z'), sent);
    expect(past.result.failures).toEqual([]);
    const valid = submissionsOnly().filter((u) => u.key !== programme.refused.key);
    expect(
      past.result.ingested
        .filter((i) => i.status === 'pending')
        .map((i) => i.key)
        .sort(),
    ).toEqual(valid.map((u) => u.key).sort());
    // Nobody is told anything about an upload still pending; the refused one (wrong cells) is answered once.
    expect(sent.map((m) => m.delivery)).toEqual([expect.stringContaining('indicator-values')]);
    const right = await runAt(bucket, outbox, NOW, sent);
    expect(right.result.ingested.filter((i) => i.status === 'accepted' && i.kind === 'submission')).toHaveLength(
      valid.length,
    );
    // The managers' reports show them: the store is the fault-free run's, plus the pending records. The refused
    // upload (wrong cells) was decided under the wrong clock, so its record also lists "period in the future".
    expect(
      divergence(reference.snap, await snapshot(bucket), /^pending\//).filter(
        (k) => !k.startsWith(`rejections/pmlp-reception/`),
      ),
    ).toEqual([]);
    const manifest = JSON.parse(
      decoder.decode((await right.deps.store.get('reports/2023-Q2/r1/manifest.json'))!.bytes),
    ) as Manifest;
    expect(manifest.completeness.missing).toEqual([]);
    expect(mailProblems(sent, reference.sent)).toEqual([]);
  }, 60_000);

  it('the registry typo (start 1923): refused at the cell; the uploads wait and are decided with the fixed registry', async () => {
    const typo = await registryWith(
      (r) => {
        r.projects.find((p) => p.id === 'pmlp-reception')!.start = '1923-01-01';
      },
      'registry/registry-typo.xlsx',
      '2023-01-01T08:00:00.000Z',
    );
    const { bucket, outbox } = await freshBucket([typo, ...submissionsOnly()]);
    const sent: SentMail[] = [];
    const bad = await runAt(bucket, outbox, NOW, sent);
    const refused = bad.result.ingested.find((i) => i.key === typo.key);
    expect(refused).toMatchObject({ status: 'rejected', kind: 'registry' });
    const where = (refused as { issues: { code: string; sheet?: string; cell?: string }[] }).issues.find(
      (i) => i.code === 'registry-date-outside-programme',
    );
    expect(where?.sheet).toBe('Projekti');
    expect(where?.cell).toMatch(/^[A-Z]+\d+$/);
    // No registry in force: nothing reported, nothing mailed, every upload waiting (none refused into the void).
    expect(bad.result.generated).toEqual([]);
    expect(sent).toEqual([]);
    expect(new Set(bad.result.ingested.filter((i) => i.key.startsWith('inbox/')).map((i) => i.status))).toEqual(
      new Set(['pending']),
    );
    await stage(bucket, [programme.registry]);
    await runAt(bucket, outbox, NOW, sent);
    const clean = await cleanRun([typo, ...uploads]);
    expect(divergence(clean.snap, await snapshot(bucket), /^pending\//)).toEqual([]);
    expect(mailProblems(sent, clean.sent)).toEqual([]);
  }, 60_000);

  it('the registry typo inside the fund window (start 2021): the run holds the backfill, names it, mails no manager', async () => {
    const typo = await registryWith(
      (r) => {
        r.projects.find((p) => p.id === 'pmlp-reception')!.start = '2021-01-01';
      },
      'registry/registry-typo.xlsx',
      '2023-01-01T08:00:00.000Z',
    );
    const { bucket, outbox } = await freshBucket([typo, ...submissionsOnly()]);
    const sent: SentMail[] = [];
    const bad = await runAt(bucket, outbox, NOW, sent);
    expect(bad.result.held).toEqual([
      '2021-Q1',
      '2021-Q2',
      '2021-Q3',
      '2021-Q4',
      '2022-Q1',
      '2022-Q2',
      '2022-Q3',
      '2022-Q4',
      '2023-Q1',
      '2023-Q2',
    ]);
    expect(bad.result.failures.map((f) => f.todo)).toEqual([expect.stringContaining('--backfill')]);
    expect(bad.result.generated).toEqual([]);
    expect(sent.filter((m) => mailKind(m.delivery) === 'report mail')).toEqual([]);
    await stage(bucket, [programme.registry]);
    const fixed = await runAt(bucket, outbox, NOW, sent);
    expect(fixed.result.failures).toEqual([]);
    const clean = await cleanRun([typo, ...uploads]);
    // The records name the registry each upload was checked against; the reports and every mail are the same.
    // (The transmission's manifest lists those records' hashes, and so do the reports' manifests, whose archive
    // holds each record under its hash in blobs/.)
    const diff = differences(clean.snap, await snapshot(bucket));
    expect(
      diff.filter(
        (k) =>
          !k.startsWith('submissions/') &&
          !k.startsWith('blobs/') &&
          !/^(transmissions|reports)\/[^/]+\/r1\/manifest\.json$/.test(k),
      ),
    ).toEqual([]);
    expect(diff.filter((k) => k.startsWith('submissions/')).length).toBeLessThanOrEqual(submissionsOnly().length);
    expect(mailProblems(sent, clean.sent)).toEqual([]);
  }, 60_000);

  it('a contact-only registry change issues no revision and mails no manager; later mail goes to the new addresses', async () => {
    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    await runAt(bucket, outbox, NOW, sent);
    const contacts = await registryWith(
      (r) => {
        r.projects.find((p) => p.id === 'pmlp-reception')!.coordinatorEmails = ['jauns.koordinators@pmlp.example.lv'];
        r.recipients[0]!.email = 'jauna.vadiba@iem.example.lv';
        r.recipients[2]!.language = 'lv';
      },
      'registry/registry-kontakti.xlsx',
      '2023-10-11T08:00:00.000Z',
    );
    await stage(bucket, [contacts]);
    const before = sent.length;
    const after = await runAt(bucket, outbox, NOW, sent);
    expect(after.result.generated.map((g) => g.status)).toEqual(['unchanged', 'unchanged']);
    expect(after.result.transmitted.map((t) => t.status)).toEqual(['unchanged']);
    expect(sent.length).toBe(before);
    expect(divergence(reference.snap, await snapshot(bucket), /registry-kontakti|^registry-versions\//)).toEqual([]);
    expect(mailProblems(sent, reference.sent)).toEqual([]);
    // Future mail: a correction's receipt and its corrected revision go to the new addresses.
    const correction = await correctedUpload(
      programme.data,
      'pmlp-reception',
      '2023-Q2',
      (content) => {
        content.indicators.find((i) => i.code === 'P.1')!.value = 1900;
      },
      { key: 'inbox/pmlp-reception/2023-Q2 labots.xlsx', uploadedAt: '2023-10-11T09:00:00.000Z' },
    );
    await stage(bucket, [correction]);
    await runAt(bucket, outbox, NOW, sent);
    const later = sent.slice(before);
    expect(later.find((m) => mailKind(m.delivery) === 'receipt mail')?.to).toEqual([
      'jauns.koordinators@pmlp.example.lv',
    ]);
    const reportsTo = later.filter((m) => mailKind(m.delivery) === 'report mail').flatMap((m) => m.to);
    expect(reportsTo).toContain('jauna.vadiba@iem.example.lv');
    expect(reportsTo).not.toContain('pmif.vadiba@iem.example.lv');
  }, 60_000);

  it('a truncated record: the period that needs it fails with its key, the others go on; restored, it converges', async () => {
    const correction = await correctedUpload(
      programme.data,
      'pmlp-reception',
      '2023-Q1',
      (content) => {
        content.indicators.find((i) => i.code === 'P.1')!.value = 1234;
      },
      { key: 'inbox/pmlp-reception/2023-Q1 labots.xlsx', uploadedAt: '2023-10-11T09:00:00.000Z' },
    );
    // Expected: the fault-free run, then the correction and a run.
    const clean = await freshBucket(uploads);
    const cleanSent: SentMail[] = [];
    await runAt(clean.bucket, clean.outbox, NOW, cleanSent);
    await stage(clean.bucket, [correction]);
    await runAt(clean.bucket, clean.outbox, NOW, cleanSent);

    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    const first = await runAt(bucket, outbox, NOW, sent);
    await stage(bucket, [correction]);
    const q2 = (await first.deps.store.list('submissions/2023-Q2/one-stop-shop/'))[0]!.key;
    const path = join(bucket, ...q2.split('/'));
    const intact = await readFile(path);
    await writeFile(path, intact.subarray(0, Math.floor(intact.length / 2)));
    const bad = await runAt(bucket, outbox, NOW, sent);
    expect(bad.result.generated.map((g) => [g.period, g.status])).toEqual([['2023-Q1', 'generated']]);
    // 2023-Q2 and the 2023-06-30 transmission need the record; each fails naming it, 2023-Q1 goes on.
    expect(bad.result.failures.map((f) => f.key)).toEqual(['2023-Q2', 'transmission 2023-06-30']);
    for (const f of bad.result.failures) expect(f.what).toContain(q2);
    expect(bad.result.delivered.map((d) => [d.period, d.sent])).toEqual([['2023-Q1', 3]]);
    await writeFile(path, intact);
    await runAt(bucket, outbox, NOW, sent);
    expect(divergence(await snapshot(clean.bucket), await snapshot(bucket))).toEqual([]);
    expect(mailProblems(sent, cleanSent)).toEqual([]);
  }, 90_000);

  it('a truncated report file is never mailed: deliver names it; restored, it converges', async () => {
    const { bucket, outbox } = await freshBucket(uploads);
    const sent: SentMail[] = [];
    const lines: LogLine[] = [];
    const base = localDeps(bucket, outbox, NOW, recordingLogger(lines));
    const counted = injectFaults(base, [], { sent });
    const deps: Deps = { ...base, store: counted.store, mailer: counted.mailer };
    for (const u of uploads.filter((x) => x.key.startsWith('registry/'))) await ingestObject(deps, u.key);
    for (const u of submissionsOnly()) await ingestObject(deps, u.key);
    for (const period of ['2023-Q1', '2023-Q2']) await generatePeriod(deps, { period, workers: 1 });
    const truncated = 'reports/2023-Q2/r1/one-stop-shop.pdf';
    const path = join(bucket, ...truncated.split('/'));
    const intact = await readFile(path);
    // The folder store refuses to overwrite an archived report: truncate it behind its back, as a disk would.
    await writeFile(path, intact.subarray(0, intact.length - 100));
    const bad = await runAt(bucket, outbox, NOW, sent);
    expect(bad.result.failures.map((f) => [f.key, f.what.includes(truncated)])).toEqual([['2023-Q2', true]]);
    expect(bad.lines.filter((l) => l.event === 'deliver.integrity-failed').map((l) => l.fields.key)).toEqual([
      truncated,
    ]);
    // 2023-Q1 went out; nothing of 2023-Q2 did.
    expect(sent.filter((m) => m.delivery.startsWith('2023-Q2/'))).toEqual([]);
    expect(sent.filter((m) => m.delivery.startsWith('2023-Q1/'))).toHaveLength(3);
    await writeFile(path, intact);
    await runAt(bucket, outbox, NOW, sent);
    expect(divergence(reference.snap, await snapshot(bucket))).toEqual([]);
    expect(mailProblems(sent, reference.sent)).toEqual([]);
  }, 60_000);

  it('a misplaced upload is answered, filed apart, and stops nothing', async () => {
    const misplaced: Upload[] = [
      { key: 'inbox/2023-Q3.xlsx', bytes: programme.refused.bytes, uploadedAt: '2023-10-06T08:00:00.000Z' },
      {
        key: 'inbox/one-stop-shop/2023/2023-Q3.xlsx',
        bytes: programme.refused.bytes,
        uploadedAt: '2023-10-06T09:00:00.000Z',
      },
      {
        key: 'inbox/pmlp-reception/2023-Q3.csv',
        bytes: programme.refused.bytes,
        uploadedAt: '2023-10-06T10:00:00.000Z',
      },
    ];
    const { bucket, outbox } = await freshBucket([...uploads, ...misplaced]);
    const sent: SentMail[] = [];
    const first = await runAt(bucket, outbox, NOW, sent);
    expect(first.result.failures).toEqual([]);
    expect(first.result.ingested.filter((i) => misplaced.some((m) => m.key === i.key)).map((i) => i.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
    ]);
    await runAt(bucket, outbox, NOW, sent);
    expect(divergence(reference.snap, await snapshot(bucket), /_misplaced|2023-Q3\.(csv|xlsx)|2023\/2023-Q3/)).toEqual(
      [],
    );
    expect((await snapshot(bucket)).size - reference.snap.size).toBeGreaterThan(0);
    // Answered where the folder names a project (two of three), once each.
    const answers = sent.filter((m) => !reference.sent.some((r) => mailKey(r) === mailKey(m)));
    expect(answers.map((m) => m.to).sort()).toEqual(
      [
        programme.data.registry.projects.find((p) => p.id === 'one-stop-shop')!.coordinatorEmails,
        programme.data.registry.projects.find((p) => p.id === 'pmlp-reception')!.coordinatorEmails,
      ].sort(),
    );
    expect(mailProblems(sent, [...reference.sent, ...answers])).toEqual([]);
  }, 60_000);
});
