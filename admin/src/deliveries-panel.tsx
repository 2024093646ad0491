import { useEffect, useState } from 'preact/hooks';
import { api, apiPage, type DeliveryAttempt, type Webhook } from './api.js';

/** The endpoints of GET /webhooks, page by page: pick one to see its recent delivery attempts. */
export function DeliveriesPanel({ webhookId }: { webhookId: string }) {
  const [hooks, setHooks] = useState<Webhook[]>();
  const [next, setNext] = useState<string | null>(null);
  const [listError, setListError] = useState<string>();
  const [picked, setPicked] = useState(webhookId);
  const [shown, setShown] = useState<{ url: string; attempts: DeliveryAttempt[] }>();
  const [error, setError] = useState<string>();
  const list = async (path: string, more: boolean) => {
    try {
      const page = await apiPage<Webhook>(path);
      setHooks((earlier) => (more ? [...(earlier ?? []), ...page.items] : page.items));
      setNext(page.next);
      setListError(undefined);
    } catch (failure) {
      setListError((failure as Error).message);
    }
  };
  const show = async (wanted: string) => {
    setPicked(wanted);
    try {
      const webhook = await api<Webhook>(`webhooks/${encodeURIComponent(wanted)}`);
      setShown({ url: webhook.url, attempts: await api<DeliveryAttempt[]>(`webhooks/${encodeURIComponent(wanted)}/deliveries`) });
      setError(undefined);
    } catch (failure) {
      setShown(undefined);
      setError((failure as Error).message);
    }
  };
  useEffect(() => void list('webhooks', false), []);
  // A dead letter's "deliveries" button picks its endpoint from outside.
  useEffect(() => {
    if (webhookId) void show(webhookId);
  }, [webhookId]);
  return (
    <section class="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Webhook deliveries</h2>
      <button type="button" onClick={() => void list('webhooks', false)}>
        Refresh webhooks
      </button>
      {listError && <p class="error">{listError}</p>}
      {hooks && hooks.length === 0 && <p>No webhooks registered.</p>}
      {hooks && hooks.length > 0 && (
        <ul class="webhooks" aria-label="Webhooks">
          {hooks.map((hook) => (
            <li key={hook.id} data-webhook-id={hook.id} class={hook.id === picked ? 'picked' : undefined}>
              <span class="url">{hook.url}</span>
              <span class="meta">
                {hook.events.join(', ')} · <code>{hook.id}</code>
              </span>
              <button type="button" aria-pressed={hook.id === picked} aria-label={`Show deliveries of ${hook.url} (${hook.id})`} onClick={() => void show(hook.id)}>
                Deliveries
              </button>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button type="button" class="secondary" onClick={() => void list(next, true)}>
          More webhooks
        </button>
      )}
      {error && <p class="error">{error}</p>}
      {shown && (
        <div class="table" aria-live="polite">
          <h3 id="deliveries-of">
            Deliveries to <code>{shown.url}</code>
          </h3>
          {shown.attempts.length === 0 ? (
            <p>No deliveries yet.</p>
          ) : (
            <table aria-labelledby="deliveries-of">
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
          )}
        </div>
      )}
    </section>
  );
}
