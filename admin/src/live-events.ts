import { useEffect, useRef, useState } from 'preact/hooks';
import { api, API_BASE, type CatalogEvent } from './api.js';

const TYPES = ['product.created', 'product.updated', 'product.deleted', 'image.done', 'image.failed', 'product.images_settled'];

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Follows GET /events with a token from POST /events/tokens (EventSource sends no Authorization
 * header). The browser reconnects by itself, resuming after the last event id; once the token has
 * expired the stream is refused, and a new token is fetched. A new EventSource cannot send
 * Last-Event-ID, so it asks for `last_event_id` instead: nothing written meanwhile is missed.
 */
export function useLiveEvents(enabled: boolean, onEvent: (event: CatalogEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    // The id of the newest event seen, across EventSources: where the next one resumes.
    let lastEventId: string | undefined;
    const connect = async () => {
      try {
        const { token } = await api<{ token: string }>('events/tokens', { method: 'POST' });
        if (stopped) return;
        const resume = lastEventId === undefined ? '' : `&last_event_id=${encodeURIComponent(lastEventId)}`;
        source = new EventSource(new URL(`events?access_token=${encodeURIComponent(token)}${resume}`, API_BASE));
        source.onopen = () => setState('live');
        source.onerror = () => {
          setState('reconnecting');
          if (source?.readyState === EventSource.CLOSED) retry();
        };
        const receive = (message: MessageEvent<string>) => {
          if (message.lastEventId) lastEventId = message.lastEventId;
          handler.current(JSON.parse(message.data) as CatalogEvent);
        };
        for (const type of TYPES) source.addEventListener(type, (message) => receive(message as MessageEvent<string>));
      } catch {
        setState('reconnecting');
        retry();
      }
    };
    const retry = () => {
      source?.close();
      if (!stopped) timer = setTimeout(() => void connect(), 2000);
    };
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      source?.close();
    };
  }, [enabled]);
  return state;
}
