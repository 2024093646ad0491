import { useState } from 'preact/hooks';
import { api, type Product } from './api.js';

interface FormProps {
  /** The product to edit; a new one for `userId` when absent. */
  readonly product?: Product | undefined;
  readonly userId: number | undefined;
  readonly onSaved: (product: Product) => void;
  readonly onCancel: () => void;
}

/** Creates a product (POST /products) or edits one (PATCH /products/{id}). */
export function ProductForm({ product, userId, onSaved, onCancel }: FormProps) {
  const [name, setName] = useState(product?.product_name ?? '');
  const [description, setDescription] = useState(product?.product_description ?? '');
  const [price, setPrice] = useState(product ? String(product.product_price) : '');
  const [images, setImages] = useState((product?.product_images ?? []).join('\n'));
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    const fields = {
      product_name: name,
      product_description: description,
      product_price: Number(price),
      product_images: images.split('\n').map((line) => line.trim()).filter(Boolean),
    };
    try {
      const saved = product
        ? await api<Product>(`products/${product.id}`, { method: 'PATCH', json: fields })
        : await api<Product>('products', { method: 'POST', json: { user_id: userId, ...fields } });
      onSaved(saved);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const title = product ? `Edit ${product.product_name}` : 'New product';
  return (
    <form class="card product-form" onSubmit={submit} aria-labelledby="form-title">
      <h2 id="form-title">{title}</h2>
      <label for="f-name">Name</label>
      <input id="f-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="f-description">Description</label>
      <textarea id="f-description" rows={2} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <label for="f-price">Price</label>
      <input id="f-price" type="number" min="0" step="0.01" required value={price} onInput={(e) => setPrice(e.currentTarget.value)} />
      <label for="f-images">Image URLs, one a line</label>
      <textarea id="f-images" rows={3} value={images} onInput={(e) => setImages(e.currentTarget.value)} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="actions">
        <button type="submit">{product ? 'Save' : 'Create product'}</button>
        <button type="button" class="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
