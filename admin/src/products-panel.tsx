import type { InputHTMLAttributes } from 'preact';
import { useCallback, useRef, useState } from 'preact/hooks';
import { api, type CatalogEvent, type Product, type ProductImage } from './api.js';
import { useLiveEvents, type LiveState } from './live-events.js';
import { ProductCard } from './product-card.js';
import { ProductForm } from './product-form.js';

interface Filters {
  user_id: string;
  price_min: string;
  price_max: string;
  product_name: string;
}

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'Connecting to live updates…', live: 'Live', reconnecting: 'Live updates interrupted, reconnecting…' };

/**
 * The newest state of each product and image the events told, with when it was written: events
 * may arrive out of order (the queue delivers them concurrently), and an API answer may be read
 * after events that followed it, so nothing older ever overwrites a newer state.
 */
interface Seen {
  readonly products: Map<number, string>;
  readonly images: Map<number, { readonly at: string; readonly image: ProductImage }>;
}

/** `image` unless an event told of a newer state of it (recorded when this one is the newest). */
function newest(seen: Seen, image: ProductImage, at: string | undefined): ProductImage {
  const known = seen.images.get(image.id);
  if (known && (at === undefined || known.at > at)) return known.image;
  if (at !== undefined) seen.images.set(image.id, { at, image });
  return image;
}

/** The event applied to the list: a new or changed product, a finished image, a deletion. */
function applyEvent(products: readonly Product[], event: CatalogEvent, filters: Filters, seen: Seen): Product[] {
  if (event.type === 'product.deleted') return products.filter((product) => product.id !== event.product_id);
  if ('product' in event.data) {
    const { product } = event.data;
    if ((seen.products.get(product.id) ?? '') > event.timestamp) return [...products];
    seen.products.set(product.id, event.timestamp);
    const changed = { ...product, images: product.images.map((image) => newest(seen, image, event.timestamp)) };
    if (products.some((known) => known.id === changed.id)) return products.map((known) => (known.id === changed.id ? changed : known));
    return event.type === 'product.created' && String(changed.user_id) === filters.user_id ? [changed, ...products] : [...products];
  }
  const image = newest(seen, event.data.image, event.timestamp);
  return products.map((product) =>
    product.id === event.product_id ? { ...product, images: product.images.map((known) => (known.id === image.id ? image : known)) } : product,
  );
}

/**
 * A product from an API answer: its images as the newest event told them, else as shown, else as
 * answered (any later change comes as an event).
 */
const merged = (seen: Seen, answer: Product, known?: Product): Product => ({
  ...answer,
  images: answer.images.map((image) => newest(seen, known?.images.find((old) => old.id === image.id) ?? image, undefined)),
});

/** Products of one owner, filtered like GET /products, kept current by the event stream. */
export function ProductsPanel({ say }: { say: (message: string) => void }) {
  const [filters, setFilters] = useState<Filters>({ user_id: '', price_min: '', price_max: '', product_name: '' });
  const [shown, setShown] = useState<Filters>();
  const [products, setProducts] = useState<Product[]>([]);
  const [editing, setEditing] = useState<Product | 'new'>();
  const [newUser, setNewUser] = useState({ name: '', email: '' });

  const seen = useRef<Seen>({ products: new Map(), images: new Map() });
  const onEvent = useCallback((event: CatalogEvent) => setProducts((current) => (shown ? applyEvent(current, event, shown, seen.current) : current)), [shown]);
  const live = useLiveEvents(true, onEvent);

  const load = async (wanted: Filters) => {
    const query = new URLSearchParams(Object.entries(wanted).filter(([, value]) => value.trim() !== ''));
    try {
      const page = await api<Product[]>(`products?${query}`);
      setProducts(page.map((product) => merged(seen.current, product)));
      setShown(wanted);
      say(`${page.length} product${page.length === 1 ? '' : 's'} of user ${wanted.user_id}.`);
    } catch (failure) {
      say(`Could not list products: ${(failure as Error).message}`);
    }
  };
  const createUser = async (event: Event) => {
    event.preventDefault();
    try {
      const user = await api<{ id: number }>('users', { method: 'POST', json: newUser });
      const next = { ...filters, user_id: String(user.id) };
      setFilters(next);
      setNewUser({ name: '', email: '' });
      await load(next);
      say(`User ${user.id} created.`);
    } catch (failure) {
      say(`Could not create the user: ${(failure as Error).message}`);
    }
  };
  const saved = (product: Product) => {
    setEditing(undefined);
    setProducts((current) =>
      current.some((known) => known.id === product.id)
        ? current.map((known) => (known.id === product.id ? merged(seen.current, product, known) : known))
        : [merged(seen.current, product), ...current],
    );
    say(`${product.product_name} saved.`);
  };
  const field = (name: keyof Filters, label: string, type: 'text' | 'number' = 'text') => (
    <div class="field">
      <label for={`q-${name}`}>{label}</label>
      <input
        {...({
          id: `q-${name}`,
          type,
          step: type === 'number' ? '0.01' : undefined,
          value: filters[name],
          required: name === 'user_id',
          onInput: (e: Event) => setFilters({ ...filters, [name]: (e.currentTarget as HTMLInputElement).value }),
        } as InputHTMLAttributes<HTMLInputElement>)}
      />
    </div>
  );

  return (
    <section aria-labelledby="products-title">
      <h2 id="products-title">
        Products <span class={`live live-${live}`}>{LIVE_TEXT[live]}</span>
      </h2>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          void load(filters);
        }}
      >
        {field('user_id', 'Owner (user id)', 'number')}
        {field('price_min', 'Lowest price', 'number')}
        {field('price_max', 'Highest price', 'number')}
        {field('product_name', 'Name contains')}
        <button type="submit">Show products</button>
      </form>
      <form class="filters" onSubmit={createUser} aria-label="New user">
        <div class="field">
          <label for="u-name">New user's name</label>
          <input id="u-name" required value={newUser.name} onInput={(e) => setNewUser({ ...newUser, name: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="u-email">Email</label>
          <input id="u-email" type="email" required value={newUser.email} onInput={(e) => setNewUser({ ...newUser, email: e.currentTarget.value })} />
        </div>
        <button type="submit">Create user</button>
      </form>
      {shown && !editing && (
        <button type="button" onClick={() => setEditing('new')}>
          New product
        </button>
      )}
      {editing && <ProductForm product={editing === 'new' ? undefined : editing} userId={Number(shown?.user_id)} onSaved={saved} onCancel={() => setEditing(undefined)} />}
      <div class="products">
        {products.map((product) => (
          <ProductCard key={product.id} product={product} onEdit={setEditing} onChanged={saved} say={say} />
        ))}
      </div>
    </section>
  );
}
