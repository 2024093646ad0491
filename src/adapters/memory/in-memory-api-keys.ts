import type { ApiKeys, NewApiKey, StoredApiKey } from '../../application/index.js';
import type { ApiKey } from '../../domain/index.js';

const publicKey = ({ secret_digest: _digest, revoked_at: _revoked, ...key }: StoredApiKey): ApiKey => key;

/** ApiKeys in a Map, for unit tests and single-process use. */
export class InMemoryApiKeys implements ApiKeys {
  readonly #keys = new Map<string, StoredApiKey>();

  constructor(
    /** Stands in for the users foreign key. */
    private readonly userExists: (id: number) => boolean,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(key: NewApiKey): Promise<ApiKey | 'user.not_found'> {
    if (key.user_id !== null && !this.userExists(key.user_id)) return 'user.not_found';
    if (this.#keys.has(key.id)) throw new Error(`duplicate API key id ${key.id}`);
    const stored: StoredApiKey = { ...key, created_at: this.now(), last_used_at: null, revoked_at: null };
    this.#keys.set(key.id, stored);
    return publicKey(stored);
  }

  async findById(id: string): Promise<StoredApiKey | null> {
    return this.#keys.get(id) ?? null;
  }

  async listForUser(userId: number): Promise<ApiKey[]> {
    return [...this.#keys.values()].filter((key) => key.user_id === userId && key.revoked_at === null).map(publicKey);
  }

  async revoke(userId: number, id: string): Promise<boolean> {
    const key = this.#keys.get(id);
    if (!key || key.user_id !== userId || key.revoked_at !== null) return false;
    this.#keys.set(id, { ...key, revoked_at: this.now() });
    return true;
  }

  async touch(id: string, at: Date): Promise<void> {
    const key = this.#keys.get(id);
    if (key) this.#keys.set(id, { ...key, last_used_at: at });
  }

  async hasAdmin(): Promise<boolean> {
    return [...this.#keys.values()].some((key) => key.role === 'admin' && key.revoked_at === null);
  }
}
