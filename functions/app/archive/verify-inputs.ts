/** `archive verify`, the inputs: the plan, the registry and each submission, hashed, re-derived from the raw upload. */
import { keys, parseInboxKey } from '../../core/keys';
import type { ManifestSource } from '../../core/manifest';
import { parsePeriod, periodStart, rigaDate } from '../../core/period';
import type { NormalisedSubmission, Registry } from '../../core/types';
import { parseRegistry } from '../../intake/read-registry';
import { parseSubmission } from '../../intake/read-submission';
import { readXlsx } from '../../intake/read-xlsx';
import { jsonBytes, recordBytes, sha256Hex } from '../deps';
import type { RevisionPlan } from '../revisions';
import { readJsonObject } from './shared';
import { differingFields, type RegistryEntry, sameBytes, short, type VerifyContext } from './verify-context';

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
  const label = `${key}@${version}`;
  const obj = await ctx.store.get(key, version);
  if (!obj) {
    const current = await ctx.store.get(key);
    ctx.check(
      subject,
      label,
      [],
      [
        `version ${version} is not in the store`,
        current
          ? `the current content is version ${current.version}, sha256 ${short(sha256Hex(current.bytes))}`
          : 'no object under this key',
      ],
    );
    return null;
  }
  const actual = sha256Hex(obj.bytes);
  if (actual !== expectedSha) {
    ctx.check(subject, label, [], [`sha256 ${short(actual)} ≠ manifest ${short(expectedSha)}`]);
    return null;
  }
  ctx.check(subject, label, ['hash ok'], []);
  return obj.bytes;
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
  const record = await readJsonObject<Registry>(ctx.store, recordKey);
  const registry = record?.value ?? null;
  const rawKey = expectedKey ?? registry?.source?.key;
  if (!rawKey) {
    ctx.check('registry', recordKey, [], [record ? 'record does not parse' : 'record missing from the archive']);
    return null;
  }
  const raw = await verifyRaw(ctx, 'registry', rawKey, version, expectedSha ?? registry?.source?.sha256 ?? '');
  if (!record || !registry) {
    ctx.check('record', recordKey, [], [record ? 'does not parse' : 'missing from the archive']);
    return null;
  }
  const failures = sourceMismatch(registry.source, rawKey, version, expectedSha);
  let findings: string[] = [];
  if (raw && failures.length === 0) {
    const cacheKey = `registry\n${sha256Hex(raw)}\n${sha256Hex(record.bytes)}`;
    let diff = ctx.session.rederived.get(cacheKey);
    if (!diff) {
      const read = readXlsx(raw);
      const again = read.ok ? parseRegistry(read.workbook, registry.source).registry : null;
      diff = rederivationDiff(again, registry, record.bytes);
      ctx.session.rederived.set(cacheKey, diff);
    }
    failures.push(...diff);
    findings = ['names its upload', 're-derived identical'];
  } else if (!raw) failures.push('not re-derived: its upload failed its check');
  ctx.check('record', recordKey, findings, failures);
  const entry = { registry, recordSha: sha256Hex(record.bytes) };
  ctx.registries.set(version, entry);
  return entry;
}

/** Submissions: raw upload, record, and the record re-derived from the upload (null where a record is unusable). */
export async function verifySubmissions(
  ctx: VerifyContext,
  basis: RevisionPlan,
  recordedSources: readonly ManifestSource[],
): Promise<(NormalisedSubmission | null)[]> {
  const recorded = new Map(recordedSources.map((s) => [`${s.key}\n${s.version}`, s.sha256]));
  const submissions: (NormalisedSubmission | null)[] = [];
  for (const s of basis.sources) {
    const raw = await verifyRaw(ctx, 'source', s.key, s.version, recorded.get(`${s.key}\n${s.version}`) ?? s.sha256);
    const record = await readJsonObject<NormalisedSubmission>(ctx.store, s.recordKey);
    const submission = record?.value ?? null;
    if (!record || !submission || submission.kind !== 'submission') {
      ctx.check('record', s.recordKey, [], [record ? 'does not parse as a submission' : 'missing from the archive']);
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
      const cacheKey = `submission\n${sha256Hex(raw)}\n${sha256Hex(record.bytes)}\n${validatedAgainst.recordSha}`;
      let diff = ctx.session.rederived.get(cacheKey);
      if (!diff) {
        diff = rederiveSubmission(raw, submission, validatedAgainst.registry, s.key, record.bytes);
        ctx.session.rederived.set(cacheKey, diff);
      }
      failures.push(...diff);
      findings = ['names its upload', 're-derived identical'];
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

function rederivationDiff(again: unknown, stored: unknown, storedBytes: Uint8Array): string[] {
  if (!again) return ['the upload no longer parses into a record'];
  if (sameBytes(recordBytes(again), storedBytes)) return [];
  const fields = differingFields(again, stored);
  return [`differs from its re-derivation in: ${fields.length ? fields.join(', ') : '(formatting only)'}`];
}

/**
 * The record ingest would make of this upload. The only clock-dependent rule refuses periods that had not begun
 * at ingest; the record exists, so that rule passed then, and any date from the period's start on gives the same
 * record. The upload's own date (or the period's start, if later) is used.
 */
function rederiveSubmission(
  raw: Uint8Array,
  stored: NormalisedSubmission,
  registry: Registry | null,
  key: string,
  storedBytes: Uint8Array,
): string[] {
  const read = readXlsx(raw);
  if (!read.ok) return ['the upload no longer parses into a record'];
  const uploaded = rigaDate(new Date(stored.source.uploadedAt));
  const period = parsePeriod(stored.period);
  const start = period ? periodStart(period) : uploaded;
  const result = parseSubmission(read.workbook, stored.source, {
    registry,
    folder: parseInboxKey(key)?.folder ?? null,
    today: uploaded > start ? uploaded : start,
  });
  return rederivationDiff(result.submission, stored, storedBytes);
}
