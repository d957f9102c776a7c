/**
 * `pmif-reports purge-upload <key> --version V --reason TEXT`: remove an upload that should never have been kept
 * (see app/purge-upload.ts). On a store folder (`--store DIR`) or the data bucket (`--bucket NAME`, with the
 * credentials of the stack's purge role: the only role allowed to delete an upload version).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Command } from 'commander';
import { type ActionSpec, addCommand, optional } from '../command-spec';
import { SHARED } from '../options';

/** What tests inject; the command line passes none. */
export interface PurgeCommandOptions {
  s3Client?: S3Client;
  write?: (text: string) => void;
}

interface Flags {
  version: string;
  reason: string;
  store?: string;
  bucket?: string;
}

async function s3Store(bucket: string, client?: S3Client) {
  const { S3Store } = await import('../../adapters/s3-store');
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Store({ client: client ?? new S3Client({}), bucket });
}

/** The command, declared; what tests inject goes in `options`. */
export function purgeUploadSpec(options: PurgeCommandOptions = {}): ActionSpec {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  return {
    name: 'purge-upload',
    description: 'delete one upload version, its rejection record and annotated copy; leave a purge record',
    arguments: [{ name: '<key>', description: 'the upload, e.g. inbox/<project>/<file>.xlsx' }],
    options: [
      { flags: '--version <id>', description: 'the exact object version to delete', required: true },
      { flags: '--reason <text>', description: 'why (kept in the purge record)', required: true },
      optional(SHARED.store, 'the store folder (laid out like the bucket)'),
      { flags: '--bucket <name>', description: 'the data bucket on S3 (run with the purge role)', conflicts: 'store' },
    ],
    action: async (key: string, flags: Flags) => {
      if (!flags.store && !flags.bucket) throw new Error('give --store DIR or --bucket NAME');
      // Loaded when the command runs, so `--help` and the other commands stay light (see cli-bundle.test.ts).
      const { jsonLogger, systemClock } = await import('../../adapters/system-clock');
      const { PurgeRefusedError, purgeUpload } = await import('../../app/purge-upload');
      const store = flags.store
        ? new (await import('../../adapters/folder-store')).FolderStore(flags.store)
        : await s3Store(flags.bucket!, options.s3Client);
      try {
        const record = await purgeUpload(
          {
            store,
            purger: store,
            clock: systemClock,
            log: jsonLogger((line) => void process.stderr.write(`${line}\n`)),
          },
          { key, version: flags.version, reason: flags.reason },
        );
        write(`purged ${record.deleted.length} object(s); record: purges/${record.version}.json\n`);
        for (const d of record.deleted) write(`  ${d.key} ${d.version} sha256 ${d.sha256}\n`);
      } catch (err) {
        if (!(err instanceof PurgeRefusedError)) throw err;
        write(`not purged: ${err.message}\n`);
        process.exitCode = 1;
      }
    },
  };
}

/** Adds the command to `program`. */
export function purgeUploadCommand(program: Command, options: PurgeCommandOptions = {}): Command {
  return addCommand(program, purgeUploadSpec(options));
}
