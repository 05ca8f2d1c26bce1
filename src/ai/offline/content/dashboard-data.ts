/** Metric sets for the dashboard, and deterministic numbers to fill them. */
import { random, singular } from '../text.js';
import { EMPTY_FACTS, type SpecFacts } from '../types.js';

type Format = 'currency' | 'number' | 'percent';

interface MetricDef {
  label: string;
  icon: string;
  base: number;
  format: Format;
  /** true when a fall is good news (churn, costs, response time). */
  lowerIsBetter?: boolean;
}

interface Domain {
  test: RegExp;
  title: string;
  kpis: readonly MetricDef[];
  series: { label: string; base: number; format: Format };
  breakdown: { title: string; labels: readonly string[] };
  activity: {
    title: string;
    columns: readonly [string, string, string, string];
    money?: boolean;
    rows: readonly (readonly [string, string])[];
    statuses?: readonly string[];
  };
}

const DOMAINS: readonly Domain[] = [
  {
    test: /\b(sales|revenue|orders?|shop|store|e-?commerce|retail)\b/,
    title: 'Sales overview',
    kpis: [
      { label: 'Revenue', icon: '💰', base: 48200, format: 'currency' },
      { label: 'Orders', icon: '🧾', base: 1240, format: 'number' },
      { label: 'Average order', icon: '🛒', base: 39, format: 'currency' },
      { label: 'Conversion rate', icon: '🎯', base: 3.2, format: 'percent' },
    ],
    series: { label: 'Monthly revenue', base: 42000, format: 'currency' },
    breakdown: {
      title: 'Revenue by channel',
      labels: ['Online store', 'Marketplace', 'Retail', 'Wholesale'],
    },
    activity: {
      title: 'Recent orders',
      money: true,
      columns: ['Order', 'Customer', 'Amount', 'Status'],
      rows: [
        ['#1048', 'Ava Thompson'],
        ['#1047', 'Liam Carter'],
        ['#1046', 'Sofia Rossi'],
        ['#1045', 'Noah Kim'],
        ['#1044', 'Emma Dubois'],
      ],
    },
  },
  {
    test: /\b(fitness|workouts?|health|running|steps|gym|training|habits?)\b/,
    title: 'Training overview',
    kpis: [
      { label: 'Workouts', icon: '🏋️', base: 18, format: 'number' },
      { label: 'Active minutes', icon: '⏱️', base: 740, format: 'number' },
      { label: 'Calories burned', icon: '🔥', base: 9800, format: 'number' },
      { label: 'Resting heart rate', icon: '❤️', base: 58, format: 'number', lowerIsBetter: true },
    ],
    series: { label: 'Active minutes per month', base: 600, format: 'number' },
    breakdown: { title: 'Time by activity', labels: ['Running', 'Strength', 'Cycling', 'Yoga'] },
    activity: {
      title: 'Recent sessions',
      columns: ['Session', 'Type', 'Minutes', 'Status'],
      rows: [
        ['Morning run', 'Running'],
        ['Upper body', 'Strength'],
        ['Hill ride', 'Cycling'],
        ['Stretch & breathe', 'Yoga'],
        ['Intervals', 'Running'],
      ],
    },
  },
  {
    test: /\b(financ(e|es|ial)|budget|expenses?|spending|money|savings?|invest(ing|ments?)?)\b/,
    title: 'Money overview',
    kpis: [
      { label: 'Income', icon: '💵', base: 6200, format: 'currency' },
      { label: 'Spending', icon: '💳', base: 4100, format: 'currency', lowerIsBetter: true },
      { label: 'Saved', icon: '🏦', base: 2100, format: 'currency' },
      { label: 'Savings rate', icon: '📈', base: 33, format: 'percent' },
    ],
    series: { label: 'Monthly spending', base: 3900, format: 'currency' },
    breakdown: {
      title: 'Spending by category',
      labels: ['Housing', 'Groceries', 'Transport', 'Going out'],
    },
    activity: {
      title: 'Recent transactions',
      money: true,
      columns: ['Date', 'Merchant', 'Amount', 'Status'],
      rows: [
        ['Jun 28', 'Corner Grocer'],
        ['Jun 27', 'City Transit'],
        ['Jun 26', 'Rent'],
        ['Jun 25', 'Cinema'],
        ['Jun 24', 'Book Nook'],
      ],
    },
  },
  {
    test: /\b(web(site)?|traffic|visitors?|seo|marketing|social|audience|analytics|blog)\b/,
    title: 'Audience overview',
    kpis: [
      { label: 'Visitors', icon: '👥', base: 84000, format: 'number' },
      { label: 'Page views', icon: '📄', base: 212000, format: 'number' },
      { label: 'Sign-ups', icon: '✍️', base: 1830, format: 'number' },
      { label: 'Bounce rate', icon: '↩️', base: 41, format: 'percent', lowerIsBetter: true },
    ],
    series: { label: 'Monthly visitors', base: 70000, format: 'number' },
    breakdown: { title: 'Traffic by source', labels: ['Search', 'Social', 'Direct', 'Referral'] },
    activity: {
      title: 'Top pages',
      columns: ['Page', 'Section', 'Views', 'Status'],
      rows: [
        ['/pricing', 'Product'],
        ['/blog/getting-started', 'Blog'],
        ['/', 'Home'],
        ['/features', 'Product'],
        ['/about', 'Company'],
      ],
    },
  },
  {
    test: /\b(support|tickets?|customers? service|help ?desk)\b/,
    title: 'Support overview',
    kpis: [
      { label: 'Open tickets', icon: '📬', base: 86, format: 'number', lowerIsBetter: true },
      { label: 'Solved this month', icon: '✅', base: 1420, format: 'number' },
      { label: 'First reply (min)', icon: '⏱️', base: 18, format: 'number', lowerIsBetter: true },
      { label: 'Satisfaction', icon: '😊', base: 94, format: 'percent' },
    ],
    series: { label: 'Tickets solved per month', base: 1200, format: 'number' },
    breakdown: { title: 'Tickets by topic', labels: ['Billing', 'Account', 'Bugs', 'How-to'] },
    activity: {
      title: 'Latest tickets',
      columns: ['Ticket', 'Customer', 'Age (h)', 'Status'],
      rows: [
        ['#4821', 'Mia Jensen'],
        ['#4820', 'Oliver Brown'],
        ['#4819', 'Chloe Martin'],
        ['#4818', 'Lucas Silva'],
        ['#4817', 'Zoe Walker'],
      ],
    },
  },
];

