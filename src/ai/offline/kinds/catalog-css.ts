/** Styles for the catalog kind. */
export const CATALOG_CSS = `/* Catalog */
.catalog-toolbar {
  display: flex;
  flex-wrap: wrap;
  gap: 1rem;
  align-items: end;
  margin-bottom: 1rem;
}

.search {
  flex: 1 1 280px;
  display: flex;
  align-items: center;
  gap: 0.6rem;
  padding: 0 0.9rem;
  border: 1px solid var(--border);
  border-radius: 999px;
  background: var(--surface);
}

.search input {
  border: 0;
  background: transparent;
  padding-inline: 0;
}

.search input:focus {
  outline: none;
}

.search:focus-within {
  outline: 2px solid var(--primary);
}

.sort {
  display: flex;
  align-items: center;
  gap: 0.6rem;
  font-weight: 600;
}

.sort select {
  width: auto;
}

.catalog-status {
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  gap: 0.5rem;
}

.bag {
  font-weight: 700;
}

.product-grid {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
  gap: 1.25rem;
}

.product {
  position: relative;
  display: flex;
  flex-direction: column;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  overflow: hidden;
  box-shadow: var(--shadow);
  transition: transform 0.2s ease;
}

.product:hover {
  transform: translateY(-3px);
}

.product-art {
  display: grid;
  place-items: center;
  aspect-ratio: 4 / 3;
  font-size: 4rem;
}

.product-badge {
  position: absolute;
  top: 0.8rem;
  left: 0.8rem;
}

.product-body {
  display: flex;
  flex-direction: column;
  flex: 1;
  padding: 1.1rem 1.2rem 1.3rem;
}

.product-body h3 {
  margin-bottom: 0.4rem;
}

.product-category {
  margin: 0 0 0.3rem;
  font-size: 0.78rem;
  font-weight: 700;
  text-transform: uppercase;
  letter-spacing: 0.08em;
  color: var(--primary-ink);
}

.rating {
  color: #d97706;
  font-weight: 700;
  font-size: 0.9rem;
}

.product-footer {
  display: flex;
  justify-content: space-between;
  align-items: center;
  gap: 0.5rem;
  margin-top: auto;
}

.product-price {
  font-size: 1.2rem;
  font-weight: 800;
}
`;
