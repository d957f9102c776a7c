/**
 * A synthetic programme of any size, put into a folder store the way the local runtime receives one: a registry
 * workbook under `registry/` and one submission workbook per project under `inbox/<project>/`, each file's
 * modification time its upload time, then every upload ingested by the real ingest (`ingestObject`). So the store
 * holds what a real run leaves: the uploads and the registry workbook (which a revision's self-contained archive
 * stores beside the records), the normalised records, receipts and the registry version.
 *
 * Project `i` copies sample project `i mod k` (the k sample projects with an accepted upload for the period, with
 * their targets, budget and that period's submission, participants included) under a new ID.
 */
import { mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FolderStore } from '../../functions/adapters/folder-store';
import { fixedClock } from '../../functions/adapters/system-clock';
import type { Deps } from '../../functions/app/deps';
import { ingestObject } from '../../functions/app/ingest';
import { mapLimit } from '../../functions/app/map-limit';
import { silentLogger } from '../../functions/core/ports';
import { activeProjects } from '../../functions/core/report-model';
import type { Registry } from '../../functions/core/types';
import { buildSampleData, type SampleRegistry } from '../../sample/sample-projects';
import { sampleRegistryBytes, sampleSubmissionBytes } from '../../sample/write-sample';
import type { SampleSet } from './sample';

export interface SyntheticProgramme {
  projects: number;
  /** Sample projects the synthetic ones copy. */
  templates: string[];
  /** Bytes of the submission records written. */
  submissionBytes: number;
  participants: number;
}

const pad = (n: number) => String(n).padStart(4, '0');

/** A file into the store's folder with its upload time, as `npm start` places the sample (sample/start.ts). */
async function place(root: string, key: string, bytes: Uint8Array, uploadedAt: Date): Promise<void> {
  const path = join(root, ...key.split('/'));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  await utimes(path, uploadedAt, uploadedAt);
}

export async function writeSyntheticProgramme(
  root: string,
  sample: SampleSet,
  period: string,
  count: number,
  ingestedAt: string,
): Promise<SyntheticProgramme> {
  const data = buildSampleData();
  const accepted = new Set(sample.submissions.filter((s) => s.period === period).map((s) => s.projectId));
  const uploads = new Map(
    data.submissions
      .filter((s) => s.content.period === period && accepted.has(s.content.projectId))
      .map((s) => [s.content.projectId, s]),
  );
  const templates = activeProjects(sample.registry, period).filter((p) => uploads.has(p.id));
  if (templates.length === 0) throw new Error(`no sample project has an accepted upload for ${period}`);
  const base = data.registry;
  const registry: SampleRegistry = {
    ...base,
    projects: [],
    targets: [],
    budget: [],
    recipients: [{ email: 'vaditajs@example.lv', role: 'manager', projects: [], language: 'lv' }],
  };
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const template = base.projects.find((p) => p.id === templates[i % templates.length]!.id)!;
    const id = `s${pad(i + 1)}-${template.id}`.slice(0, 64).replace(/-+$/, '');
    ids.push(id);
    registry.projects.push({ ...template, id, contractNo: `${template.contractNo}/${pad(i + 1)}` });
    registry.targets.push(
      ...base.targets.filter((t) => t.projectId === template.id).map((t) => ({ ...t, projectId: id })),
    );
    registry.budget.push(
      ...base.budget.filter((b) => b.projectId === template.id).map((b) => ({ ...b, projectId: id })),
    );
  }
  const deps: Deps = {
    store: new FolderStore(root),
    mailer: { send: async () => ({ messageId: 'not-sent' }) },
    clock: fixedClock(new Date(ingestedAt)),
    log: silentLogger,
    mailFrom: 'pmif@example.lv',
  };
  const registryUploadedAt = (await stat(join(sample.dir, sample.manifest.registry))).mtime;
  await place(root, 'registry/registry.xlsx', await sampleRegistryBytes(registry), registryUploadedAt);
  const registryOutcome = await ingestObject(deps, 'registry/registry.xlsx');
  if (registryOutcome.status !== 'accepted')
    throw new Error(`synthetic registry not accepted: ${registryOutcome.status}`);
  const registryRecord = await deps.store.get(registryOutcome.recordKey);
  const inForce = JSON.parse(new TextDecoder().decode(registryRecord!.bytes)) as Registry;

  let submissionBytes = 0;
  let participants = 0;
  // Workbooks are written one at a time (CPU); ingest overlaps a few (its reads and writes are small files).
  await mapLimit(ids, 4, async (id, i) => {
    const template = uploads.get(templates[i % templates.length]!.id)!;
    const key = `inbox/${id}/${period}.xlsx`;
    const bytes = await sampleSubmissionBytes({ ...template.content, projectId: id }, template.catalogue);
    await place(root, key, bytes, new Date(template.uploadedAt));
    const outcome = await ingestObject(deps, key, { registry: inForce });
    if (outcome.status !== 'accepted') throw new Error(`synthetic upload ${key} not accepted: ${outcome.status}`);
    const record = await deps.store.get(outcome.recordKey);
    submissionBytes += record!.bytes.byteLength;
    participants += template.content.participants?.length ?? 0;
  });
  return { projects: count, templates: templates.map((t) => t.id), submissionBytes, participants };
}
