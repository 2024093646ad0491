import type { ObjectReferences } from '../../application/index.js';
import type { CatalogStore } from './catalog-store.js';

/** ObjectReferences over the fakes' tables: leases in a Map, serialized per key with the writers. */
export class InMemoryObjectReferences implements ObjectReferences {
  #nextToken = 1;

  constructor(private readonly store: CatalogStore) {}

  beginDeletion(key: string, leaseMs: number): Promise<string | null> {
    const { store } = this;
    return store.withKey(key, async () => {
      if (store.referenced(key) || this.#live(key)) return null;
      const token = String(this.#nextToken++);
      store.deletions.set(key, { token, expiresAt: store.now().getTime() + leaseMs });
      return token;
    });
  }

  async endDeletion(key: string, token: string): Promise<void> {
    if (this.store.deletions.get(key)?.token === token) this.store.deletions.delete(key);
  }

  async deletionInProgress(key: string): Promise<boolean> {
    return this.#live(key);
  }

  #live(key: string): boolean {
    return this.store.deletionLive(key);
  }
}
