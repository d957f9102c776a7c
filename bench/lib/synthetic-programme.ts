/**
 * A synthetic programme of any size, written straight into a folder store as the normalised records ingest would
 * have stored: one registry version and one submission per project for the period. Project `i` copies sample
 * project `i mod k` (the k sample projects active in the period, with their targets, budget and that period's
 * upload, participants included) under a new ID.
 */
import { FolderStore } from '../../functions/adapters/folder-store';
import { jsonBytes } from '../../functions/app/deps';
import { keys } from '../../functions/core/keys';
import { activeProjects } from '../../functions/core/report-model';
import type { NormalisedSubmission, Registry } from '../../functions/core/types';
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

export async function writeSyntheticProgramme(
  root: string,
  sample: SampleSet,
  period: string,
  count: number,
): Promise<SyntheticProgramme> {
  const store = new FolderStore(root);
  const uploads = new Map(sample.submissions.filter((s) => s.period === period).map((s) => [s.projectId, s]));
  const templates = activeProjects(sample.registry, period).filter((p) => uploads.has(p.id));
  if (templates.length === 0) throw new Error(`no sample project has an upload for ${period}`);
  const base = sample.registry;
  const version = `bench-registry-${count}`;
  const registry: Registry = {
    ...base,
    source: { ...base.source, key: 'registry/registry.xlsx', version },
    projects: [],
    targets: [],
    budget: [],
    recipients: [{ email: 'vaditajs@example.lv', role: 'manager', projects: [], language: 'lv' }],
  };
  const submissions: NormalisedSubmission[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length]!;
    const id = `s${pad(i + 1)}-${template.id}`.slice(0, 64).replace(/-+$/, '');
    registry.projects.push({ ...template, id, contractNo: `${template.contractNo}/${pad(i + 1)}` });
    registry.targets.push(
      ...base.targets.filter((t) => t.projectId === template.id).map((t) => ({ ...t, projectId: id })),
    );
    registry.budget.push(
      ...base.budget.filter((b) => b.projectId === template.id).map((b) => ({ ...b, projectId: id })),
    );
    const upload = uploads.get(template.id)!;
    submissions.push({
      ...upload,
      projectId: id,
      registryVersion: version,
      source: {
        ...upload.source,
        key: `inbox/${id}/${period}.xlsx`,
        version: `${upload.source.version.slice(0, 24)}-${pad(i + 1)}`,
      },
    });
  }
  await store.put(keys.registryVersion(version), jsonBytes(registry), { contentType: 'application/json' });
  let submissionBytes = 0;
  let participants = 0;
  // A few writes at a time: the folder store's writes are small and independent.
  const queue = [...submissions];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        const bytes = jsonBytes(s);
        submissionBytes += bytes.byteLength;
        participants += s.participantRows;
        await store.put(keys.submission(s.period, s.projectId, s.source.version), bytes, {
          contentType: 'application/json',
        });
      }
    }),
  );
  return { projects: count, templates: templates.map((t) => t.id), submissionBytes, participants };
}
