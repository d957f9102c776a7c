/**
 * `pmif-reports link-keys rotate|revoke-previous`: the local rotation of the keys that sign upload links. Rotate
 * makes a new current key and keeps the old one as previous (mailed links keep working); revoke-previous drops it.
 */
import type { ActionSpec, GroupSpec } from '../command-spec';
import { SHARED } from '../options';

/** The key file adapter and the default path load when a subcommand runs, not for --help. */
async function keyFile() {
  const [adapter, { defaultLinkKeyFile }] = await Promise.all([
    import('../../adapters/key-file'),
    import('../local-deps'),
  ]);
  return { ...adapter, defaultLinkKeyFile };
}

/** The two subcommands: what each does to the key file, and what it prints when done. */
const SUBCOMMANDS = [
  {
    name: 'rotate',
    description: 'new current key; the old one stays valid as the previous key, so mailed links keep working',
    act: 'rotateKeyFile',
    done: 'rotated: new links use the new key; links signed with the previous key still work',
  },
  {
    name: 'revoke-previous',
    description: 'drop the previous key: every link it signed stops working',
    act: 'revokePreviousKey',
    done: 'revoked: links signed with the previous key no longer work',
  },
] as const;

export const linkKeysSpec: GroupSpec = {
  name: 'link-keys',
  description: 'rotate or revoke the keys that sign upload links (local mode)',
  commands: SUBCOMMANDS.map(
    (sub): ActionSpec => ({
      name: sub.name,
      description: sub.description,
      options: [SHARED.store, SHARED.linkKeys],
      action: async (opts: { store: string; linkKeys?: string }) => {
        const file = await keyFile();
        await file[sub.act](opts.linkKeys ?? file.defaultLinkKeyFile(opts.store));
        process.stdout.write(`${sub.done}\n`);
      },
    }),
  ),
};
