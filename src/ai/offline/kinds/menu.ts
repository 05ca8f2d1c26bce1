/** Restaurant menu: dishes grouped by category with prices, jump links and a dietary filter. */
import { menuData } from '../content/menu-data.js';
import type { KindPart, RenderContext } from '../render/context.js';

const code = String.raw;

const MENU = code`import { useState } from 'react';
import { menu } from '../data';
import SectionHeading from './SectionHeading';

type Diet = 'all' | 'v' | 'gf';

const DIETS: { id: Diet; label: string }[] = [
  { id: 'all', label: 'Everything' },
  { id: 'v', label: '🌱 Vegetarian' },
  { id: 'gf', label: 'Gluten-free' },
];
const TAGS: Record<string, { short: string; label: string }> = {
  v: { short: 'V', label: 'Vegetarian' },
  vg: { short: 'VG', label: 'Vegan' },
  gf: { short: 'GF', label: 'Gluten-free' },
  hot: { short: '🌶', label: 'Spicy' },
};

function fits(tags: string[], diet: Diet): boolean {
  if (diet === 'all') return true;
  if (diet === 'v') return tags.includes('v') || tags.includes('vg');
  return tags.includes(diet);
}

export default function Menu() {
  const [diet, setDiet] = useState<Diet>('all');
  const groups = menu.categories
    .map((category) => ({ ...category, dishes: category.dishes.filter((dish) => fits(dish.tags, diet)) }))
    .filter((category) => category.dishes.length > 0);

  return (
    <section id="menu" className="section">
      <div className="container">
        <SectionHeading eyebrow={menu.eyebrow} title={menu.title} intro={menu.intro} />
        <div className="menu-toolbar">
          <nav className="menu-jump" aria-label="Menu categories">
            {groups.map((category) => (
              <a key={category.id} className="chip" href={'#' + category.id}>
                {category.name}
              </a>
            ))}
          </nav>
          <div className="filters" role="group" aria-label="Dietary preference">
            {DIETS.map((option) => (
              <button
                key={option.id}
                type="button"
                className="chip"
                aria-pressed={diet === option.id}
                onClick={() => setDiet(option.id)}
              >
                {option.label}
              </button>
            ))}
          </div>
        </div>
        {groups.length === 0 ? (
          <p className="empty">No dishes match this filter today. Ask us: the kitchen is happy to adapt.</p>
        ) : (
          <div className="menu-columns">
            {groups.map((category) => (
              <section key={category.id} id={category.id} className="menu-group" aria-label={category.name}>
                <h3>{category.name}</h3>
                <ul>
                  {category.dishes.map((dish) => (
                    <li key={dish.id} className="dish">
                      <div className="dish-line">
                        <span className="dish-name">{dish.name}</span>
                        <span className="dish-dots" aria-hidden="true" />
                        <span className="dish-price">{dish.price}</span>
                      </div>
                      <p className="dish-desc">{dish.description}</p>
                      {dish.tags.length > 0 ? (
                        <p className="dish-tags">
                          {dish.tags.map((tag) => (
                            <abbr key={tag} className="diet-tag" title={TAGS[tag]?.label ?? tag}>
                              {TAGS[tag]?.short ?? tag}
                            </abbr>
                          ))}
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
        )}
        <p className="muted small menu-note">{menu.note}</p>
      </div>
    </section>
  );
}
`;

const TYPES = code`export interface Dish {
  id: string;
  name: string;
  description: string;
  price: string;
  tags: string[];
}

export interface MenuData {
  eyebrow: string;
  title: string;
  intro: string;
  note: string;
  categories: { id: string; name: string; dishes: Dish[] }[];
}`;

const CSS = `/* Menu */
.menu-toolbar {
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  gap: 1rem;
  margin-bottom: 2rem;
}

.menu-jump {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem;
}

.menu-jump .chip {
  color: var(--text);
  text-decoration: none;
}

.menu-toolbar .filters {
  margin: 0;
}

.menu-columns {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(320px, 1fr));
  gap: 1.5rem 3rem;
}

.menu-group {
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.6rem 1.8rem;
}

.menu-group h3 {
  font-size: 1.5rem;
  padding-bottom: 0.6rem;
  border-bottom: 2px solid var(--primary-soft);
}

.menu-group ul {
  list-style: none;
  margin: 0;
  padding: 0;
  display: grid;
  gap: 1.1rem;
}

.dish-line {
  display: flex;
  align-items: baseline;
  gap: 0.5rem;
}

.dish-name {
  font-weight: 700;
}

.dish-dots {
  flex: 1;
  border-bottom: 2px dotted var(--border);
  transform: translateY(-4px);
}

.dish-price {
  font-weight: 700;
  color: var(--primary-ink);
}

.dish-desc {
  margin: 0.2rem 0 0;
  color: var(--muted);
  font-size: 0.95rem;
}

.dish-tags {
  display: flex;
  gap: 0.35rem;
  margin: 0.4rem 0 0;
}

.diet-tag {
  text-decoration: none;
  font-size: 0.72rem;
  font-weight: 800;
  padding: 0.1rem 0.45rem;
  border-radius: 6px;
  background: var(--accent-soft);
  color: var(--accent-ink);
  cursor: help;
}

.menu-note {
  margin-top: 2rem;
  text-align: center;
}
`;

export function renderMenu(ctx: RenderContext): KindPart {
  const { spec, pack } = ctx;
  return {
    components: [{ name: 'Menu', source: MENU }],
    files: [],
    types: TYPES,
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
    css: CSS,
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
