/** Product catalog: category chips, text search, sorting and a small shopping bag. */
import { catalogData } from '../content/catalog-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderCatalog(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  // A kind of product the prompt named ("candles") is the range when it listed no items.
  const named = spec.facts?.products?.names ?? [];
  const items = spec.items.length < 2 && named.length > 0 ? named : spec.items;
  const products = catalogData(spec.topic, items, spec.seed);
  const categories = [...new Set(products.map((product) => product.category))];
  return {
    components: [{ name: 'Catalog', source: template('catalog/components/Catalog.tsx') }],
    files: [],
    types: typeDeclarations('catalog'),
    data: [
      {
        name: 'catalog',
        type: 'CatalogData',
        value: {
          eyebrow: 'The collection',
          title: 'Shop our favourites',
          intro:
            'Browse by category or search for something specific. Every piece is chosen with care.',
          currency: spec.currency,
          products: products.map((product) => ({
            ...product,
            hue: (ctx.hue + categories.indexOf(product.category) * 60) % 360,
          })),
        },
      },
    ],
    css: template('catalog/catalog.css'),
    nav: [{ label: 'Shop', href: '#products' }],
    hero: {
      compact: false,
      eyebrow: ctx.fill(ctx.pack.eyebrow),
      highlights: ctx.pack.highlights.map(ctx.fill),
      cta: { label: 'Shop the collection', href: '#products' },
      secondary: ctx.has('about') ? { label: 'Our story', href: '#about' } : null,
    },
  };
}
