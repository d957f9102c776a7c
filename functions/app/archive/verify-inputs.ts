/**
 * `archive verify`, the inputs: the plan, the registry and each submission, hashed, and each record compared with
 * what the revision's own code derives again from the raw upload (`verify-material.ts` says where from).
 */
import { keys } from '../../core/keys';
import type { ManifestSource } from '../../core/manifest';
import { upgradeSubmission } from '../../core/submission-record';
import { type NormalisedSubmission, type Registry, SUBMISSION_SCHEMA_VERSION } from '../../core/types';
import { jsonBytes, sha256Hex } from '../deps';
import type { RevisionPlan } from '../revisions';
import { readJsonObject, tryParse } from './shared';
import { differingFields, type RegistryEntry, sameBytes, type VerifyContext } from './verify-context';

function isPlanShaped(p: RevisionPlan | null): p is RevisionPlan {
  return (
    !!p &&
    p.kind === 'plan' &&
    typeof p.generatedAt === 'string' &&
    Array.isArray(p.sources) &&
    Array.isArray(p.projectIds) &&
    typeof p.registry?.version === 'string'
  );
}

/** The plan: what the revision was built from, fixed before any file was written. */
export async function verifyPlan(ctx: VerifyContext): Promise<RevisionPlan | null> {
  const { period, revision } = ctx;
  const planKey = keys.plan(period, revision);
  const planRead = await readJsonObject<RevisionPlan>(ctx.store, planKey);
  if (!planRead) ctx.check('plan', planKey, [], ['missing from the archive']);
  else if (!isPlanShaped(planRead.value)) ctx.check('plan', planKey, [], ['does not parse as a plan']);
  else if (planRead.value.period !== period || planRead.value.revision !== revision)
    ctx.check('plan', planKey, [], [`names ${planRead.value.period} r${planRead.value.revision}`]);
  else {
    const plan = planRead.value;
    // Written as canonical JSON: any other bytes (even the same content re-spaced) mean the file was changed.
    const canonical = sameBytes(jsonBytes(plan), planRead.bytes);
    ctx.check(
      'plan',
      planKey,
      canonical ? ['parses, names this revision', 'canonical bytes'] : ['parses, names this revision'],
      canonical ? [] : ['same content, other bytes than the canonical plan'],
    );
    return plan;
  }
  return null;
}

/** A raw upload by key and version, hashed; returns its bytes when they are the recorded ones. */
async function verifyRaw(
  ctx: VerifyContext,
  subject: 'registry' | 'source',
  key: string,
  version: string,
  expectedSha: string,
): Promise<Uint8Array | null> {
  const read = await material(ctx).readRaw(key, version, expectedSha);
  if ('failures' in read) {
    ctx.check(subject, `${key}@${version}`, [], read.failures);
    return null;
  }
  ctx.check(subject, `${key}@${version}`, read.findings, []);
  return read.bytes;
}

function material(ctx: VerifyContext) {
  if (!ctx.material) throw new Error('verify: the revision material is read before its inputs');
  return ctx.material;
}

/** A stored record as the revision archived it: bytes and parsed value, or why not. */
async function readRecord<T>(
  ctx: VerifyContext,
  key: string,
): Promise<{ bytes: Uint8Array; value: T | null } | string> {
  const read = await material(ctx).readRecord(key);
  return 'problem' in read ? read.problem : { bytes: read.bytes, value: tryParse<T>(read.bytes) };
}

/**
 * The record as the revision's own code derives it again from its upload, compared byte for byte (a submission
 * record of an earlier schema: read as the re-derivation's schema, by content); without the code (not archived)
 * nothing is compared and the check says so without failing.
 */
function rederivation(ctx: VerifyContext, recordKey: string, stored: unknown, storedBytes: Uint8Array) {
  const again = material(ctx).rederived(recordKey);
  if (!again)
    return { findings: ['names its upload', 'not re-derived: the code that made it is not archived'], failures: [] };
  if (!again.bytes) return { findings: [], failures: [again.problem ?? 'the upload no longer parses into a record'] };
  if (sameBytes(again.bytes, storedBytes))
    return { findings: ['names its upload', 're-derived identical'], failures: [] };
  const derived = tryParse(again.bytes);
  const read = olderSubmissionRead(stored, derived);
  const fields = read ? differingContent(derived, read.upgraded) : differingFields(derived, stored);
  if (read && fields.length === 0)
    return { findings: ['names its upload', `re-derived identical when read as schema ${read.as}`], failures: [] };
  return {
    findings: [],
    failures: [`differs from its re-derivation in: ${fields.length ? fields.join(', ') : '(formatting only)'}`],
  };
}

/**
 * A submission record of an earlier schema than its re-derivation, read as that schema (`upgradeSubmission`, as
 * rendering reads it): today's code cannot write the old schema, so the content is compared, not the bytes.
 */
