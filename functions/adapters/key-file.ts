/**
 * Upload-link keys in a local file (local mode): `{ "current": "<base64>", "previous": "<base64>" }`, created with
 * a fresh random key on first use, readable by its owner only. `rotateKeyFile` and `revokePreviousKey` are the
 * local rotation (see the README): rotate keeps the old key as previous, so links already mailed keep working;
 * revoke drops it, ending every link it signed.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LinkKeys } from '../core/ports';
import { MIN_SECRET_BYTES, type SigningKeyRing, signingKey } from '../core/signed-link';

interface KeyFileContent {
  current: string;
  previous?: string;
}

export class KeyFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeyFileError';
  }
}

async function readContent(path: string): Promise<KeyFileContent | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new KeyFileError(`cannot read the link key file ${path}`, { cause: err });
  }
  try {
    const value = JSON.parse(text) as KeyFileContent;
    if (typeof value.current !== 'string') throw new Error('no "current" key');
    if (value.previous !== undefined && typeof value.previous !== 'string') throw new Error('"previous" is not text');
    return value;
  } catch (err) {
    throw new KeyFileError(`the link key file ${path} is not valid: ${(err as Error).message}`, { cause: err });
  }
}

async function writeContent(path: string, content: KeyFileContent, createOnly = false): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  if (createOnly) {
    // Two processes starting at once (serve and run) must end up with one key: the first writer wins.
    await writeFile(path, `${JSON.stringify(content, null, 2)}\n`, { flag: 'wx', mode: 0o600 }).catch((err) => {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    });
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

const newSecret = () => randomBytes(MIN_SECRET_BYTES).toString('base64');

function ringOf(content: KeyFileContent): SigningKeyRing {
  const ring: SigningKeyRing = { current: signingKey(Buffer.from(content.current, 'base64')) };
  if (content.previous) ring.previous = signingKey(Buffer.from(content.previous, 'base64'));
  return ring;
}

export class KeyFileLinkKeys implements LinkKeys {
  /**
   * The ring last read, with the file's identity when it was read. A run signs hundreds of links; each read and
   * parse of the file cost more than a stat. The file is looked at again on every call, so a rotation or revocation
   * (a rename: another inode) or any edit (another modification time or size) is seen by the next link.
   */
  private last: { identity: string; ring: SigningKeyRing } | null = null;

  constructor(readonly path: string) {}

  async keyRing(): Promise<SigningKeyRing> {
    let identity = await this.identity();
    if (identity === null) {
      await writeContent(this.path, { current: newSecret() }, true);
      identity = await this.identity();
    }
    if (identity !== null && this.last?.identity === identity) return this.last.ring;
    const content = await readContent(this.path);
    if (!content) throw new KeyFileError(`cannot create the link key file ${this.path}`);
    const ring = ringOf(content);
    // The identity was taken before the read: a file replaced in between is read again on the next call.
    this.last = identity === null ? null : { identity, ring };
    return ring;
  }

  /** A synchronous stat: a run asks for every link it signs, and a thread-pool round trip cost more than the stat. */
  private async identity(): Promise<string | null> {
    try {
      const s = statSync(this.path, { bigint: true });
      return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
    } catch {
      return null;
    }
  }
}

/** A new current key; the old current becomes previous (the old previous is dropped). */
export async function rotateKeyFile(path: string): Promise<void> {
  const content = await readContent(path);
  await writeContent(path, { current: newSecret(), ...(content ? { previous: content.current } : {}) });
}

/** Drop the previous key: every link it signed stops working. */
export async function revokePreviousKey(path: string): Promise<void> {
  const content = await readContent(path);
  if (!content) throw new KeyFileError(`no link key file at ${path}`);
  await writeContent(path, { current: content.current });
}
