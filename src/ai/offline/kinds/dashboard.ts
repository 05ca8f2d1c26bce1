/** Dashboard: KPI cards, an SVG line/bar chart with a range toggle, a breakdown and a table. */
import { dashboardData } from '../content/dashboard-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { template, typeDeclarations } from '../templates.js';

export function renderDashboard(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  const data = dashboardData(spec.topic, spec.items, spec.seed, ctx.money, spec.facts);
  return {
    components: [{ name: 'Dashboard', source: template('dashboard/components/Dashboard.tsx') }],
    files: [
      { path: 'src/components/Chart.tsx', source: template('dashboard/components/Chart.tsx') },
      { path: 'src/components/format.ts', source: template('dashboard/components/format.ts') },
    ],
    types: typeDeclarations('dashboard'),
    data: [
      { name: 'dashboard', type: 'DashboardData', value: { ...data, currency: spec.currency } },
    ],
    css: template('dashboard/dashboard.css'),
    nav: [
      { label: 'Overview', href: '#overview' },
      { label: 'Trends', href: '#trends' },
      { label: 'Activity', href: '#activity' },
    ],
    hero: { compact: true, eyebrow: data.title, highlights: [], cta: null, secondary: null },
  };
}
