import { useEffect, useState } from 'preact/hooks';
import { api, type DeliveryAttempt } from './api.js';

/** GET /webhooks/{id} and its recent delivery attempts. */
export function DeliveriesPanel({ webhookId }: { webhookId: string }) {
  const [id, setId] = useState(webhookId);
  const [shown, setShown] = useState<{ url: string; attempts: DeliveryAttempt[] }>();
  const [error, setError] = useState<string>();
  const load = async (wanted: string) => {
    try {
      const webhook = await api<{ url: string }>(`webhooks/${encodeURIComponent(wanted)}`);
      setShown({ url: webhook.url, attempts: await api<DeliveryAttempt[]>(`webhooks/${encodeURIComponent(wanted)}/deliveries`) });
      setError(undefined);
    } catch (failure) {
      setShown(undefined);
      setError((failure as Error).message);
    }
  };
  useEffect(() => {
    setId(webhookId);
    if (webhookId) void load(webhookId);
  }, [webhookId]);
  return (
    <section class="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Webhook deliveries</h2>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          void load(id.trim());
        }}
      >
        <div class="field">
          <label for="w-id">Webhook id</label>
          <input id="w-id" required placeholder="wh_…" value={id} onInput={(e) => setId(e.currentTarget.value)} />
        </div>
        <button type="submit">Show deliveries</button>
      </form>
      {error && <p class="error">{error}</p>}
      {shown && (
        <div class="table">
          <p>
            To <code>{shown.url}</code>
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Attempt</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
                <th scope="col">Duration</th>
                <th scope="col">Next retry</th>
              </tr>
            </thead>
            <tbody>
              {shown.attempts.map((attempt) => (
                <tr key={`${attempt.event_id}-${attempt.attempt}`}>
                  <td>{attempt.event_type}</td>
                  <td>{attempt.attempt}</td>
                  <td>{attempt.status}</td>
                  <td>{attempt.response_code ?? attempt.error ?? '—'}</td>
                  <td>{attempt.duration_ms} ms</td>
                  <td>{attempt.next_retry_at ? new Date(attempt.next_retry_at).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
