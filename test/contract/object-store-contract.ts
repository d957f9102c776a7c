/**
 * The contract every ObjectStore adapter passes: the folder store here, the S3 adapter against an S3 server later.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, type ObjectStore } from '../../functions/core/ports';

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** A behaviour the store (or the server behind it) has, or where it is tested instead and why. */
export type Capability = true | { missing: string };

/**
 * What a store can be held to beyond the core contract. A missing capability's tests are not registered at all
 * (no skipped tests); the reason, saying where the behaviour is covered instead, is required at the call site.
 */
export interface StoreCapabilities {
  /** Create-only writes (`ifNoneMatch`) are refused when the key exists, atomically. */
  conditionalWrites: Capability;
  /** Earlier versions stay readable by their version (S3 versioning). */
  versionHistory: Capability;
}

const DEFAULT_CAPABILITIES: StoreCapabilities = {
  conditionalWrites: true,
  versionHistory: { missing: 'not claimed by this store (it keeps only the current content)' },
};

/** `it` when the store has the capability; otherwise the test does not apply and is not registered. */
function itWith(capability: Capability): (title: string, fn: () => Promise<void>) => void {
  if (capability === true) return (title, fn) => it(title, fn);
  return () => {};
}

export function objectStoreContract(
  name: string,
  makeStore: () => Promise<ObjectStore>,
  capabilities: Partial<StoreCapabilities> = {},
): void {
  const can = { ...DEFAULT_CAPABILITIES, ...capabilities };
  describe(`${name} honours the ObjectStore contract`, () => {
    it('returns what was put, with a version and a modification time', async () => {
      const store = await makeStore();
      const { version } = await store.put('inbox/demo/a b.xlsx', bytes('hello'));
      const got = await store.get('inbox/demo/a b.xlsx');
      expect(text(got?.bytes)).toBe('hello');
      expect(got?.version).toBe(version);
      expect(got?.lastModified).toBeInstanceOf(Date);
    });

    it("gives a put told the bytes' SHA-256 the version a get reports, for create-only and plain puts", async () => {
      const store = await makeStore();
      for (const [key, content, ifNoneMatch] of [
        ['reports/2025-Q3/r1/a.pdf', 'report', true],
        ['state/b.json', '{"b":1}', false],
        ['state/b.json', '{"b":2}', false],
      ] as const) {
        const body = bytes(content);
        const sha256 = createHash('sha256').update(body).digest('hex');
        const { version } = await store.put(key, body, { ifNoneMatch, sha256 });
        const got = await store.get(key, version);
        expect(text(got?.bytes), key).toBe(content);
        expect(got?.version, key).toBe(version);
      }
    });

    it('returns undefined for a missing key and for a version the key does not have', async () => {
      const store = await makeStore();
      expect(await store.get('nothing/here.json')).toBeUndefined();
      await store.put('x/y.json', bytes('1'));
      expect(await store.get('x/y.json', 'not-a-version')).toBeUndefined();
    });

    it('returns the current content when asked for its version', async () => {
      const store = await makeStore();
      const { version } = await store.put('registry/r.xlsx', bytes('current'));
      const got = await store.get('registry/r.xlsx', version);
      expect(text(got?.bytes)).toBe('current');
      expect(got?.version).toBe(version);
    });

    itWith(can.conditionalWrites)(
      'refuses a create-only write over an existing key and keeps the first content',
      async () => {
        const store = await makeStore();
        await store.put('submissions/2025-Q3/demo/v1.json', bytes('first'), { ifNoneMatch: true });
        await expect(
          store.put('submissions/2025-Q3/demo/v1.json', bytes('second'), { ifNoneMatch: true }),
        ).rejects.toBeInstanceOf(AlreadyExistsError);
        expect(text((await store.get('submissions/2025-Q3/demo/v1.json'))?.bytes)).toBe('first');
      },
    );

    itWith(can.conditionalWrites)('lets exactly one of many concurrent create-only writers win', async () => {
      const store = await makeStore();
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) =>
          store.put('deliveries/2025-Q3/r1/claim.json', bytes(`writer ${i}`), { ifNoneMatch: true }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof AlreadyExistsError)).toHaveLength(7);
    });

    it('lists keys under a prefix, sorted, and nothing outside it', async () => {
      const store = await makeStore();
      for (const key of ['inbox/b/2.xlsx', 'inbox/a/1.xlsx', 'inbox/a/0.xlsx', 'registry/r.xlsx', 'inboxes/x.xlsx']) {
        await store.put(key, bytes(key));
      }
      expect((await store.list('inbox/')).map((o) => o.key)).toEqual([
        'inbox/a/0.xlsx',
        'inbox/a/1.xlsx',
        'inbox/b/2.xlsx',
      ]);
      expect((await store.list('inbox/a/')).map((o) => o.key)).toEqual(['inbox/a/0.xlsx', 'inbox/a/1.xlsx']);
      const [first] = await store.list('registry/');
      expect(first?.size).toBe('registry/r.xlsx'.length);
      expect(await store.list('reports/')).toEqual([]);
    });

    it('overwrites on a plain put and changes the version', async () => {
      const store = await makeStore();
      const a = await store.put('deliveries/2025-Q3/r1/x.json', bytes('claimed'));
      const b = await store.put('deliveries/2025-Q3/r1/x.json', bytes('sent'));
      expect(a.version).not.toBe(b.version);
      expect(text((await store.get('deliveries/2025-Q3/r1/x.json'))?.bytes)).toBe('sent');
    });

    itWith(can.versionHistory)('keeps an overwritten version readable by its version', async () => {
      const store = await makeStore();
      const first = await store.put('inbox/demo/q3.xlsx', bytes('first upload'));
      const second = await store.put('inbox/demo/q3.xlsx', bytes('second upload'));
      expect(text((await store.get('inbox/demo/q3.xlsx', first.version))?.bytes)).toBe('first upload');
      expect(text((await store.get('inbox/demo/q3.xlsx', second.version))?.bytes)).toBe('second upload');
      expect((await store.list('inbox/demo/')).map((o) => o.version)).toEqual([second.version]);
    });
  });
}
