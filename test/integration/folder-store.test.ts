import { mkdtemp, readdir, rm } from 'node:fs/promises';
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

  it('leaves no temporary files behind after create-only races', async () => {
    const store = await freshStore();
    await Promise.allSettled(
      Array.from({ length: 5 }, () => store.put('a/b.json', new Uint8Array([1]), { ifNoneMatch: true })),
    );
    expect(await readdir(join(store.root, 'a'))).toEqual(['b.json']);
  });
});
