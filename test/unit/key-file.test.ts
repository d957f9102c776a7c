import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyFileLinkKeys, revokePreviousKey, rotateKeyFile } from '../../functions/adapters/key-file';
import { signUploadLink, verifyUploadLink } from '../../functions/core/upload-link';

const NOW = new Date('2025-10-10T10:00:00Z');
const EXPIRES = new Date('2025-10-20T10:00:00Z');
const SCOPE = { project: 'pmlp-reception', period: '2025-Q3' };
let dir: string;
let path: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'key-file-'));
  path = join(dir, 'keys', 'link-keys.json');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('link key file', () => {
  it('creates a key on first use and gives the same ring while the file is unchanged', async () => {
    const keys = new KeyFileLinkKeys(path);
    const first = await keys.keyRing();
    expect(await keys.keyRing()).toBe(first);
    // Another instance reads the same key from the file.
    const token = signUploadLink(first, SCOPE, EXPIRES);
    expect(verifyUploadLink(await new KeyFileLinkKeys(path).keyRing(), token, NOW).ok).toBe(true);
  });

  it('sees a rotation and a revocation made by another writer at the next call', async () => {
    const keys = new KeyFileLinkKeys(path);
    const old = signUploadLink(await keys.keyRing(), SCOPE, EXPIRES);
    await rotateKeyFile(path);
    const rotated = await keys.keyRing();
    const fresh = signUploadLink(rotated, SCOPE, EXPIRES);
    expect(fresh).not.toBe(old);
    expect(verifyUploadLink(rotated, old, NOW).ok).toBe(true);
    await revokePreviousKey(path);
    const revoked = await keys.keyRing();
    expect(verifyUploadLink(revoked, old, NOW).ok).toBe(false);
    expect(verifyUploadLink(revoked, fresh, NOW).ok).toBe(true);
  });

  it('sees a file rewritten in place with another key', async () => {
    const keys = new KeyFileLinkKeys(path);
    const token = signUploadLink(await keys.keyRing(), SCOPE, EXPIRES);
    // Same length, same inode: only the content and the modification time change.
    await writeFile(path, `${JSON.stringify({ current: Buffer.alloc(32, 7).toString('base64') }, null, 2)}\n`);
    expect(verifyUploadLink(await keys.keyRing(), token, NOW).ok).toBe(false);
  });

  it('refuses a damaged file in plain words, also after a good read', async () => {
    const keys = new KeyFileLinkKeys(path);
    await keys.keyRing();
    await writeFile(path, '{ not json');
    await expect(keys.keyRing()).rejects.toThrow(/link key file .* is not valid/);
  });
});
