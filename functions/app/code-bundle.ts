/**
 * Where a runtime finds the code it archives with each revision: the verifier bundle built from the same sources
 * as the code that runs (scripts/build-verifier.ts). In a Lambda asset it is `verifier/pmif-verifier.mjs` beside
 * the handler; for the bundled command line, `dist/verifier/pmif-verifier.mjs`. Its archive name is its SHA-256,
 * so where it lies on a machine does not matter.
 */
import { readFile } from 'node:fs/promises';
import { type CodeBundle, sha256Hex } from './deps';

/** The bundle's bytes from the first of `files` that exists; null when none does. */
export async function readCodeBundle(files: readonly (string | URL)[]): Promise<CodeBundle | null> {
  for (const file of files) {
    try {
      const bytes = new Uint8Array(await readFile(file));
      return { bytes, sha256: sha256Hex(bytes) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return null;
}

/** A code source read once per process (the bundle does not change under a running process). */
export function memoCode(load: () => Promise<CodeBundle>): () => Promise<CodeBundle> {
  let loaded: Promise<CodeBundle> | undefined;
  return () => {
    loaded ??= load();
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
}
