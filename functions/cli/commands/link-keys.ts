/**
 * `pmif-reports link-keys rotate|revoke-previous`: the local rotation of the keys that sign upload links. Rotate
 * makes a new current key and keeps the old one as previous (mailed links keep working); revoke-previous drops it.
 */
import { Command } from 'commander';
import { linkKeysFlag, storeFlag } from '../options';

/** The key file adapter and the default path load when a subcommand runs, not for --help. */
async function keyFile() {
  const [adapter, { defaultLinkKeyFile }] = await Promise.all([
    import('../../adapters/key-file'),
    import('../local-deps'),
  ]);
  return { ...adapter, defaultLinkKeyFile };
}

export function linkKeysCommand(): Command {
  const keys = new Command('link-keys').description('rotate or revoke the keys that sign upload links (local mode)');
  keys
    .command('rotate')
    .description('new current key; the old one stays valid as the previous key, so mailed links keep working')
    .addOption(storeFlag('the store folder'))
    .addOption(linkKeysFlag())
    .action(async (opts: { store: string; linkKeys?: string }) => {
      const { rotateKeyFile, defaultLinkKeyFile } = await keyFile();
      await rotateKeyFile(opts.linkKeys ?? defaultLinkKeyFile(opts.store));
      process.stdout.write('rotated: new links use the new key; links signed with the previous key still work\n');
    });
  keys
    .command('revoke-previous')
    .description('drop the previous key: every link it signed stops working')
    .addOption(storeFlag('the store folder'))
    .addOption(linkKeysFlag())
    .action(async (opts: { store: string; linkKeys?: string }) => {
      const { revokePreviousKey, defaultLinkKeyFile } = await keyFile();
      await revokePreviousKey(opts.linkKeys ?? defaultLinkKeyFile(opts.store));
      process.stdout.write('revoked: links signed with the previous key no longer work\n');
    });
  return keys;
}
