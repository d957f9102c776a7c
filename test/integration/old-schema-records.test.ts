/**
 * Submission records stored under an earlier schema (schema 2: money as euros in floats, before `amountCents`) are
 * rendered as today's schema, as planning reads them: a revision rendered from a store of schema-2 records is the
 * same bytes as one rendered from the same records in the current schema. Stored records are never rewritten (the archive
 * keeps them as they are), so they are read through `upgradeSubmission` wherever a report is built from them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTransmission } from '../../functions/app/archive/transmissions';
import { verifyRevision } from '../../functions/app/archive/verify';
import type { Deps } from '../../functions/app/deps';
import {
  generatePeriod,
  loadRevisionInputs,
  planRevision,
  projectModel,
  type RevisionPlan,
  renderProgrammeFiles,
  renderProjectFiles,
} from '../../functions/app/generate';
import { ingestObject } from '../../functions/app/ingest';
import { produceTransmission } from '../../functions/app/transmission';
import { localCode } from '../../functions/cli/local-deps';
import { type NormalisedSubmission, SUBMISSION_SCHEMA_VERSION } from '../../functions/core/types';
import { localDeps, recordingLogger, SMALL_PROJECTS, smallProgramme, stage } from '../helpers/small-programme';

const PERIOD = '2023-Q2';
const NOW = new Date('2023-10-12T04:00:00Z');
let root: string;
let deps: Deps;
let plan: RevisionPlan;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-old-schema-'));
  const programme = await smallProgramme(['2023-Q1', PERIOD]);
  const bucket = join(root, 'bucket');
  await stage(bucket, [programme.registry, ...programme.submissions]);
  deps = { ...localDeps(bucket, join(root, 'outbox'), NOW, recordingLogger([])), code: localCode };
  await ingestObject(deps, programme.registry.key);
  for (const s of programme.submissions) await ingestObject(deps, s.key);
  const planned = await planRevision(deps, { period: PERIOD, generatedAt: '2023-07-16T04:00:00.000Z' });
  if (planned.status !== 'planned') throw new Error(`no plan: ${planned.status}`);
  plan = planned.plan;
}, 180_000);

afterAll(() => rm(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }));

/** Every file of the revision: each project's reports and the programme's. */
async function renderAll(): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const projectId of plan.projectIds) {
    const { files } = await renderProjectFiles(plan, await loadRevisionInputs(deps, plan, projectId), projectId);
    for (const f of files) out.set(f.key, f.bytes);
  }
  for (const f of (await renderProgrammeFiles(plan, await loadRevisionInputs(deps, plan), null)).files)
    out.set(f.key, f.bytes);
  return out;
}

/**
 * A current record written back as schema 2 wrote it: each line's amount in euros, no cents; participant IDs as
 * written (here in lower case), so a person whose ID was written two ways was counted twice.
 */
function asSchemaTwo(record: NormalisedSubmission): unknown {
  const written = (id: string) => id.toLowerCase();
  return {
    ...record,
    schemaVersion: 2,
    expenditure: record.expenditure.map((l) => ({
      category: l.category,
      amount: l.amountCents / 100,
      lineage: l.lineage,
    })),
    derived: record.derived.map((d) =>
      d.participantIds.length === 0
        ? d
        : { ...d, participantIds: [...d.participantIds.map(written), d.participantIds[0]!], value: d.value + 1 },
    ),
    profiles: Object.fromEntries(Object.entries(record.profiles).map(([id, p]) => [written(id), p])),
  };
}

