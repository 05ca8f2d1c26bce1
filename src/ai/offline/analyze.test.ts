import { describe, expect, it } from 'vitest';
import { analyzePrompt, detectKind, extractSubject, normalize } from './analyze.js';
import { extractColors, extractItems, extractNameFacts, extractSections } from './extract.js';
import { extractPlace } from './extract-place.js';
import type { AppKind } from './types.js';

describe('detectKind', () => {
  const table: [string, AppKind][] = [
    ['A landing page for a bakery', 'landing'],
    ['Build a website for my cafe', 'landing'],
    ['Homepage for our design agency', 'landing'],
    ['A SaaS startup landing page with pricing', 'landing'],
    ['A LANDING PAGE FOR A COFFEE SHOP', 'landing'],
    ['Make a to-do list app', 'todo'],
    ['A simple TODO app with a dark theme', 'todo'],
    ['task manager for my team', 'todo'],
    ['A grocery list', 'todo'],
    ['An app to keep track of my chores', 'todo'],
    ['My photography portfolio', 'portfolio'],
    ['Portfolio website for a UX designer', 'portfolio'],
    ['A personal site to showcase my projects', 'portfolio'],
    ['A blog about gardening', 'blog'],
    ['Create a personal blog with articles', 'blog'],
    ['A travel journal', 'blog'],
    ['An analytics dashboard with a chart', 'dashboard'],
    ['Sales metrics and KPIs overview', 'dashboard'],
    ['An expense tracker with graphs', 'dashboard'],
    ['A product catalog with filtering', 'catalog'],
    ['An online store selling handmade candles', 'catalog'],
    ['E-commerce product listing for sneakers', 'catalog'],
    ['An event page for a tech conference', 'event'],
    ['Wedding website with RSVP', 'event'],
    ['A page for our summer music festival with tickets', 'event'],
    ['A restaurant menu', 'menu'],
    ['Menu for an italian trattoria with prices', 'menu'],
    ['A website for my sushi restaurant', 'menu'],
    ['A page about the history of jazz', 'general'],
    ['Something nice about space exploration', 'general'],
  ];

  it.each(table)('%j → %s', (prompt, kind) => {
    expect(detectKind(prompt)).toBe(kind);
  });

  it('does not read a navigation menu as a restaurant menu', () => {
    expect(normalize('A landing page with a hamburger menu and a dropdown menu')).not.toMatch(
      /menu/,
    );
    expect(detectKind('A landing page for a law firm with a navigation menu')).toBe('landing');
  });
});

describe('names', () => {
  const table: [string, string | null][] = [
    ['A landing page for a bakery called "Sunrise Bakery"', 'Sunrise Bakery'],
    ['A bakery called Sunrise Bakery with a menu', 'Sunrise Bakery'],
    ['a coffee shop named blue door cafe, with a menu', 'Blue Door Cafe'],
    ['A portfolio titled “Northern Light”', 'Northern Light'],
    ["A blog named 'Slow Mornings'", 'Slow Mornings'],
    ['A landing page for Acme Rockets with pricing', 'Acme Rockets'],
    ['A wedding page for Anna & Tom', 'Anna & Tom'],
    ['"Pixel Perfect" a design studio site', 'Pixel Perfect'],
    ['A landing page for a bakery', null],
    ['A landing page for React developers', null],
  ];

  it.each(table)('%j → %j', (prompt, name) => {
    expect(extractNameFacts(prompt).name).toBe(name);
  });

  it('reads a quoted tagline separately from the name', () => {
    const facts = extractNameFacts('A site called "Nimbus" with the tagline "Weather, simplified"');
    expect(facts).toMatchObject({ name: 'Nimbus', tagline: 'Weather, simplified' });
  });

  it('takes quoted list entries as items, not as the name', () => {
    const facts = extractNameFacts('A todo app with tasks "Buy milk" and "Walk the dog"');
    expect(facts.name).toBeNull();
    expect(facts.quotedItems).toEqual(['Buy milk', 'Walk the dog']);
  });

  it('derives a Title Case name from kind and subject when none is given', () => {
    expect(analyzePrompt('A landing page for a bakery').name).toMatch(
      /^[A-Z][a-z]+( [A-Z][a-z]+)? Bakery$/,
    );
    expect(analyzePrompt('A sales dashboard').name).toBe('Sales Dashboard');
    expect(analyzePrompt('A blog about gardening').name).toBe('The Gardening Journal');
    expect(analyzePrompt('A page about the history of jazz').name).toBe('The History of Jazz');
    expect(analyzePrompt('A todo app for groceries').name).toBe('Groceries Checklist');
    expect(analyzePrompt('A landing page for my startup').name).toMatch(/ Labs$/);
    expect(analyzePrompt('A product catalog for an outdoor gear store').name).toMatch(
      / Outdoor Gear$/,
    );
  });

  it('lets an explicit name win over the prompt', () => {
    const spec = analyzePrompt('A bakery called "Sunrise"', { name: '  Moonlight   Bakes ' });
    expect(spec.name).toBe('Moonlight Bakes');
  });
});

