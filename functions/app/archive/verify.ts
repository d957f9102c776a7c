/**
 * The auditor's archive (docs/architecture.md §1, §6): what exists, the files of one report with the exact sources behind it,
 * legal holds, and `verify`, which trusts nothing it reads: it re-reads every source by version, checks its hash,
 * re-derives its normalised record from the raw upload, re-renders every output from the revision's plan and
 * rebuilds the manifest, and says per file whether it is what the archive claims.
 */
import { keys } from '../../core/keys';
import { type Manifest, revisionBasis } from '../../core/manifest';
import { CODE_VERSION } from '../code-version';
import { sha256Hex } from '../deps';
import type { RevisionPlan } from '../revisions';
import {
  type ArchiveDeps,
  ArchiveLookupError,
  chooseRevision,
  completeRevisions,
  isManifestShaped,
  PROGRAMME,
  readJsonObject,
  subjectOf,
} from './shared';
import {
  createVerifySession,
  type VerifyCheck,
  type VerifyContext,
  type VerifyReport,
  type VerifySession,
} from './verify-context';
import { verifyPlan, verifyRegistry, verifySubmissions } from './verify-inputs';
import { rerenderRevision, verifyManifest, verifyOutputs } from './verify-outputs';

export { createVerifySession, type VerifyCheck, type VerifyReport, type VerifySession } from './verify-context';

/** A plan rebuilt from the manifest, when the plan itself is gone: outputs can still be re-rendered and compared. */
function planFromManifest(m: Manifest): RevisionPlan {
  const projectIds = [
    ...new Set(
      m.outputs
        .map((o) => o.key)
        .filter((k) => k.endsWith('.pdf'))
        .map((k) => subjectOf(k)!)
        .filter((id) => id !== PROGRAMME),
    ),
  ];
  return { schemaVersion: 1, kind: 'plan', ...revisionBasis(m), projectIds };
}

/**
 * Verify one complete revision. Nothing read is trusted; every object is named in a check:
 * - plan: present, parses, names this period and revision;
 * - registry and sources: the raw upload read by key and version, its SHA-256 equal to the manifest's; its
 *   normalised record present, naming that upload, and byte-identical to the record re-derived from the raw
 *   upload (submissions against the registry version they were validated against, itself checked the same way);
 * - outputs: every report the plan produces is archived, listed in the manifest with its SHA-256 and size, and
 *   byte-identical to a re-render from the plan's sources, generated-at and language; nothing else is in the folder;
 * - lineage: every source cell a figure cites is a manifest source with the same SHA-256;
 * - manifest: parses, repeats the plan, and is byte-identical to the manifest rebuilt from the plan and the
 *   re-rendered outputs (so no byte of it can change unnoticed); optionally its SHA-256 equals one noted elsewhere.
 */
export async function verifyRevision(
  deps: Pick<ArchiveDeps, 'store'>,
  period: string,
  revision: number,
  options: { session?: VerifySession; expectManifestSha256?: string } = {},
): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const ctx: VerifyContext = {
    store: deps.store,
    session: options.session ?? createVerifySession(),
    period,
    revision,
    registries: new Map(),
    check: (subject, key, findings, failures) =>
      checks.push({ subject, key, ok: failures.length === 0, findings: [...failures, ...findings] }),
  };
  const plan = await verifyPlan(ctx);

  // The manifest, read now and judged last (its rebuild needs the re-rendered outputs).
  const manifestKey = keys.manifest(period, revision);
  const manifestRead = await readJsonObject<Manifest>(deps.store, manifestKey);
  const manifestSha256 = manifestRead ? sha256Hex(manifestRead.bytes) : null;
  const manifest = manifestRead && isManifestShaped(manifestRead.value) ? manifestRead.value : null;
  const basis = plan ?? (manifest ? planFromManifest(manifest) : null);
  const report = (): VerifyReport => ({
    period,
    revision,
    ok: checks.every((c) => c.ok),
    generatedAt: basis?.generatedAt ?? null,
    codeVersion: { archived: basis?.codeVersion ?? null, running: CODE_VERSION },
    manifestSha256,
    checks,
  });
  if (!basis) {
    ctx.check(
      'manifest',
      manifestKey,
      [],
      [manifestRead ? 'does not parse as a manifest' : 'missing from the archive'],
    );
    return report();
  }
  // Hashes as the manifest records them (the auditor's document); the plan's when the manifest is unreadable.
  const recordedRegistrySha = manifest?.registry.sha256 ?? basis.registry.sha256;
  const registryEntry = await verifyRegistry(ctx, basis.registry.version, recordedRegistrySha, basis.registry.key);
  const submissions = await verifySubmissions(ctx, basis, manifest?.sources ?? basis.sources);
  const rerender = await rerenderRevision(ctx, basis, registryEntry, submissions);
  const outputKeys = await verifyOutputs(ctx, manifest, rerender);

  // Nothing else belongs in the revision's folder.
  const expected = new Set([keys.plan(period, revision), manifestKey, ...outputKeys]);
  for (const info of await deps.store.list(keys.revisionPrefix(period, revision))) {
    if (!expected.has(info.key)) ctx.check('revision', info.key, [], ['not part of the revision (unexpected object)']);
  }
  verifyManifest(ctx, { key: manifestKey, read: manifestRead, manifest, plan, sha256: manifestSha256 }, rerender, {
    expectSha256: options.expectManifestSha256,
  });
  return report();
}

/** Every complete revision of a period (or the one given), verified. */
export async function verifyPeriod(
  deps: Pick<ArchiveDeps, 'store'>,
  period: string,
  options: { revision?: number; session?: VerifySession; expectManifestSha256?: string } = {},
): Promise<VerifyReport[]> {
  const revisions =
    options.revision === undefined
      ? await completeRevisions(deps.store, period)
      : [await chooseRevision(deps.store, period, options.revision)];
  if (revisions.length === 0) throw new ArchiveLookupError(`no archived revision of ${period}`);
  const session = options.session ?? createVerifySession();
  const out: VerifyReport[] = [];
  for (const revision of revisions) out.push(await verifyRevision(deps, period, revision, { ...options, session }));
  return out;
}
