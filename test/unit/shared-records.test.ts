/**
 * Submission records parsed once per run (issue 19): while a run shares them, a record listed or read again with the
 * same store version is the one parsed before, without reading the store; a record whose content changed is read
 * afresh; other records, and reads outside a run, are never shared. On a real folder store.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderStore } from '../../functions/adapters/folder-store';
import { CorruptRecordError, jsonBytes } from '../../functions/app/deps';
import { readListedRecord, readRecord, shareParsedRecords } from '../../functions/app/records';
import { loadSubmissionsUpTo } from '../../functions/app/registry-store';
import type { ObjectStore } from '../../functions/core/ports';

let root: string;
let folder: FolderStore;
let gets: string[];
/** The folder store, counting reads by key. */
let store: ObjectStore;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmif-shared-records-'));
  folder = new FolderStore(root);
  gets = [];
  store = {
    get: (key, version) => {
      gets.push(key);
      return folder.get(key, version);
    },
    put: (key, bytes, options) => folder.put(key, bytes, options),
    list: (prefix) => folder.list(prefix),
  };
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const KEY = 'submissions/2024-Q1/project-a/v1.json';
const listed = async (key: string) => (await store.list(key)).find((i) => i.key === key)!;
const same = <T>(x: T) => x;

describe('records shared by a run', () => {
  it('parses a listed record once per version while shared, and afresh outside', async () => {
    await store.put(KEY, jsonBytes({ value: 1 }));
    const outside = [
      await readListedRecord(store, await listed(KEY), same),
      await readListedRecord(store, await listed(KEY), same),
    ];
    expect(outside[0]).toEqual({ value: 1 });
    expect(outside[1]).not.toBe(outside[0]);
    expect(gets).toEqual([KEY, KEY]);

    gets.length = 0;
    const release = shareParsedRecords(store);
    const first = await readListedRecord(store, await listed(KEY), same);
    const again = await readListedRecord(store, await listed(KEY), same);
    expect(again).toBe(first);
    expect(gets).toEqual([KEY]);

    // New content under the same key is a new version: read and parsed again.
    await store.put(KEY, jsonBytes({ value: 2 }));
    expect(await readListedRecord(store, await listed(KEY), same)).toEqual({ value: 2 });
    expect(gets).toEqual([KEY, KEY]);

    release();
    release(); // a second release of the same run changes nothing
    const after = await readListedRecord(store, await listed(KEY), same);
    expect(after).toEqual({ value: 2 });
    expect(gets).toEqual([KEY, KEY, KEY]);
  });

  it('keeps the upgraded form apart from the record as read, and shares only submission records', async () => {
    const other = 'plans/2024-Q1/r1.json';
    await store.put(KEY, jsonBytes({ value: 1 }));
    await store.put(other, jsonBytes({ value: 3 }));
    const release = shareParsedRecords(store);
    const raw = await readRecord<{ value: number }>({ store }, KEY);
    expect(await readRecord({ store }, KEY)).toBe(raw);
    const upgraded = await readListedRecord(store, await listed(KEY), (r: { value: number }) => ({ ...r, up: true }));
    expect(upgraded).toEqual({ value: 1, up: true });
    expect(raw).toEqual({ value: 1 });
    const plan = await readRecord({ store }, other);
    expect(await readRecord({ store }, other)).not.toBe(plan);
    release();
  });

  it('gives a plain read the record listed before when upgrading left it as it was, without parsing it again', async () => {
    await store.put(KEY, jsonBytes({ value: 1 }));
    const release = shareParsedRecords(store);
    const listedRecord = await readListedRecord(store, await listed(KEY), same);
    expect(await readRecord({ store }, KEY)).toBe(listedRecord);
    // New content is a new version: the plain read parses it, and does not get the old record.
    await store.put(KEY, jsonBytes({ value: 2 }));
    expect(await readRecord({ store }, KEY)).toEqual({ value: 2 });
    release();
  });

  it('goes on sharing while another run that shares the same store is still going', async () => {
    await store.put(KEY, jsonBytes({ value: 1 }));
    const one = shareParsedRecords(store);
    const two = shareParsedRecords(store);
    const first = await readListedRecord(store, await listed(KEY), same);
    one();
    expect(await readListedRecord(store, await listed(KEY), same)).toBe(first);
    two();
    expect(await readListedRecord(store, await listed(KEY), same)).not.toBe(first);
  });

  it('names a corrupt record every time it is read, and never keeps it', async () => {
    await store.put(KEY, new TextEncoder().encode('{"value": '));
    const release = shareParsedRecords(store);
    await expect(loadSubmissionsUpTo(store, '2024-Q1')).rejects.toThrow(CorruptRecordError);
    await expect(loadSubmissionsUpTo(store, '2024-Q1')).rejects.toThrow(KEY);
    release();
  });
});