describe('a revision rendered from records stored under schema 2', () => {
  it('has the same figures and bytes as from the same records in the current schema', {
    timeout: 180_000,
  }, async () => {
    expect(plan.projectIds.length).toBe(SMALL_PROJECTS.length);
    const current = await renderAll();
    const spent = await Promise.all(
      plan.projectIds.map(async (id) => {
        const model = projectModel(plan, await loadRevisionInputs(deps, plan), id);
        return model.finance.spentCumulative;
      }),
    );
    expect(spent.every((n) => n > 0)).toBe(true);

    let lines = 0;
    let persons = 0;
    for (const source of plan.sources) {
      const stored = await deps.store.get(source.recordKey);
      const record = JSON.parse(new TextDecoder().decode(stored!.bytes)) as NormalisedSubmission;
      expect(record.schemaVersion).toBe(SUBMISSION_SCHEMA_VERSION);
      lines += record.expenditure.length;
      persons += record.derived.filter((d) => d.participantIds.some((id) => id !== id.toLowerCase())).length;
      await deps.store.put(source.recordKey, new TextEncoder().encode(JSON.stringify(asSchemaTwo(record))));
    }
    expect(lines).toBeGreaterThan(0);
    expect(persons).toBeGreaterThan(0);
    const old = await deps.store.get(plan.sources[0]!.recordKey);
    expect(JSON.parse(new TextDecoder().decode(old!.bytes)).schemaVersion).toBe(2);

    for (const [i, id] of plan.projectIds.entries())
      expect(projectModel(plan, await loadRevisionInputs(deps, plan), id).finance.spentCumulative, id).toBe(spent[i]);
    const again = await renderAll();
    expect([...again.keys()]).toEqual([...current.keys()]);
    for (const [key, bytes] of current)
      expect(Buffer.compare(Buffer.from(again.get(key)!), Buffer.from(bytes)), key).toBe(0);
  });

  it('is generated and archived, and verify re-renders it to the same bytes with the archived code', {
    timeout: 300_000,
  }, async () => {
    const old = await deps.store.get(plan.sources[0]!.recordKey);
    expect(JSON.parse(new TextDecoder().decode(old!.bytes)).schemaVersion).toBe(2);
    const outcome = await generatePeriod(deps, { period: PERIOD, generatedAt: plan.generatedAt, workers: 1 });
    expect(outcome.status).toBe('generated');
    const report = await verifyRevision(deps, PERIOD, plan.revision);
    const outputs = report.checks.filter((c) => c.subject === 'output');
    expect(outputs.length).toBeGreaterThan(0);
    for (const c of outputs) expect(c.findings, c.key).toContain('re-render identical');
    // Each record, stored as schema 2, is compared with today's re-derivation of its upload read as the current schema.
    const records = report.checks.filter((c) => c.subject === 'record' && c.key.startsWith('submissions/'));
    expect(records.length).toBe(plan.sources.length);
    for (const c of records)
      expect(c.findings, c.key).toContain(`re-derived identical when read as schema ${SUBMISSION_SCHEMA_VERSION}`);
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.status).toBe('verified');
  });

  it('give an Art. 42 transmission that verify re-renders to the same bytes', { timeout: 300_000 }, async () => {
    const outcome = await produceTransmission(deps, { cutoff: '2023-06-30', generatedAt: plan.generatedAt });
    expect(outcome.status).toBe('generated');
    const report = await verifyTransmission(deps, '2023-06-30');
    const outputs = report.checks.filter((c) => c.subject === 'output');
    expect(outputs.length).toBeGreaterThan(0);
    for (const c of outputs) expect(c.findings, c.key).toContain('re-render identical');
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.status).toBe('verified');
  });

  it('whose content is not what the upload gives is still named by verify', { timeout: 300_000 }, async () => {
    const key = plan.sources.find((s) => s.recordKey.split('/')[1] === PERIOD)!.recordKey;
    const stored = JSON.parse(new TextDecoder().decode((await deps.store.get(key))!.bytes));
    expect(stored.schemaVersion).toBe(2);
    expect(stored.expenditure.length).toBeGreaterThan(0);
    stored.expenditure[0].amount += 1;
    await deps.store.put(key, new TextEncoder().encode(JSON.stringify(stored)));
    const reissued = await generatePeriod(deps, { period: PERIOD, reason: 'test: a changed record', workers: 1 });
    expect(reissued.status).toBe('generated');
    const report = await verifyRevision(deps, PERIOD, (reissued as { revision: number }).revision);
    const failed = report.checks.filter((c) => !c.ok);
    expect(failed.map((c) => c.key)).toEqual([key]);
    expect(failed[0]!.findings.join('; ')).toMatch(/differs from its re-derivation in: expenditure$/);
    expect(report.status).toBe('mismatch');
  });
});
