import { useState } from 'react';
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
    .map((category) => ({
      ...category,
      dishes: category.dishes.filter((dish) => fits(dish.tags, diet)),
    }))
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
          <p className="empty">
            No dishes match this filter today. Ask us: the kitchen is happy to adapt.
          </p>
        ) : (
          <div className="menu-columns">
            {groups.map((category) => (
              <section
                key={category.id}
                id={category.id}
                className="menu-group"
                aria-label={category.name}
              >
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
