import { useMemo, useState } from 'react';
import { catalog } from '../data';
import SectionHeading from './SectionHeading';

type Sort = 'featured' | 'price-asc' | 'price-desc' | 'name';

const ALL = '';
const SORTS: { id: Sort; label: string }[] = [
  { id: 'featured', label: 'Featured' },
  { id: 'price-asc', label: 'Price: low to high' },
  { id: 'price-desc', label: 'Price: high to low' },
  { id: 'name', label: 'Name' },
];
const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: catalog.currency });
const categories = Array.from(new Set(catalog.products.map((product) => product.category)));

export default function Catalog() {
  const [category, setCategory] = useState(ALL);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>('featured');
  const [bag, setBag] = useState<string[]>([]);

  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const list = catalog.products.filter(
      (product) =>
        (category === ALL || product.category === category) &&
        (needle === '' ||
          (product.name + ' ' + product.category + ' ' + product.description)
            .toLowerCase()
            .includes(needle)),
    );
    if (sort === 'price-asc') list.sort((a, b) => a.price - b.price);
    if (sort === 'price-desc') list.sort((a, b) => b.price - a.price);
    if (sort === 'name') list.sort((a, b) => a.name.localeCompare(b.name));
    return list;
  }, [category, query, sort]);

  const total = bag.reduce(
    (sum, id) => sum + (catalog.products.find((product) => product.id === id)?.price ?? 0),
    0,
  );
  const toggleBag = (id: string) =>
    setBag((current) =>
      current.includes(id) ? current.filter((item) => item !== id) : [...current, id],
    );
  const reset = () => {
    setCategory(ALL);
    setQuery('');
  };

  return (
    <section id="products" className="section">
      <div className="container">
        <SectionHeading eyebrow={catalog.eyebrow} title={catalog.title} intro={catalog.intro} />
        <div className="catalog-toolbar">
          <label className="search">
            <span className="sr-only">Search products</span>
            <span aria-hidden="true">🔍</span>
            <input
              type="search"
              value={query}
              aria-label="Search products"
              onChange={(event) => setQuery(event.target.value)}
            />
          </label>
          <label className="sort">
            <span>Sort by</span>
            <select value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
              {SORTS.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div className="filters" role="group" aria-label="Categories">
          <button
            type="button"
            className="chip"
            aria-pressed={category === ALL}
            onClick={() => setCategory(ALL)}
          >
            All
          </button>
          {categories.map((name) => (
            <button
              key={name}
              type="button"
              className="chip"
              aria-pressed={category === name}
              onClick={() => setCategory(name)}
            >
              {name}
            </button>
          ))}
        </div>
        <div className="catalog-status">
          <p className="muted" aria-live="polite">
            {visible.length} {visible.length === 1 ? 'product' : 'products'}
            {category !== ALL ? ' in ' + category : ''}
            {query.trim() ? ' matching “' + query.trim() + '”' : ''}
          </p>
          <p className="bag" aria-live="polite">
            🛍️ {bag.length} {bag.length === 1 ? 'item' : 'items'} · {price.format(total)}
          </p>
        </div>
        {visible.length === 0 ? (
          <div className="empty">
            <p>No products match your search.</p>
            <button type="button" className="btn btn-ghost" onClick={reset}>
              Clear filters
            </button>
          </div>
        ) : (
          <div className="product-grid">
            {visible.map((product) => {
              const inBag = bag.includes(product.id);
              return (
                <article key={product.id} className="product">
                  <div
                    className="product-art"
                    style={{ background: 'hsl(' + product.hue + ' 60% 90%)' }}
                    aria-hidden="true"
                  >
                    {product.emoji}
                  </div>
                  {product.badge ? (
                    <span className="badge product-badge">{product.badge}</span>
                  ) : null}
                  <div className="product-body">
                    <p className="product-category">{product.category}</p>
                    <h3>{product.name}</h3>
                    <p className="muted small">{product.description}</p>
                    <p className="rating" aria-label={'Rated ' + product.rating + ' out of 5'}>
                      ★ {product.rating.toFixed(1)}
                    </p>
                    <div className="product-footer">
                      <span className="product-price">{price.format(product.price)}</span>
                      <button
                        type="button"
                        className={inBag ? 'btn btn-small btn-ghost' : 'btn btn-small'}
                        aria-pressed={inBag}
                        onClick={() => toggleBag(product.id)}
                      >
                        {inBag ? '✓ In bag' : 'Add to bag'}
                      </button>
                    </div>
                  </div>
                </article>
              );
            })}
          </div>
        )}
      </div>
    </section>
  );
}