const DEFAULT_DOMAIN: Domain = {
  test: /$^/,
  title: 'Business overview',
  kpis: [
    { label: 'Revenue', icon: '💰', base: 126000, format: 'currency' },
    { label: 'Customers', icon: '👥', base: 2380, format: 'number' },
    { label: 'Churn', icon: '📉', base: 2.4, format: 'percent', lowerIsBetter: true },
    { label: 'Satisfaction', icon: '⭐', base: 92, format: 'percent' },
  ],
  series: { label: 'Monthly revenue', base: 98000, format: 'currency' },
  breakdown: {
    title: 'Revenue by product',
    labels: ['Subscriptions', 'Services', 'Add-ons', 'Training'],
  },
  activity: {
    title: 'Recent activity',
    money: true,
    columns: ['Reference', 'Account', 'Value', 'Status'],
    rows: [
      ['INV-2291', 'Northwind Ltd'],
      ['INV-2290', 'Blue Harbor'],
      ['INV-2289', 'Cedar & Co'],
      ['INV-2288', 'Lumen Studio'],
      ['INV-2287', 'Atlas Group'],
    ],
  },
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const STATUSES = ['Completed', 'Completed', 'Pending', 'Completed', 'In progress'];
const ICONS = ['📌', '📈', '🧮', '🎯', '⭐', '📦'];

function round(value: number, format: Format): number {
  return format === 'percent' ? Math.round(value * 10) / 10 : Math.round(value);
}

/**
 * The domain's tables with what the prompt named put in: a counted group ("three coffee shops")
 * is the breakdown, a kind of product ("drinks") is the activity table.
 */
function withFacts(domain: Domain, facts: SpecFacts): Domain {
  const { group, products } = facts;
  const unit = group ? singular(group.noun.split(' ').pop() ?? '') : '';
  return {
    ...domain,
    breakdown: group
      ? {
          title:
            domain.series.label.replace(/^Monthly /, '').replace(/^\w/, (c) => c.toUpperCase()) +
            ' by ' +
            unit,
          labels: group.names,
        }
      : domain.breakdown,
    activity: products
      ? {
          title: 'Best-selling ' + products.noun,
          columns: ['Rank', products.noun.replace(/^\w/, (c) => c.toUpperCase()), 'Sales', 'Trend'],
          money: true,
          rows: products.names.map((name, index) => ['#' + (index + 1), name] as const),
          statuses: ['Top seller', 'Rising', 'Steady', 'Steady', 'Rising'],
        }
      : domain.activity,
  };
}

export function dashboardData(
  topic: string,
  items: readonly string[],
  seed: number,
  money: (amount: number) => string,
  facts: SpecFacts = EMPTY_FACTS,
) {
  const named = facts.group !== null || facts.products !== null;
  const domain = withFacts(
    DOMAINS.find((candidate) => candidate.test.test(topic)) ?? DEFAULT_DOMAIN,
    facts,
  );
  const rand = random(seed);
  // Listed items become the KPI cards, unless the prompt's named things already shape the data.
  const defs: MetricDef[] =
    items.length >= 2 && !named
      ? items.slice(0, 6).map((label, index) => ({
          label,
          icon: ICONS[index % ICONS.length]!,
          base: Math.round(200 + rand() * 9800),
          format: 'number' as const,
        }))
      : [...domain.kpis];
  const kpis = defs.map((def, index) => {
    const change = round((rand() - 0.25) * 24, 'percent');
    return {
      id: 'kpi-' + (index + 1),
      label: def.label,
      icon: def.icon,
      value: round(def.base * (0.9 + rand() * 0.2), def.format),
      format: def.format,
      change,
      good: def.lowerIsBetter ? change <= 0 : change >= 0,
    };
  });
  let level = domain.series.base * (0.7 + rand() * 0.1);
  const points = MONTHS.map((month, index) => {
    level = level * (1 + (rand() - 0.35) * 0.12);
    return { id: 'm' + (index + 1), label: month, value: round(level, domain.series.format) };
  });
  const weights = domain.breakdown.labels.map(() => 1 + rand() * 3);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const shares = weights.map((weight) => Math.round((weight / total) * 100));
  shares[0] = (shares[0] ?? 0) + (100 - shares.reduce((sum, share) => sum + share, 0));
  const breakdown = domain.breakdown.labels
    .map((label, index) => ({ id: 'b' + (index + 1), label, share: shares[index] ?? 0 }))
    .sort((a, b) => b.share - a.share);
  const amount = (value: number) => (domain.activity.money ? money(value) : String(value));
  const rows = domain.activity.rows.map(([first, second], index) => ({
    id: 'row-' + (index + 1),
    cells: [first, second, amount(Math.round(20 + rand() * 480))] as [string, string, string],
    status: (domain.activity.statuses ?? STATUSES)[index % STATUSES.length]!,
  }));
  return {
    title: domain.title,
    period: 'Last 12 months',
    kpis,
    series: { label: domain.series.label, format: domain.series.format, points },
    breakdown: { title: domain.breakdown.title, items: breakdown },
    activity: { title: domain.activity.title, columns: [...domain.activity.columns], rows },
  };
}

export type DashboardData = ReturnType<typeof dashboardData>;
