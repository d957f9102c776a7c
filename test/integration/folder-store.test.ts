import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { StoreError } from '../../functions/core/ports';
import { objectStoreContract } from '../contract/object-store-contract';

const roots: string[] = [];
async function freshStore(): Promise<FolderStore> {
  const root = await mkdtemp(join(tmpdir(), 'pmif-store-'));
  roots.push(root);
  return new FolderStore(root);
}
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

objectStoreContract('FolderStore', freshStore, {
  // The folder store keeps the current content only; uploads are never overwritten by the system (docs/architecture.md
  // §3).
  versionHistory: { missing: 'a folder keeps one version per key; S3 versioning is tested in s3-store.test.ts' },
});

describe('FolderStore specifics', () => {
  it('refuses keys that would escape the folder', async () => {
    const store = await freshStore();
    for (const key of ['../evil.json', '/etc/passwd', 'inbox//x.xlsx', 'inbox/./x.xlsx']) {
      await expect(store.put(key, new Uint8Array([1]))).rejects.toBeInstanceOf(StoreError);
    }
  });

  it('sees a file changed in place, even with its size and modification time kept, in get and list', async () => {
    const store = await freshStore();
    const key = 'submissions/2025-Q3/p/record.json';
    const first = await store.put(key, new TextEncoder().encode('{"a":1}'));
    expect((await store.get(key))?.version).toBe(first.version);
    expect((await store.list('submissions/')).map((o) => o.version)).toEqual([first.version]);
    const path = join(store.root, ...key.split('/'));
    const before = statSync(path);
    // Another program rewrites the file in place: same inode, same size, its modification time put back.
    writeFileSync(path, '{"a":2}');
    utimesSync(path, before.atime, before.mtime);
    const got = await store.get(key);
    expect(new TextDecoder().decode(got?.bytes)).toBe('{"a":2}');
    expect(got?.version).not.toBe(first.version);
    expect((await store.list('submissions/')).map((o) => o.version)).toEqual([got?.version]);
    expect(await store.get(key, first.version)).toBeUndefined();
  });

  it('leaves no temporary files behind after create-only races', async () => {
    const store = await freshStore();
    await Promise.allSettled(
      Array.from({ length: 5 }, () => store.put('a/b.json', new Uint8Array([1]), { ifNoneMatch: true })),
    );
    expect(await readdir(join(store.root, 'a'))).toEqual(['b.json']);
  });

  it('refuses to overwrite or delete a held object, and only that one', async () => {
    const store = await freshStore();
    const held = await store.put('blobs/sha256/aa', new Uint8Array([1]));
    const free = await store.put('blobs/sha256/bb', new Uint8Array([2]));
    await store.hold('blobs/sha256/aa', held.version);
    await expect(store.put('blobs/sha256/aa', new Uint8Array([3]))).rejects.toThrow(/legal hold/);
    await expect(store.deleteVersion('blobs/sha256/aa', held.version)).rejects.toThrow(/legal hold/);
    expect([...(await store.get('blobs/sha256/aa'))!.bytes]).toEqual([1]);
    await store.put('blobs/sha256/bb', new Uint8Array([4]));
    await store.deleteVersion('blobs/sha256/bb', (await store.get('blobs/sha256/bb'))!.version);
    expect(await store.get('blobs/sha256/bb')).toBeUndefined();
    expect(free.version).not.toBe(held.version);
  });

  it('refuses a write whose legal hold cannot be read, and leaves the object as it was', async () => {
    const store = await freshStore();
    await store.put('blobs/sha256/cc', new Uint8Array([5]));
    // A file where the markers' folder should be: the hold cannot be known, so the write must not go ahead.
    await mkdir(join(store.root, '.legal-holds'), { recursive: true });
    await writeFile(join(store.root, '.legal-holds', 'blobs'), 'not a folder');
    const refused = store.put('blobs/sha256/cc', new Uint8Array([6]));
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    await expect(refused).rejects.toThrow(/cannot read the legal hold of blobs\/sha256\/cc/);
    expect([...(await readFile(join(store.root, 'blobs', 'sha256', 'cc')))]).toEqual([5]);
  });
});
