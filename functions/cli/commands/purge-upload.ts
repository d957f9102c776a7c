/**
 * `pmif-reports purge-upload <key> --version V --reason TEXT`: remove an upload that should never have been kept
 * (see app/purge-upload.ts). On a store folder (`--store DIR`) or the data bucket (`--bucket NAME`, with the
 * credentials of the stack's purge role: the only role allowed to delete an upload version).
 */
import { S3Client } from '@aws-sdk/client-s3';
import { type Command, Option } from 'commander';
import { FolderStore } from '../../adapters/folder-store';
import { S3Store } from '../../adapters/s3-store';
import { jsonLogger, systemClock } from '../../adapters/system-clock';
import { PurgeRefusedError, purgeUpload } from '../../app/purge-upload';
import { storeFlag } from '../options';

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

/** Adds the command to `program`. */
export function purgeUploadCommand(program: Command, options: PurgeCommandOptions = {}): Command {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  return program
    .command('purge-upload')
    .description('delete one upload version, its rejection record and annotated copy; leave a purge record')
    .argument('<key>', 'the upload, e.g. inbox/<project>/<file>.xlsx')
    .requiredOption('--version <id>', 'the exact object version to delete')
    .requiredOption('--reason <text>', 'why (kept in the purge record)')
    .addOption(storeFlag('the store folder (laid out like the bucket)', false))
    .addOption(new Option('--bucket <name>', 'the data bucket on S3 (run with the purge role)').conflicts('store'))
    .action(async (key: string, flags: Flags) => {
      if (!flags.store && !flags.bucket) throw new Error('give --store DIR or --bucket NAME');
      const store = flags.store
        ? new FolderStore(flags.store)
        : new S3Store({ client: options.s3Client ?? new S3Client({}), bucket: flags.bucket! });
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
    });
}
