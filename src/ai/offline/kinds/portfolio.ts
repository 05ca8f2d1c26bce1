/** Portfolio: a filterable projects grid; each project opens in a dialog with its details. */
import { portfolioField, portfolioProjects } from '../content/portfolio-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderPortfolio(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  const field = portfolioField(spec.topic);
  return {
    components: [{ name: 'Projects', source: template('portfolio/components/Projects.tsx') }],
    files: [],
    types: typeDeclarations('portfolio'),
    data: [
      {
        name: 'portfolio',
        type: 'PortfolioData',
        value: {
          eyebrow: 'Selected work',
          title: 'Recent projects',
          intro: 'A few projects I am proud of. Select one to read more.',
          role: field.role,
          projects: portfolioProjects(
            field,
            spec.items,
            ctx.hue,
            spec.facts?.categories,
            spec.place.city,
          ),
        },
      },
    ],
    css: template('shared/writing.css'),
    nav: [{ label: 'Work', href: '#work' }],
    hero: {
      compact: false,
      eyebrow: field.role + (spec.place.city ? ' · ' + spec.place.city : ''),
      highlights: field.skills.slice(0, 3),
      cta: { label: 'See my work', href: '#work' },
      secondary: ctx.has('contact') ? { label: 'Get in touch', href: '#contact' } : null,
    },
  };
}
