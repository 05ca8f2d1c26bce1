import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { withoutVetted } from './vetted.js';

describe('withoutVetted', () => {
  it("skips exactly the scaffold's pinned name and spec, nothing else", async () => {
    const scaffold = JSON.parse(
      await readFile(new URL('../ai/offline/scaffold/package.json', import.meta.url), 'utf8'),
    ) as { dependencies: Record<string, string> };
    const react = scaffold.dependencies.react!;
    const left = await withoutVetted([
      { name: 'react', spec: react },
      { name: 'react', spec: `^${react}` },
      { name: 'lodash', spec: '4.17.21' },
    ]);
    expect(left).toEqual([
      { name: 'react', spec: `^${react}` },
      { name: 'lodash', spec: '4.17.21' },
    ]);
  });
});
