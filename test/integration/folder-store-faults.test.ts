/**
 * The folder store's write and read paths under injected file system failures: a write that fails at any step
 * leaves the key as it was and no temp file behind; a folder removed behind the store's back is made again; a
 * create-only write over an existing key writes nothing; a read that fails for another reason than "not there" is
 * an error, not a missing object.
 */
import * as fs from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { AlreadyExistsError, StoreError } from '../../functions/core/ports';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    linkSync: vi.fn(actual.linkSync),
    renameSync: vi.fn(actual.renameSync),
    writeFileSync: vi.fn(actual.writeFileSync),
    readFileSync: vi.fn(actual.readFileSync),
    mkdirSync: vi.fn(actual.mkdirSync),
    statSync: vi.fn(actual.statSync),
  };
});

const roots: string[] = [];
async function freshStore(): Promise<FolderStore> {
  const root = await mkdtemp(join(tmpdir(), 'pmif-store-faults-'));
  roots.push(root);
  return new FolderStore(root);
}
afterEach(() => vi.clearAllMocks());
afterAll(async () => {
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

const bytes = (...b: number[]) => new Uint8Array(b);
const failure = (code: string) => () => {
  throw Object.assign(new Error(`${code}: injected`), { code });
};
/** Fail the next call of `fn` whose first argument is a temp file (`….tmp`); other calls go through. */
function failOnTemp(fn: (...args: never[]) => unknown, code: string): void {
  const mock = vi.mocked(fn as (...args: unknown[]) => unknown);
  const original = mock.getMockImplementation()!;
  let done = false;
  mock.mockImplementation((...args: unknown[]) => {
    if (!done && String(args[0]).endsWith('.tmp')) {
      done = true;
      failure(code)();
    }
    return original(...args);
  });
}
const files = async (store: FolderStore, folder: string) => (await readdir(join(store.root, folder))).sort();

describe('FolderStore under injected file system failures', () => {
  it('a plain write whose temp file cannot be written leaves the old content and no temp file', async () => {
    const store = await freshStore();
    await store.put('inbox/p/a.xlsx', bytes(1));
    failOnTemp(fs.writeFileSync, 'ENOSPC');
    await expect(store.put('inbox/p/a.xlsx', bytes(2))).rejects.toThrow(StoreError);
    expect([...(await readFile(join(store.root, 'inbox', 'p', 'a.xlsx')))]).toEqual([1]);
    expect(await files(store, 'inbox/p')).toEqual(['a.xlsx']);
  });

  it('a plain write whose rename fails leaves the old content and no temp file', async () => {
    const store = await freshStore();
    await store.put('inbox/p/a.xlsx', bytes(1));
    vi.mocked(fs.renameSync).mockImplementationOnce(failure('EIO'));
    await expect(store.put('inbox/p/a.xlsx', bytes(2))).rejects.toThrow(/cannot write inbox\/p\/a.xlsx/);
    expect([...(await store.get('inbox/p/a.xlsx'))!.bytes]).toEqual([1]);
    expect(await files(store, 'inbox/p')).toEqual(['a.xlsx']);
  });

  it('a create-only write whose link fails for another reason than "exists" writes nothing', async () => {
    const store = await freshStore();
    vi.mocked(fs.linkSync).mockImplementationOnce(failure('EIO'));
    const put = store.put('submissions/2025-Q3/p/v1.json', bytes(1), { ifNoneMatch: true });
    await expect(put).rejects.toThrow(StoreError);
    await expect(put).rejects.not.toThrow(AlreadyExistsError);
    expect(await store.get('submissions/2025-Q3/p/v1.json')).toBeUndefined();
    expect(await files(store, 'submissions/2025-Q3/p')).toEqual([]);
  });

  it('a create-only write that loses the race at the link is refused as existing and leaves the winner', async () => {
    const store = await freshStore();
    const key = 'submissions/2025-Q3/p/v1.json';
    await store.put('submissions/2025-Q3/p/other.json', bytes(0));
    // The key appears between the existence check and the link: another writer's link won.
    const actualLink = vi.mocked(fs.linkSync).getMockImplementation()!;
    vi.mocked(fs.linkSync).mockImplementationOnce((from, to) => {
      fs.writeFileSync(to, bytes(9));
      return actualLink(from, to);
    });
    await expect(store.put(key, bytes(1), { ifNoneMatch: true })).rejects.toBeInstanceOf(AlreadyExistsError);
    expect([...(await store.get(key))!.bytes]).toEqual([9]);
    expect(await files(store, 'submissions/2025-Q3/p')).toEqual(['other.json', 'v1.json']);
  });

  it('a create-only write over an existing key, or an archived report written again, writes no temp file', async () => {
    const store = await freshStore();
    await store.put('receipts/a.json', bytes(1), { ifNoneMatch: true });
    await store.put('reports/2025-Q3/r1/p.pdf', bytes(1));
    vi.mocked(fs.writeFileSync).mockClear();
    await expect(store.put('receipts/a.json', bytes(2), { ifNoneMatch: true })).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    const again = store.put('reports/2025-Q3/r1/p.pdf', bytes(2));
    await expect(again).rejects.toBeInstanceOf(StoreError);
    await expect(again).rejects.toThrow(/cannot be overwritten/);
    expect(vi.mocked(fs.writeFileSync)).not.toHaveBeenCalled();
    expect([...(await store.get('reports/2025-Q3/r1/p.pdf'))!.bytes]).toEqual([1]);
  });

  it('makes a folder once, and again when it was removed behind its back', async () => {
    const store = await freshStore();
    await store.put('a/b/1.json', bytes(1));
    await store.put('a/b/2.json', bytes(2));
    expect(vi.mocked(fs.mkdirSync)).toHaveBeenCalledTimes(1);
    await rm(join(store.root, 'a'), { recursive: true });
    await store.put('a/b/3.json', bytes(3), { ifNoneMatch: true });
    expect([...(await store.get('a/b/3.json'))!.bytes]).toEqual([3]);
    expect(await files(store, 'a/b')).toEqual(['3.json']);
  });

  it('a held key is refused before anything is written, also when its folder is known', async () => {
    const store = await freshStore();
    const { version } = await store.put('blobs/x', bytes(1));
    await store.hold('blobs/x', version);
    vi.mocked(fs.writeFileSync).mockClear();
    await expect(store.put('blobs/x', bytes(2))).rejects.toThrow(/legal hold/);
    expect(vi.mocked(fs.writeFileSync)).not.toHaveBeenCalled();
  });

  it('a read that fails for another reason than "not there" is an error; a folder is no object', async () => {
    const store = await freshStore();
    await store.put('inbox/p/a.xlsx', bytes(1));
    vi.mocked(fs.readFileSync).mockImplementationOnce(failure('EIO'));
    await expect(store.get('inbox/p/a.xlsx')).rejects.toThrow(/cannot read inbox\/p\/a.xlsx/);
    expect(await store.get('inbox/p')).toBeUndefined();
    expect([...(await store.get('inbox/p/a.xlsx'))!.bytes]).toEqual([1]);
  });

  it('a listed file removed before its stat is left out of the listing', async () => {
    const store = await freshStore();
    await store.put('submissions/q/a.json', bytes(1));
    await store.put('submissions/q/b.json', bytes(2));
    const actualStat = vi.mocked(fs.statSync).getMockImplementation()!;
    vi.mocked(fs.statSync).mockImplementation(((path: fs.PathLike, options?: fs.StatSyncOptions) => {
      if (String(path).endsWith('a.json')) {
        fs.unlinkSync(path);
        return undefined;
      }
      return actualStat(path, options);
    }) as typeof fs.statSync);
    expect((await store.list('submissions/')).map((o) => o.key)).toEqual(['submissions/q/b.json']);
    vi.mocked(fs.statSync).mockImplementation(actualStat);
  });
});
