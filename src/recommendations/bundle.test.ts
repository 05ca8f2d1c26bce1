import { describe, expect, it } from 'vitest';
import { bundleRecommendation, measureBundle } from './bundle.js';

const KIB = 1024;

describe('bundle budget', () => {
  const files = [
    { file: 'index.html', bytes: 2_000 },
    { file: 'assets/index-abc.js', bytes: 400 * KIB },
    { file: 'assets/vendor-def.mjs', bytes: 150 * KIB },
    { file: 'assets/index-abc.js.map', bytes: 900 * KIB },
    { file: 'assets/index-abc.css', bytes: 30 * KIB },
    { file: 'hero.jpg', bytes: 800 * KIB },
  ];

  it('counts JS and CSS only, not source maps, pages or images', () => {
    const size = measureBundle(files);
    expect(size).toMatchObject({ jsBytes: 550 * KIB, cssBytes: 30 * KIB });
    expect(size.largest.map((f) => f.file)).toEqual([
      'assets/index-abc.js',
      'assets/vendor-def.mjs',
      'assets/index-abc.css',
    ]);
  });

  it('says nothing within the budget, and at the budget exactly', () => {
    expect(bundleRecommendation(measureBundle(files), 600 * KIB)).toBeUndefined();
    expect(bundleRecommendation(measureBundle(files), 580 * KIB)).toBeUndefined();
  });

  it('is medium over the budget and high over twice the budget, with the numbers', () => {
    const over = bundleRecommendation(measureBundle(files), 500 * KIB);
    expect(over).toMatchObject({
      kind: 'bundle.size',
      origin: 'measured',
      severity: 'medium',
      evidence: {
        bytes: 580 * KIB,
        budgetBytes: 500 * KIB,
        jsBytes: 550 * KIB,
        cssBytes: 30 * KIB,
      },
    });
    expect(over?.detail).toContain('580 KiB');
    expect(bundleRecommendation(measureBundle(files), 250 * KIB)?.severity).toBe('high');
  });

  it('an output without scripts or styles weighs nothing', () => {
    expect(measureBundle([{ file: 'index.html', bytes: 10 }])).toEqual({
      jsBytes: 0,
      cssBytes: 0,
      largest: [],
    });
  });
});