describe('colours', () => {
  it('reads colour words and hex codes in order: primary, then accent', () => {
    expect(extractColors('A landing page in teal')).toEqual({
      primary: '#0d9488',
      accent: null,
      dark: null,
    });
    expect(extractColors('Blue and gold please')).toMatchObject({
      primary: '#2563eb',
      accent: '#c9a227',
    });
    expect(extractColors('brand colour #1E90FF with #fc0 accents')).toMatchObject({
      primary: '#1e90ff',
      accent: '#ffcc00',
    });
    expect(extractColors('PURPLE theme, dark mode')).toEqual({
      primary: '#7e22ce',
      accent: null,
      dark: true,
    });
  });

  it('marks an accent colour as the accent even when it comes first', () => {
    expect(extractColors('gold accents on a navy background')).toMatchObject({
      primary: '#1e3a8a',
      accent: '#c9a227',
    });
  });

  it('ignores colour words used as nouns and inside names', () => {
    expect(extractColors('An ice cream shop').primary).toBeNull();
    expect(extractColors('A mint tea cafe').primary).toBeNull();
    expect(extractColors('A cafe called Red Door', ['Red Door']).primary).toBeNull();
    expect(extractColors('A cafe with a sage and cream colour scheme').primary).toBe('#84a98c');
  });

  it('uses kind defaults when the prompt has no colour', () => {
    const spec = analyzePrompt('A todo app');
    expect(spec.theme).toMatchObject({ primary: '#0d9488', dark: false });
    expect(analyzePrompt('A todo app in red').theme.primary).toBe('#dc2626');
  });
});

describe('sections', () => {
  it('recognises requested sections and synonyms, in page order', () => {
    expect(extractSections('with contact, pricing plans, an about us and testimonials')).toEqual([
      'about',
      'pricing',
      'testimonials',
      'contact',
    ]);
    expect(extractSections('frequently asked questions, meet the team, a photo gallery')).toEqual([
      'gallery',
      'team',
      'faq',
    ]);
    expect(extractSections('reviews, our story, newsletter signup and what we offer')).toEqual([
      'services',
      'about',
      'testimonials',
      'newsletter',
    ]);
  });

  it('ignores negated sections and blog topics that merely say "about"', () => {
    expect(extractSections('a landing page without pricing and no testimonials')).toEqual([]);
    expect(extractSections('a blog about gardening')).toEqual([]);
  });

  it('uses kind defaults, adds one or two requested sections, and honours a full list', () => {
    expect(analyzePrompt('A landing page for a bakery').sections).toEqual([
      'services',
      'about',
      'testimonials',
      'contact',
    ]);
    expect(analyzePrompt('A landing page for a bakery with a gallery').sections).toContain(
      'gallery',
    );
    expect(analyzePrompt('A landing page with pricing, faq and contact').sections).toEqual([
      'pricing',
      'faq',
      'contact',
    ]);
    expect(analyzePrompt('A todo app').sections).toEqual([]);
    expect(analyzePrompt('A landing page for a gym, without testimonials').sections).not.toContain(
      'testimonials',
    );
  });
});

describe('subjects, items and details', () => {
  it.each([
    ['A landing page for my bakery', 'bakery'],
    ['a simple bakery landing page', 'bakery'],
    ['An online shop selling handmade candles', 'handmade candles'],
    ['A dashboard showing sales metrics', 'sales metrics'],
    ['A blog about gardening for beginners', 'gardening'],
    ['A restaurant menu for an italian trattoria', 'italian trattoria'],
    ['A todo app', ''],
  ])('%j → subject %j', (prompt, subject) => {
    expect(extractSubject(normalize(prompt))).toBe(subject);
  });

  it('finds listed items after a colon or "such as"', () => {
    expect(extractItems('A menu with dishes: pizza, pasta and tiramisu.', [])).toEqual([
      'Pizza',
      'Pasta',
      'Tiramisu',
    ]);
    expect(extractItems('A shop with categories such as hats, bags, shoes', [])).toEqual([
      'Hats',
      'Bags',
      'Shoes',
    ]);
    expect(extractItems('A landing page with sections: about, pricing and contact', [])).toEqual(
      [],
    );
  });

  it('reads date, time, venue and city for events', () => {
    expect(extractPlace('A meetup on March 3rd at 7pm at The Old Mill in Leeds', null)).toEqual({
      city: 'Leeds',
      venue: 'The Old Mill',
      date: 'March 3',
      time: '7:00 pm',
    });
    expect(extractPlace('Our wedding on 14 June 2026', null).date).toBe('June 14, 2026');
  });

  it('picks a currency from symbols and places', () => {
    expect(analyzePrompt('A cafe menu in Paris, prices in €').currency).toBe('EUR');
    expect(analyzePrompt('A bakery in London').currency).toBe('GBP');
    expect(analyzePrompt('A bakery in Austin').currency).toBe('USD');
  });

  it('is deterministic', () => {
    const prompt = 'A product catalog for an outdoor gear store with filtering, in green';
    expect(analyzePrompt(prompt)).toEqual(analyzePrompt(prompt));
  });
});
