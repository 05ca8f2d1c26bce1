/** Picks the kind renderer. Landing and general pages are built from the hero and sections alone. */
import { authorOf } from '../content/portfolio-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { renderBlog } from './blog.js';
import { renderCatalog } from './catalog.js';
import { renderDashboard } from './dashboard.js';
import { renderEvent } from './event.js';
import { renderMenu } from './menu.js';
import { renderPortfolio } from './portfolio.js';
import { renderTodo } from './todo.js';

function renderLanding(ctx: RenderContext): KindPart {
  const { pack, spec } = ctx;
  const first = spec.sections[0];
  const primary = ctx.firstAnchor(['contact', 'pricing', 'newsletter', 'services', 'features']);
  return {
    components: [],
    files: [],
    types: '',
    data: [],
    css: '',
    nav: [],
    hero: {
      compact: false,
      eyebrow: ctx.fill(pack.eyebrow),
      highlights: pack.highlights.map(ctx.fill),
      cta: { label: ctx.fill(pack.cta), href: primary },
      secondary:
        first && '#' + first !== primary
          ? { label: first === 'about' ? 'Our story' : 'Learn more', href: '#' + first }
          : null,
    },
  };
}

export function renderKind(ctx: RenderContext): KindPart {
  switch (ctx.spec.kind) {
    case 'todo':
      return renderTodo(ctx);
    case 'dashboard':
      return renderDashboard(ctx);
    case 'catalog':
      return renderCatalog(ctx);
    case 'menu':
      return renderMenu(ctx);
    case 'event':
      return renderEvent(ctx);
    case 'blog':
      return renderBlog(ctx, authorOf(ctx.spec.seed));
    case 'portfolio':
      return renderPortfolio(ctx);
    case 'landing':
    case 'general':
      return renderLanding(ctx);
  }
}
