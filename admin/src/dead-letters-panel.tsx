import { useEffect, useState } from 'preact/hooks';
import { api, type DeadLetter } from './api.js';

/** GET /dead-letters with a replay button on each (admin keys only). */
export function DeadLettersPanel({ say, onWebhook }: { say: (message: string) => void; onWebhook: (id: string) => void }) {
  const [letters, setLetters] = useState<DeadLetter[]>();
  const [error, setError] = useState<string>();
  const load = async () => {
    try {
      setLetters(await api<DeadLetter[]>('dead-letters'));
      setError(undefined);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  useEffect(() => void load(), []);
  const replay = async (letter: DeadLetter) => {
    try {
      await api(`dead-letters/${encodeURIComponent(letter.id)}/replay`, { method: 'POST' });
      say(`Dead letter ${letter.id} replayed.`);
      await load();
    } catch (failure) {
      say(`Replay failed: ${(failure as Error).message}`);
    }
  };
  return (
    <section class="card" aria-labelledby="dlq-title">
      <h2 id="dlq-title">Dead letters</h2>
      <button type="button" onClick={() => void load()}>
        Refresh dead letters
      </button>
      {error && <p class="error">{error}</p>}
      {letters && letters.length === 0 && <p>No dead letters.</p>}
      {letters && letters.length > 0 && (
        <div class="table">
          <table>
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Attempts</th>
                <th scope="col">Reason</th>
                <th scope="col">Dead since</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {letters.map((letter) => (
                <tr key={letter.id} data-dead-letter-id={letter.id}>
                  <td>
                    {letter.description}
                    {letter.webhook_id && (
                      <button type="button" class="link" onClick={() => onWebhook(letter.webhook_id!)}>
                        deliveries
                      </button>
                    )}
                  </td>
                  <td>{letter.attempts}</td>
                  <td>{letter.reason}</td>
                  <td>{new Date(letter.dead_at).toLocaleString()}</td>
                  <td>
                    <button type="button" onClick={() => void replay(letter)} aria-label={`Replay ${letter.description}`}>
                      Replay
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