function olderSubmissionRead(stored: unknown, derived: unknown): { upgraded: unknown; as: number } | null {
  const version = (stored as { schemaVersion?: unknown } | null)?.schemaVersion;
  const target = (derived as { schemaVersion?: unknown } | null)?.schemaVersion;
  if ((stored as { kind?: unknown }).kind !== 'submission' || typeof version !== 'number') return null;
  if (target !== SUBMISSION_SCHEMA_VERSION || version >= target) return null;
  try {
    return { upgraded: upgradeSubmission(stored as NormalisedSubmission), as: target };
  } catch {
    return null;
  }
}

/** The fields whose JSON content differs, whatever the order of object keys (an upgrade rebuilds maps in another). */
function differingContent(a: unknown, b: unknown): string[] {
  const sorted = (_: string, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return ['(whole value)'];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const names = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return names.filter((n) => JSON.stringify(ra[n], sorted) !== JSON.stringify(rb[n], sorted));
}

/** The registry in force, or one a submission was validated against: its upload, its record, re-derived. */
export async function verifyRegistry(
  ctx: VerifyContext,
  version: string,
  expectedSha?: string,
  expectedKey?: string,
): Promise<RegistryEntry | null> {
  if (ctx.registries.has(version)) return ctx.registries.get(version) ?? null;
  ctx.registries.set(version, null);
  const recordKey = keys.registryVersion(version);
  const record = await readRecord<Registry>(ctx, recordKey);
  const registry = typeof record === 'string' ? null : record.value;
  const rawKey = expectedKey ?? registry?.source?.key;
  if (!rawKey) {
    ctx.check('registry', recordKey, [], [typeof record === 'string' ? `record ${record}` : 'record does not parse']);
    return null;
  }
  const raw = await verifyRaw(ctx, 'registry', rawKey, version, expectedSha ?? registry?.source?.sha256 ?? '');
  if (typeof record === 'string' || !registry) {
    ctx.check('record', recordKey, [], [typeof record === 'string' ? record : 'does not parse']);
    return null;
  }
  const failures = sourceMismatch(registry.source, rawKey, version, expectedSha);
  let findings: string[] = [];
  if (raw && failures.length === 0) {
    const again = rederivation(ctx, recordKey, registry, record.bytes);
    failures.push(...again.failures);
    findings = again.findings;
  } else if (!raw) failures.push('not re-derived: its upload failed its check');
  ctx.check('record', recordKey, findings, failures);
  const entry = { registry, recordSha: sha256Hex(record.bytes) };
  ctx.registries.set(version, entry);
  return entry;
}

/** Submissions: raw upload, record, and the record re-derived from the upload (null where a record is unusable). */
export async function verifySubmissions(
  ctx: VerifyContext,
  basis: Pick<RevisionPlan, 'sources'>,
  recordedSources: readonly ManifestSource[],
): Promise<(NormalisedSubmission | null)[]> {
  const recorded = new Map(recordedSources.map((s) => [`${s.key}\n${s.version}`, s.sha256]));
  const submissions: (NormalisedSubmission | null)[] = [];
  for (const s of basis.sources) {
    const raw = await verifyRaw(ctx, 'source', s.key, s.version, recorded.get(`${s.key}\n${s.version}`) ?? s.sha256);
    const record = await readRecord<NormalisedSubmission>(ctx, s.recordKey);
    const submission = typeof record === 'string' ? null : record.value;
    if (typeof record === 'string' || !submission || submission.kind !== 'submission') {
      ctx.check('record', s.recordKey, [], [typeof record === 'string' ? record : 'does not parse as a submission']);
      submissions.push(null);
      continue;
    }
    submissions.push(submission);
    const failures = sourceMismatch(submission.source, s.key, s.version, s.sha256);
    let findings: string[] = [];
    const validatedAgainst = submission.registryVersion
      ? await verifyRegistry(ctx, submission.registryVersion)
      : { registry: null, recordSha: '' };
    if (!raw) failures.push('not re-derived: its upload failed its check');
    else if (!validatedAgainst)
      failures.push(`not re-derived: registry ${submission.registryVersion} failed its check`);
    else if (failures.length === 0) {
      const again = rederivation(ctx, s.recordKey, submission, record.bytes);
      failures.push(...again.failures);
      findings = again.findings;
    }
    ctx.check('record', s.recordKey, findings, failures);
  }
  return submissions;
}

/** What in a record does not name the source it should. */
function sourceMismatch(
  source: { key?: string; version?: string; sha256?: string } | undefined,
  key: string,
  version: string,
  sha256: string | undefined,
): string[] {
  if (!source) return ['names no upload'];
  const bad = (['key', 'version', 'sha256'] as const).filter((f) => {
    const want = f === 'key' ? key : f === 'version' ? version : sha256;
    return want !== undefined && source[f] !== want;
  });
  return bad.length ? [`names another upload (${bad.join(', ')} differ)`] : [];
}
