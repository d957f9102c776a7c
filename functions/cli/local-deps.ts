/** The local runtime's composition root: a folder as the bucket, an outbox folder as the mail server. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FolderStore } from '../adapters/folder-store';
import { KeyFileLinkKeys } from '../adapters/key-file';
import { OutboxMailer } from '../adapters/outbox-mailer';
import { fixedClock, jsonLogger, systemClock } from '../adapters/system-clock';
import { memoCode, readCodeBundle } from '../app/code-bundle';
import { type CodeBundle, type Deps, sha256Hex } from '../app/deps';
import { silentLogger } from '../core/ports';
import { openStoreFolder, parseNow } from './options';

export { parseNow };

export const LOCAL_MAIL_FROM = 'pmif-reports@localhost';

export interface LocalOptions {
  store: string;
  outbox?: string;
  now?: string;
  verbose?: boolean;
  /** The port `serve` listens on: the upload links in e-mails point to `http://localhost:<port>/` (default 8787). */
  port?: number;
  /** The upload-link key file (default: `link-keys.json` beside the store). */
  linkKeys?: string;
  /** Largest managers' e-mail with reports attached (default 10 MB); set low to see every report linked. */
  maxMailBytes?: number;
}

/** Where `serve` listens unless told otherwise, and so where local upload links point. */
export const DEFAULT_LINK_PORT = 8787;

export function defaultOutbox(store: string): string {
  return join(dirname(resolve(store)), 'outbox');
}

/** The key file that signs local upload links: beside the store, never inside it (the store plays the bucket). */
export function defaultLinkKeyFile(store: string): string {
  return join(dirname(resolve(store)), 'link-keys.json');
}

/**
 * The code archived with each revision. The bundled command line (`dist/cli`) archives `dist/verifier`, which
 * `npm run build` makes from the same sources at the same time. Run from the sources (tsx), it builds the bundle
 * from them now (esbuild), so what is archived is always the code that runs. The builder is imported by a computed
 * URL: no bundle or import graph follows it into the build scripts.
 */
export const localCode = memoCode(async (): Promise<CodeBundle> => {
  if (/\/dist\/cli\/[^/]+\.js$/.test(import.meta.url)) {
    const built = await readCodeBundle([new URL('../verifier/pmif-verifier.mjs', import.meta.url)]);
    if (built) return built;
    throw new Error('dist/verifier/pmif-verifier.mjs is missing: run `npm run build`');
  }
  const builder = new URL('../../scripts/build-verifier.ts', import.meta.url).href;
  const { buildVerifierBytes } = (await import(builder)) as {
    buildVerifierBytes(root: string): Promise<Uint8Array>;
  };
  const bytes = await buildVerifierBytes(fileURLToPath(new URL('../..', import.meta.url)));
  return { bytes, sha256: sha256Hex(bytes) };
});

export function localDeps(
  options: LocalOptions,
  storeOptions: { mayCreate?: boolean } = {},
): Deps & { outboxDir: string; links: NonNullable<Deps['links']> } {
  const clock = options.now !== undefined ? fixedClock(parseNow(options.now)) : systemClock;
  const store = openStoreFolder(options.store, storeOptions);
  const outboxDir = options.outbox ?? defaultOutbox(options.store);
  return {
    store: new FolderStore(store),
    mailer: new OutboxMailer(outboxDir, { clock }),
    clock,
    log: options.verbose ? jsonLogger((line) => process.stderr.write(`${line}\n`)) : silentLogger,
    mailFrom: LOCAL_MAIL_FROM,
    code: localCode,
    links: {
      baseUrl: `http://localhost:${options.port ?? DEFAULT_LINK_PORT}/`,
      keys: new KeyFileLinkKeys(options.linkKeys ?? defaultLinkKeyFile(options.store)),
    },
    ...(options.maxMailBytes === undefined ? {} : { maxMailBytes: options.maxMailBytes }),
    outboxDir,
  };
}
