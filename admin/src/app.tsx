import { useState } from 'preact/hooks';
import { storedKey, storeKey } from './api.js';
import { DeadLettersPanel } from './dead-letters-panel.js';
import { DeliveriesPanel } from './deliveries-panel.js';
import { KeyForm } from './key-form.js';
import { ProductsPanel } from './products-panel.js';

/** The console: a key first, then products, dead letters and webhook deliveries. */
export function App() {
  const [signedIn, setSignedIn] = useState(storedKey() !== null);
  const [status, setStatus] = useState('');
  const [webhookId, setWebhookId] = useState('');
  return (
    <>
      <header class="top">
        <h1>Catalog admin</h1>
        {signedIn && (
          <button
            type="button"
            class="secondary"
            onClick={() => {
              storeKey(null);
              setSignedIn(false);
            }}
          >
            Sign out
          </button>
        )}
      </header>
      <p class="status" role="status" aria-live="polite">
        {status}
      </p>
      <main>
        {signedIn ? (
          <>
            <ProductsPanel say={setStatus} />
            <div class="side">
              <DeadLettersPanel say={setStatus} onWebhook={setWebhookId} />
              <DeliveriesPanel webhookId={webhookId} />
            </div>
          </>
        ) : (
          <KeyForm onKey={() => setSignedIn(true)} />
        )}
      </main>
    </>
  );
}
