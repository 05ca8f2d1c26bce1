/** Restaurant menu: dishes grouped by category with prices, jump links and a dietary filter. */
import { menuData } from '../content/menu-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderMenu(ctx: RenderContext): KindPart {
  const { spec, pack } = ctx;
  return {
    components: [{ name: 'Menu', source: template('menu/components/Menu.tsx') }],
    files: [],
    types: typeDeclarations('menu'),
    data: [
      {
        name: 'menu',
        type: 'MenuData',
        value: {
          eyebrow: 'Served daily',
          title: 'Our menu',
          intro:
            'Seasonal, generous and made from scratch. Filter by what you eat or jump to a section.',
          note: 'V vegetarian · VG vegan · GF gluten-free · 🌶 spicy. Please tell us about any allergies when you order.',
          categories: menuData(spec.topic, spec.items, spec.seed, ctx.money),
        },
      },
    ],
    css: template('menu/menu.css'),
    nav: [{ label: 'Menu', href: '#menu' }],
    hero: {
      compact: false,
      eyebrow: ctx.fill(pack.eyebrow),
      highlights: pack.highlights.map(ctx.fill),
      cta: { label: 'See the menu', href: '#menu' },
      secondary: ctx.has('contact') ? { label: 'Book a table', href: '#contact' } : null,
    },
  };
}
