import { describe, expect, it } from 'vitest';
import { analyzePrompt } from './analyze.js';
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
