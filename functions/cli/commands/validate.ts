/** `pmif-reports validate`: the dry run of ingest on one workbook, every issue printed, nothing stored. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { contentVersion } from '../../adapters/folder-store';
import { sha256Hex } from '../../app/deps';
import { hasErrors } from '../../core/issue-codes';
import { rigaDate } from '../../core/period';
import type { SourceRef } from '../../core/types';
import { type ActionSpec, described, optional } from '../command-spec';
import { formatIssueTable } from '../format-issues';
import { openStoreFolder, parseNow, SHARED } from '../options';

/** A file's source reference as the folder store would version it (uploaded at the epoch: a dry run has no time). */
function fileSource(bytes: Uint8Array, key: string): SourceRef {
  return {
    key,
    version: contentVersion(bytes),
    sha256: sha256Hex(bytes),
    bytes: bytes.byteLength,
    uploadedAt: new Date(0).toISOString(),
  };
}

export const validateSpec: ActionSpec = {
  name: 'validate',
  description: 'dry run: check a submission or registry workbook and print every issue (exit 1 on any error)',
  arguments: [{ name: '<file>', description: 'the .xlsx workbook' }],
  options: [
    { flags: '--registry <file>', description: 'registry workbook to validate against' },
    optional(SHARED.store, 'store whose registry in force to validate against'),
    { flags: '--project <id>', description: 'the inbox folder the file would be uploaded to' },
    described(SHARED.now, 'today, for period checks (default: the system clock)'),
    described(SHARED.json, 'print the issues as JSON'),
  ],
  action: async (
    file: string,
    opts: { registry?: string; store?: string; project?: string; now?: string; json?: boolean },
  ) => {
    // Loaded when the command runs, so that --help and the other commands never load the workbook reader.
    const { readRegistryWorkbook, validateWorkbook } = await import('../../app/validate-workbook');
    const bytes = new Uint8Array(await readFile(file));
    const issues = await validateWorkbook(bytes, basename(file), {
      source: fileSource,
      project: opts.project,
      today: () => rigaDate(opts.now ? parseNow(opts.now) : new Date()),
      registry: async () => {
        if (opts.registry) {
          const registryBytes = new Uint8Array(await readFile(opts.registry));
          return readRegistryWorkbook(registryBytes, fileSource(registryBytes, `registry/${basename(opts.registry)}`));
        }
        if (opts.store) {
          const [{ FolderStore }, { loadRegistryInForce }] = await Promise.all([
            import('../../adapters/folder-store'),
            import('../../app/registry-store'),
          ]);
          return { registry: await loadRegistryInForce(new FolderStore(openStoreFolder(opts.store))), issues: [] };
        }
        return { registry: null, issues: [] };
      },
    });
    process.stdout.write(opts.json ? `${JSON.stringify(issues, null, 2)}\n` : `${formatIssueTable(issues)}\n`);
    process.exitCode = hasErrors(issues) ? 1 : 0;
  },
};
