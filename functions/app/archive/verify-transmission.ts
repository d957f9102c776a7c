/**
 * `archive verify` of an Art. 42 transmission, as of a report revision (`verify.ts`), over the same phases: its
 * inputs read from the content-addressed archive and hash-checked, every record re-derived from its upload and both
 * editions re-rendered by the transmission's own archived code (protocol 2, in a child process), compared byte for
 * byte, and its figures rebuilt. A transmission archived before transmissions kept their code (manifest schema 1)
 * is hash-checked where its inputs were uploaded and reported as "code not archived", not as tampered.
 */
import { keys } from '../../core/keys';
import { TRANSMISSION_PROTOCOL, type TransmissionJob } from '../../core/verifier-protocol';
import type { CodeLimits, CodeRun } from '../archived-code';
import { CODE_VERSION } from '../code-version';
import type { TransmissionManifest } from '../transmission';
import { readJsonObject } from './shared';
import { createVerifySession, type VerifyCheck, type VerifyContext, type VerifyReport } from './verify-context';
import { verifyRegistry, verifySubmissions } from './verify-inputs';
import { archiveMaterial } from './verify-material';
import { archiveOmissions, verifyOutputs } from './verify-outputs';

/** The transmission's plan: present, and naming the cut-off, revision and generated-at time of its manifest. */
async function verifyTransmissionPlan(ctx: VerifyContext, manifest: TransmissionManifest): Promise<void> {
  const key = keys.transmissionPlan(manifest.cutoff, manifest.revision);
  const read = await readJsonObject<Record<string, unknown>>(ctx.store, key);
  const plan = read?.value;
  if (!plan) return ctx.check('plan', key, [], ['missing from the archive or does not parse']);
  const same =
    plan.kind === 'transmission-plan' &&
    plan.cutoff === manifest.cutoff &&
    plan.revision === manifest.revision &&
    plan.generatedAt === manifest.generatedAt;
  ctx.check('plan', key, same ? ['names this transmission, as its manifest does'] : [], same ? [] : ['names another']);
}

/** The manifest: names what was asked for, is the schema it says, lists its inputs; its figures as rebuilt. */
function verifyTransmissionManifest(
  ctx: VerifyContext,
  manifest: TransmissionManifest,
  key: string,
  run: CodeRun | null,
): void {
  const failures: string[] = [];
  const findings: string[] = [`schema ${manifest.schemaVersion}`];
  if (manifest.cutoff !== ctx.period || manifest.revision !== ctx.revision)
    failures.push(`names ${manifest.cutoff} r${manifest.revision}`);
  // A schema-2 manifest stripped of its archive would pass for an old one: the schema and the section must agree.
  if (manifest.schemaVersion === 2) failures.push(...archiveOmissions(manifest, manifest));
  else if (manifest.schemaVersion !== 1 || 'archive' in manifest) failures.push('its schema and contents disagree');
  if (!run) findings.push('figures not rebuilt: the code that made it is not archived');
  else if (JSON.stringify(run.transmissionFigures) === JSON.stringify(manifest.figures))
    findings.push('figures rebuilt identical');
  else failures.push(run.failures.length ? `figures not rebuilt: ${run.failures.join('; ')}` : 'figures differ');
  ctx.check('manifest', key, findings, failures);
}

/**
 * Verify one transmission revision (the latest, or `revision`). Every object is named in a check: the plan, the
 * code, the registry and every source (upload hashed, record re-derived), both editions (hash, re-render), the
 * manifest (schema, inputs listed, figures rebuilt) and nothing else in the revision's folder.
 */
export async function verifyArchivedTransmission(
  store: VerifyContext['store'],
  read: { manifest: TransmissionManifest; manifestKey: string; manifestSha256: string },
  codeLimits?: CodeLimits,
): Promise<VerifyReport> {
  const { manifest, manifestKey, manifestSha256 } = read;
  const checks: VerifyCheck[] = [];
  const ctx: VerifyContext = {
    store,
    session: createVerifySession(),
    period: manifest.cutoff,
    revision: manifest.revision,
    registries: new Map(),
    check: (subject, key, findings, failures) =>
      checks.push({ subject, key, ok: failures.length === 0, findings: [...failures, ...findings] }),
  };
  await verifyTransmissionPlan(ctx, manifest);
  const transmission: TransmissionJob = {
    cutoff: manifest.cutoff,
    revision: manifest.revision,
    generatedAt: manifest.generatedAt,
  };
  const protocol = TRANSMISSION_PROTOCOL;
  const job = { basis: manifest, plan: null, transmission, protocol, previousFigures: async () => null };
  ctx.material = await archiveMaterial(ctx, manifest.archive, job, codeLimits);
  const { registry } = manifest;
  await verifyRegistry(ctx, registry.version, registry.sha256, registry.key);
  await verifySubmissions(ctx, manifest, manifest.sources);
  const run = ctx.material.run;
  const rerender = run && { rendered: run.rendered, programmeFacts: null, failures: run.failures };
  const outputKeys = await verifyOutputs(ctx, manifest, rerender);
  verifyTransmissionManifest(ctx, manifest, manifestKey, run);
  const expected = new Set([keys.transmissionPlan(manifest.cutoff, manifest.revision), manifestKey, ...outputKeys]);
  for (const info of await store.list(keys.transmissionRevisionPrefix(manifest.cutoff, manifest.revision)))
    if (!expected.has(info.key)) ctx.check('revision', info.key, [], ['not part of the revision (unexpected object)']);
  const ok = checks.every((c) => c.ok);
  const codeArchived = ctx.material.codeArchived;
  return {
    period: manifest.cutoff,
    revision: manifest.revision,
    ok: ok && codeArchived,
    status: !ok ? 'mismatch' : codeArchived ? 'verified' : 'code-not-archived',
    code: (codeArchived && manifest.archive?.code?.sha256) || null,
    generatedAt: manifest.generatedAt,
    codeVersion: { archived: manifest.codeVersion, running: CODE_VERSION },
    manifestSha256,
    checks,
  };
}
