import { describe, expect, it } from 'vitest';
import { analyzePrompt } from './analyze.js';
import { renderApp } from './render/app.js';
import type { AppSpec } from './types.js';
import { applyUpdate, isEmptyUpdate, parseUpdate } from './update.js';

describe('parseUpdate', () => {
  it.each([
    ['Rename it to "Moonlight Bakes"', { name: 'Moonlight Bakes' }],
    ['change the name to golden crumb', { name: 'Golden Crumb' }],
    [
      'Call it Green Leaf Cafe and add a gallery',
      { name: 'Green Leaf Cafe', primary: null, add: ['gallery'] },
    ],
    ['Make it blue', { primary: '#2563eb' }],
    ['Use #FF5733 as the main colour with gold accents', { primary: '#ff5733', accent: '#c9a227' }],
    ['Switch to dark mode', { dark: true }],
    ['make it light', { dark: false }],
    ['Add a pricing section and testimonials', { add: ['pricing', 'testimonials'], remove: [] }],
    ['Remove the FAQ and add a team section', { add: ['team'], remove: ['faq'] }],
    ['Please drop the newsletter', { add: [], remove: ['newsletter'] }],
    ['Change the tagline to "Fresh bread, every day"', { tagline: 'Fresh bread, every day' }],
    ['Add a countdown', { add: [], addBlocks: ['countdown'], removeBlocks: [] }],
    // "map" also asks for the contact section (where the address is), as in a create.
    ['Add an FAQ and a map', { add: ['faq', 'contact'], addBlocks: ['map'] }],
    ['Remove the countdown and add a map', { addBlocks: ['map'], removeBlocks: ['countdown'] }],
    ['Please drop the map.', { remove: [], addBlocks: [], removeBlocks: ['map'] }],
    ['Remove the contact section', { remove: ['contact'], removeBlocks: [] }],
  ])('%j', (prompt, expected) => {
    expect(parseUpdate(prompt)).toMatchObject(expected);
  });

  it('recognises requests it cannot apply', () => {
    expect(isEmptyUpdate(parseUpdate('Connect it to Stripe and add user accounts'))).toBe(true);
  });
});

describe('applyUpdate', () => {
  it('changes only what was asked and reports each change', () => {
    const spec = analyzePrompt('A landing page for a bakery called "Sunrise Bakery"');
    const { spec: next, changes } = applyUpdate(
      spec,
      parseUpdate(
        'Rename it to "Moonlight Bakes", add a FAQ, remove the about section, in dark mode',
      ),
    );
    expect(next.name).toBe('Moonlight Bakes');
    expect(next.description).toContain('Moonlight Bakes');
    expect(next.description).not.toContain('Sunrise Bakery');
    expect(next.sections).toContain('faq');
    expect(next.sections).not.toContain('about');
    expect(next.theme.dark).toBe(true);
    expect({
      ...next,
      name: spec.name,
      description: spec.description,
      sections: spec.sections,
      theme: spec.theme,
    }).toEqual(spec);
    expect(changes).toEqual([
      'Renamed the app to "Moonlight Bakes"',
      'Switched to a dark theme',
      'Added FAQ',
      'Removed About',
    ]);
  });

  it('makes no change when nothing differs', () => {
    const spec = analyzePrompt('A todo app in red');
    expect(applyUpdate(spec, parseUpdate('make it red')).changes).toEqual([]);
  });
});

describe('applyUpdate with library blocks', () => {
  const blocksOf = (spec: AppSpec) => spec.blocks?.map((block) => block.feature) ?? [];

  it('adds a countdown to an event page without one', () => {
    const spec = analyzePrompt('A page for our summer garden party on 14 June');
    expect(spec.kind).toBe('event');
    expect(blocksOf(spec)).toEqual([]);
    const { spec: next, changes } = applyUpdate(spec, parseUpdate('Add a countdown'));
    expect(blocksOf(next)).toEqual(['countdown']);
    expect(changes).toEqual(['Added countdown']);
    const app = renderApp(next);
    expect(app.has('src/components/Countdown.tsx')).toBe(true);
    expect(app.get('src/App.tsx')).toContain('<Countdown');
    expect(app.get('src/data.ts')).toContain("date: '--06-14'");
  });

  it('adds an FAQ section and a map block to a landing page', () => {
    const spec = analyzePrompt('A landing page for a bakery in Lisbon');
    expect(spec.sections).not.toContain('faq');
    const { spec: next, changes } = applyUpdate(spec, parseUpdate('Add an FAQ and a map'));
    expect(next.sections).toContain('faq');
    expect(blocksOf(next)).toEqual(['map']);
    expect(changes).toEqual(['Added FAQ', 'Added map']);
    expect(renderApp(next).get('src/App.tsx')).toContain('<MapLink');
  });

  it('removes a block and keeps the others', () => {
    const spec = analyzePrompt(
      'A birthday party page for Lily on May 2 with a countdown and a map',
    );
    expect(blocksOf(spec)).toEqual(['countdown', 'map']);
    const { spec: next, changes } = applyUpdate(spec, parseUpdate('Remove the countdown'));
    expect(blocksOf(next)).toEqual(['map']);
    expect(changes).toEqual(['Removed countdown']);
    expect(renderApp(next).has('src/components/Countdown.tsx')).toBe(false);
    const none = applyUpdate(next, parseUpdate('Remove the map')).spec;
    expect(none.blocks).toBeUndefined();
  });

  it('changes nothing when the app already has the block or the kind implements it', () => {
    const spec = analyzePrompt('A birthday party page for Lily on May 2 with a countdown');
    expect(applyUpdate(spec, parseUpdate('add a countdown')).changes).toEqual([]);
    const todo = analyzePrompt('A todo app');
    expect(applyUpdate(todo, parseUpdate('add priorities')).changes).toEqual([]);
    expect(applyUpdate(todo, parseUpdate('remove the map')).changes).toEqual([]);
  });
});
