import { useState } from 'preact/hooks';
import { api, thumbnailOf, type Product, type ProductImage } from './api.js';

interface CardProps {
  readonly product: Product;
  readonly onEdit: (product: Product) => void;
  readonly onChanged: (product: Product) => void;
  readonly say: (message: string) => void;
}

function ImageRow({ product, image, say }: { product: Product; image: ProductImage; say: CardProps['say'] }) {
  const thumbnail = thumbnailOf(image);
  const retry = async () => {
    try {
      await api(`products/${product.id}/images/${image.id}/retry`, { method: 'POST' });
      say(`Image ${image.id} queued again.`);
    } catch (failure) {
      say(`Retry failed: ${(failure as Error).message}`);
    }
  };
  return (
    <li class="image" data-image-id={image.id} data-status={image.status}>
      {thumbnail ? <img src={thumbnail} alt={`Image ${image.position + 1} of ${product.product_name}`} width={80} height={80} /> : <span class="placeholder" aria-hidden="true" />}
      <div>
        <span class={`status status-${image.status}`}>{image.status}</span>
        <span class="attempts">
          {image.attempts} attempt{image.attempts === 1 ? '' : 's'}
        </span>
        {image.error && <p class="error image-error">{image.error}</p>}
        <p class="source" title={image.source_url}>
          {image.source_url}
        </p>
        {image.status === 'failed' && (
          <button type="button" onClick={retry} aria-label={`Retry image ${image.position + 1} of ${product.product_name}`}>
            Retry
          </button>
        )}
      </div>
    </li>
  );
}

/** One product: its images with their state, an edit button and a drop zone for uploads. */
export function ProductCard({ product, onEdit, onChanged, say }: CardProps) {
  const [dragging, setDragging] = useState(false);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    say(`Uploading ${file.name}…`);
    try {
      await api(`products/${product.id}/images`, { method: 'POST', body: form });
      onChanged(await api<Product>(`products/${product.id}`));
      say(`${file.name} uploaded to ${product.product_name}.`);
    } catch (failure) {
      say(`Upload failed: ${(failure as Error).message}`);
    }
  };
  const inputId = `upload-${product.id}`;
  return (
    <article class="card product" data-product-id={product.id} aria-labelledby={`product-${product.id}`}>
      <header>
        <h3 id={`product-${product.id}`}>{product.product_name}</h3>
        <span class="price">{product.product_price.toFixed(2)}</span>
        <button type="button" onClick={() => onEdit(product)} aria-label={`Edit ${product.product_name}`}>
          Edit
        </button>
      </header>
      <p>{product.product_description}</p>
      <ul class="images">
        {product.images.map((image) => (
          <ImageRow key={image.id} product={product} image={image} say={say} />
        ))}
      </ul>
      <div
        class={`drop${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault();
          setDragging(false);
          void upload(event.dataTransfer?.files[0]);
        }}
      >
        <label for={inputId}>Drop an image here, or choose one</label>
        <input id={inputId} type="file" accept="image/*" onChange={(event) => void upload(event.currentTarget.files?.[0])} />
      </div>
    </article>
  );
}
