/**
 * Several buckets as one {@link ObjectStore}: the use cases see one key space (docs/architecture.md §3), while the stack keeps
 * `reports/` in the Object Lock archive bucket and everything else in the data bucket.
 */
import type { ObjectInfo, ObjectStore, PutOptions, StoredObject } from '../core/ports';

/** Keys under `prefix` live in `store`. */
export interface StoreRoute {
  prefix: string;
  store: ObjectStore;
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Routes each key to the store of the first route whose prefix it starts with, or to the default store. A listing
 * asks every store that can hold keys under the prefix and keeps from each only the keys routed to it, so an
 * object that sits in the wrong bucket (and could never be read back) is never listed.
 */
export class RoutedStore implements ObjectStore {
  constructor(
    private readonly defaultStore: ObjectStore,
    private readonly routes: readonly StoreRoute[],
  ) {}

  /** The store that holds `key`. */
  storeFor(key: string): ObjectStore {
    return this.routes.find((r) => key.startsWith(r.prefix))?.store ?? this.defaultStore;
  }

  get(key: string, version?: string): Promise<StoredObject | undefined> {
    return this.storeFor(key).get(key, version);
  }

  put(key: string, bytes: Uint8Array, options?: PutOptions): Promise<{ version: string }> {
    return this.storeFor(key).put(key, bytes, options);
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const candidates = new Set<ObjectStore>();
    // A route overlaps the listing when either prefix contains the other ('re' spans 'reports/' and 'registry/').
    for (const r of this.routes)
      if (r.prefix.startsWith(prefix) || prefix.startsWith(r.prefix)) candidates.add(r.store);
    if (!this.routes.some((r) => prefix.startsWith(r.prefix))) candidates.add(this.defaultStore);
    const lists = await Promise.all(
      [...candidates].map(async (store) => (await store.list(prefix)).filter((o) => this.storeFor(o.key) === store)),
    );
    return lists.flat().sort(byKey);
  }
}
