/**
 * `archive verify` (docs/audit.md), which trusts nothing it reads: it reads every input of a revision from the
 * content-addressed archive and checks its hash, has the revision's own archived code re-derive each normalised
 * record from its raw upload and re-render every output from the plan (in a child process), compares the bytes,
 * rebuilds the manifest, and says per file whether it is what the archive claims. A revision archived before the
 * archive kept its code is hash-checked only and reported as "code not archived".
 */
import { keys } from '../../core/keys';
import { type Manifest, revisionBasis } from '../../core/manifest';
import type { CodeLimits } from '../archived-code';
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
import { revisionMaterial } from './verify-material';
import { previousFigures, rerenderRevision, verifyManifest, verifyOutputs } from './verify-outputs';

export {
  createVerifySession,
  type VerifyCheck,
  type VerifyReport,
  type VerifySession,
  type VerifyStatus,
} from './verify-context';

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
 * - code (manifest schema 2): the archived verifier bundle, its SHA-256, run in a child process on the inputs;
 * - registry and sources: the raw upload (from the archive's `blobs/`; schema 1: by key and version), its SHA-256
 *   equal to the manifest's; its normalised record present, naming that upload, and byte-identical to the record
 *   the revision's code re-derives from the raw upload (submissions against the registry version they were
 *   validated against, itself checked the same way);
 * - outputs: every report the plan produces is archived, listed in the manifest with its SHA-256 and size, and
 *   byte-identical to the revision's code's re-render; nothing else is in the folder;
 * - lineage: every source cell a figure cites is a manifest source with the same SHA-256;
 * - manifest: parses, repeats the plan, lists every input in its archive, and is byte-identical to the manifest
 *   rebuilt from the plan and the re-rendered outputs; optionally its SHA-256 equals one noted elsewhere.
 * Without archived code (schema 1, or `code: null`) every hash is checked and nothing re-derived or re-rendered:
 * the report's status is then `code-not-archived` when every check held.
 */
export async function verifyRevision(
  deps: Pick<ArchiveDeps, 'store'>,
  period: string,
  revision: number,
  options: { session?: VerifySession; expectManifestSha256?: string; codeLimits?: CodeLimits } = {},
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
  const report = (): VerifyReport => {
    const ok = checks.every((c) => c.ok);
    const codeArchived = ctx.material?.codeArchived ?? false;
    return {
      period,
      revision,
      ok: ok && codeArchived,
      status: !ok ? 'mismatch' : codeArchived ? 'verified' : 'code-not-archived',
      code: (codeArchived && manifest?.archive?.code?.sha256) || null,
      generatedAt: basis?.generatedAt ?? null,
      codeVersion: { archived: basis?.codeVersion ?? null, running: CODE_VERSION },
      manifestSha256,
      checks,
    };
  };
  if (!basis) {
    ctx.check(
      'manifest',
      manifestKey,
      [],
      [manifestRead ? 'does not parse as a manifest' : 'missing from the archive'],
    );
    return report();
  }
  ctx.material = await revisionMaterial(ctx, manifest, basis, () => previousFigures(ctx), options.codeLimits);
  // Hashes as the manifest records them (the auditor's document); the plan's when the manifest is unreadable.
  const recordedRegistrySha = manifest?.registry.sha256 ?? basis.registry.sha256;
  const registryEntry = await verifyRegistry(ctx, basis.registry.version, recordedRegistrySha, basis.registry.key);
  const submissions = await verifySubmissions(ctx, basis, manifest?.sources ?? basis.sources);
  const rerender = rerenderRevision(ctx, basis, registryEntry, submissions);
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
  options: { revision?: number; session?: VerifySession; expectManifestSha256?: string; codeLimits?: CodeLimits } = {},
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
