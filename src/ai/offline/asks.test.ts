/**
 * The four prompts of issue 15, each of which once lost what it asked for most specifically:
 * every ask is now either carried into the generated content or listed as unmet.
 */
import { describe, expect, it } from 'vitest';
import { analyzePrompt } from './analyze.js';
import { assessAsks, unmetOf, visibleContent } from './asks.js';
import { renderApp } from './render/app.js';
import { updateAsks } from './update-asks.js';
import { parseUpdate } from './update.js';

function generate(prompt: string) {
  const spec = analyzePrompt(prompt);
  const files = renderApp(spec);
  const asks = assessAsks(prompt, spec, files);
  return { spec, files, asks, data: files.get('src/data.ts') ?? '', unmet: unmetOf(asks) };
}

function honoured(asks: ReturnType<typeof generate>['asks']): string[] {
  return asks.filter((ask) => ask.honoured).map((ask) => ask.kind + ':' + ask.text);
}

describe('asks from the issue prompts', () => {
  it('todo with priorities: the task tag is the priority', () => {
    const { spec, data, asks, unmet } = generate(
      'A todo app for my weekly chores, with priorities',
    );
    expect(spec.kind).toBe('todo');
    expect(data).toContain("tags: ['High priority', 'Medium priority', 'Low priority']");
    expect(honoured(asks)).toContain('feature:priorities');
    expect(unmet).toEqual([]);
  });

  it('portfolio: name, city, gold accent on a dark theme, wedding and wildlife as categories', () => {
    const { spec, data, asks, unmet } = generate(
      'Portfolio for Maya Okafor, wedding and wildlife photographer in Nairobi, dark with gold accents, gallery and contact form',
    );
    expect(spec.name).toBe('Maya Okafor');
    expect(spec.theme).toMatchObject({ accent: '#c9a227', dark: true });
    expect(spec.theme.primary).not.toBe('#7c3aed');
    expect(data).toContain("category: 'Wildlife'");
    expect(data).toContain("title: 'Wedding in Nairobi'");
    expect(data).toContain("caption: 'Wildlife · 1'");
    expect(data).not.toContain('Northern Light');
    expect(honoured(asks)).toEqual(
      expect.arrayContaining([
        'entity:Maya Okafor',
        'entity:Wedding',
        'entity:Wildlife',
        'entity:Nairobi',
        'section:gallery',
        'section:contact',
        'colour:gold',
        'colour:dark',
      ]),
    );
    expect(unmet).toEqual([]);
  });

  it('dashboard: three shops are the breakdown, drinks the best-seller table, 12 months charted', () => {
    const { spec, data, asks, unmet } = generate(
      'Sales dashboard for three coffee shops: revenue per shop, best-selling drinks, a 12-month chart',
    );
    expect(spec.kind).toBe('dashboard');
    expect(data).toContain("title: 'Revenue by shop'");
    for (const shop of ['Coffee shop 1', 'Coffee shop 2', 'Coffee shop 3'])
      expect(data).toContain("label: '" + shop + "'");
    expect(data).toContain("title: 'Best-selling drinks'");
    expect(data).toContain("'Latte'");
    expect(data).not.toMatch(/Online store|Marketplace/);
    expect(honoured(asks)).toEqual(
      expect.arrayContaining([
        'entity:coffee shops',
        'entity:drinks',
        'count:three coffee shops',
        'count:12-month chart',
        'feature:chart',
      ]),
    );
    expect(unmet).toEqual([]);
    // The shops are also the chart's series, one line each over the 12 months.
    const chart = spec.blocks?.find((block) => block.feature === 'chart');
    const series = (chart?.data as { series?: { name: string; values: number[] }[] }).series;
    expect(series?.map((s) => s.name)).toEqual(['Coffee shop 1', 'Coffee shop 2', 'Coffee shop 3']);
    expect(series?.every((s) => s.values.length === 12)).toBe(true);
  });

  it('shops the prompt names are the breakdown and the series, not numbered stand-ins', () => {
    const { spec, data, unmet } = generate(
      'Sales dashboard for three coffee shops: Bean There, Cup & Co and Daily Grind, with a monthly chart',
    );
    expect(spec.facts?.group?.names).toEqual(['Bean There', 'Cup & Co', 'Daily Grind']);
    for (const shop of ['Bean There', 'Cup & Co', 'Daily Grind'])
      expect(data).toContain("label: '" + shop + "'");
    expect(data).not.toContain('Coffee shop 1');
    const chart = spec.blocks?.find((block) => block.feature === 'chart');
    expect(chart?.data).toMatchObject({
      unit: 'currency',
      series: [{ name: 'Bean There' }, {}, {}],
    });
    expect(unmet).toEqual([]);
  });

  it('cat birthday: Biscuit is the title and subject, the date counts down, replies are kept', () => {
    const { spec, files, asks, unmet } = generate(
      "A page for my cat Biscuit's 5th birthday party on 14 March with a countdown, an RSVP list and pink balloons",
    );
    expect(spec.kind).toBe('event');
    expect(spec.name).toBe('Biscuit’s 5th Birthday Party');
    expect(spec.tagline).toBe('Biscuit turns 5! Come and celebrate on March 14.');
    expect(spec.theme.primary).toBe('#db2777');
    const content = visibleContent(files);
    expect(content).toContain("date: 'march 14'");
    expect(content).not.toMatch(/saltwater|cocktail|dj /);
    expect(spec.blocks?.map((block) => block.feature)).toEqual(['countdown', 'rsvp']);
    expect(files.get('src/data.ts')).toContain("date: '--03-14'");
    expect(honoured(asks)).toEqual(
      expect.arrayContaining([
        'entity:Biscuit',
        'colour:pink',
        'date:March 14',
        'feature:countdown',
        'feature:rsvp list',
      ]),
    );
    expect(unmet).toEqual([]);
  });

  it('lists a third colour, an unknown count and an unbuilt feature as unmet', () => {
    const { unmet } = generate(
      'A landing page for a yoga studio in red, blue and green with 5 pricing tiers and online booking',
    );
    expect(unmet.map((ask) => ask.kind + ':' + ask.text)).toEqual([
      'feature:online booking',
      'colour:green',
      'count:5 pricing tiers',
    ]);
  });

  it('keeps a name the prompt gives over anything canned', () => {
    const { spec, asks } = generate('A landing page for a bakery called "Crumb & Co" in teal');
    expect(spec.name).toBe('Crumb & Co');
    expect(spec.theme.primary).toBe('#0d9488');
    expect(honoured(asks)).toEqual(['entity:Crumb & Co', 'colour:teal']);
    const plumber = generate('A homepage for my plumbing business, Rapid Pipes, with reviews');
    expect(plumber.spec.name).toBe('Rapid Pipes');
    expect(honoured(plumber.asks)).toContain('entity:Rapid Pipes');
  });
});

describe('asks of an update prompt', () => {
  const asksOf = (prompt: string) =>
    updateAsks(prompt, parseUpdate(prompt)).map((ask) => ({
      text: ask.text,
      honoured: ask.honoured,
      reason: ask.reason,
    }));

  it('counts a library block added or removed as honoured, other features as unmet', () => {
    expect(asksOf('Add a countdown and a calendar')).toEqual([
      {
        text: 'countdown',
        honoured: true,
        reason: 'Added from the component library: countdown.',
      },
      {
        text: 'calendar',
        honoured: false,
        reason: 'An offline update cannot add a calendar; this needs an AI engine.',
      },
    ]);
    expect(asksOf('Remove the map')).toEqual([
      { text: 'map', honoured: true, reason: 'Removed: map.' },
    ]);
  });
});
