/**
 * The sample programme as the bench uses it: written once by the sample writer (real workbooks, the templates'
 * layout), then read back through the real reader and validators into a registry and normalised submissions.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { contentVersion } from '../../functions/adapters/folder-store';
import { sha256Hex } from '../../functions/app/deps';
import type { NormalisedSubmission, Registry, SourceRef } from '../../functions/core/types';
import { parseRegistry } from '../../functions/intake/read-registry';
import { parseSubmission } from '../../functions/intake/read-submission';
import { readXlsx } from '../../functions/intake/read-xlsx';
import { SAMPLE_NOW, type SampleManifest, writeSampleData } from '../../sample/write-sample';

export interface SampleSet {
  dir: string;
  manifest: SampleManifest;
  registry: Registry;
  /** Every accepted sample upload. */
  submissions: NormalisedSubmission[];
}

async function sourceOf(dir: string, key: string, file: string): Promise<{ bytes: Uint8Array; source: SourceRef }> {
  const path = join(dir, ...file.split('/'));
  const bytes = new Uint8Array(await readFile(path));
  const info = await stat(path);
  return {
    bytes,
    source: {
      key,
      version: contentVersion(bytes),
      sha256: sha256Hex(bytes),
      bytes: bytes.byteLength,
      uploadedAt: info.mtime.toISOString(),
    },
  };
}

/** Write the sample under `dir` and read it back, as ingest would. */
export async function prepareSample(dir: string): Promise<SampleSet> {
  const manifest = await writeSampleData(dir);
  const reg = await sourceOf(dir, 'registry/registry.xlsx', manifest.registry);
  const read = readXlsx(reg.bytes);
  if (!read.ok) throw new Error(`sample registry unreadable: ${read.problem.code}`);
  const registry = parseRegistry(read.workbook, reg.source).registry;
  if (!registry) throw new Error('sample registry did not validate');
  const submissions: NormalisedSubmission[] = [];
  for (const s of manifest.submissions) {
    const { bytes, source } = await sourceOf(dir, `inbox/${s.projectId}/${s.period}.xlsx`, s.file);
    const wb = readXlsx(bytes);
    if (!wb.ok) throw new Error(`sample ${s.file} unreadable: ${wb.problem.code}`);
    const result = parseSubmission(wb.workbook, source, { registry, folder: s.projectId, today: SAMPLE_NOW });
    if (result.submission) submissions.push(result.submission);
  }
  return { dir, manifest, registry, submissions };
}
