/** `archive hold`: a legal hold on everything a period's revisions are and were built from. */
import { keys } from '../../core/keys';
import type { Manifest } from '../../core/manifest';
import type { RevisionPlan } from '../revisions';
import { type ArchiveDeps, ArchiveLookupError, archivedRevisions, readJsonObject } from './shared';

export interface HoldOutcome {
  period: string;
  revisions: number[];
  held: { key: string; version: string }[];
  /** Objects of the revision that this storage cannot hold, and why (e.g. a bucket without Object Lock). */
  notHeld: { key: string; version: string; reason: string }[];
}

/**
 * A legal hold on every object of the period's revisions (all, or the one given): the report files, plan and
 * manifest, and what they were built from (raw uploads by version, their records, the registry, and from manifest
 * schema 2 their copies and the code in the content-addressed archive). Where the storage
 * cannot hold an object (S3 outside the Object Lock bucket), it is listed with the reason instead.
 */
export async function holdPeriod(
  deps: ArchiveDeps,
  period: string,
  options: { revision?: number } = {},
): Promise<HoldOutcome> {
  const control = deps.control;
  if (!control) throw new ArchiveLookupError('this storage cannot place legal holds');
  const all = (await archivedRevisions(deps.store, period)).get(period);
  if (!all || all.size === 0) throw new ArchiveLookupError(`no archived revision of ${period}`);
  const revisions = options.revision === undefined ? [...all.keys()].sort((a, b) => a - b) : [options.revision];
  if (options.revision !== undefined && !all.has(options.revision))
    throw new ArchiveLookupError(`${period} has no revision r${options.revision}`);

  const targets = new Map<string, { key: string; version: string }>();
  const add = (key: string, version: string) => targets.set(`${key}\n${version}`, { key, version });
  for (const revision of revisions) {
    for (const info of await deps.store.list(keys.revisionPrefix(period, revision))) add(info.key, info.version);
    const basis =
      (await readJsonObject<RevisionPlan>(deps.store, keys.plan(period, revision)))?.value ??
      (await readJsonObject<Manifest>(deps.store, keys.manifest(period, revision)))?.value;
    if (!basis) continue;
    add(basis.registry.key, basis.registry.version);
    const records = [keys.registryVersion(basis.registry.version), ...basis.sources.map((s) => s.recordKey)];
    for (const s of basis.sources) add(s.key, s.version);
    for (const key of records) {
      const obj = await deps.store.get(key);
      if (obj) add(key, obj.version);
    }
    // Schema 2: the revision's inputs and code in the content-addressed archive.
    const archive = (await readJsonObject<Manifest>(deps.store, keys.manifest(period, revision)))?.value?.archive;
    const blobs = [...(archive?.items ?? []).map((i) => i.sha256), ...(archive?.code ? [archive.code.sha256] : [])];
    for (const sha of new Set(blobs)) {
      const obj = /^[0-9a-f]{64}$/.test(sha) ? await deps.store.get(keys.blob(sha)) : undefined;
      if (obj) add(keys.blob(sha), obj.version);
    }
  }
  const outcome: HoldOutcome = { period, revisions, held: [], notHeld: [] };
  for (const target of [...targets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (!control.canHold(target.key)) {
      outcome.notHeld.push({ ...target, reason: 'no Object Lock where it is stored (versioning keeps this version)' });
      continue;
    }
    await control.hold(target.key, target.version);
    outcome.held.push(target);
  }
  deps.log.info('archive.hold', { period, revisions: revisions.length, held: outcome.held.length });
  return outcome;
}
