import { useState } from 'preact/hooks';
import { api, storeKey } from './api.js';

/** Asks for an API key, checks it against the API and keeps it for this tab only (sessionStorage). */
export function KeyForm({ onKey, problem }: { onKey: () => void; problem?: string | undefined }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(problem);
  const submit = async (event: Event) => {
    event.preventDefault();
    storeKey(key.trim());
    try {
      await api('events/tokens', { method: 'POST' });
      onKey();
    } catch (failure) {
      storeKey(null);
      setError((failure as Error).message);
    }
  };
  return (
    <form class="card key-form" onSubmit={submit} aria-labelledby="key-title">
      <h2 id="key-title">Sign in</h2>
      <p>The catalog needs an API key. It is kept in this tab only, until it is closed.</p>
      <label for="api-key">API key</label>
      <input id="api-key" type="password" autocomplete="off" required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit">Use this key</button>
    </form>
  );
}
