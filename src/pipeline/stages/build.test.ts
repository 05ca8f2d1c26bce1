import { describe, expect, it } from 'vitest';
import { withNextBundler } from './build.js';

const next = (...args: string[]) => ({
  command: '/usr/bin/node',
  args: ['/w/b1/node_modules/next/dist/bin/next', ...args],
});

describe('withNextBundler', () => {
  it('builds with webpack when node_modules is the linked cache tree', () => {
    expect(withNextBundler([next('build')], true)).toEqual([next('build', '--webpack')]);
  });

  it('leaves an installed-in-place tree, other commands and a named bundler alone', () => {
    expect(withNextBundler([next('build')], false)).toEqual([next('build')]);
    expect(withNextBundler([next('build', '--turbopack')], true)).toEqual([
      next('build', '--turbopack'),
    ]);
    expect(withNextBundler([next('lint')], true)).toEqual([next('lint')]);
    const vite = { command: '/usr/bin/node', args: ['/w/node_modules/vite/bin/vite.js', 'build'] };
    expect(withNextBundler([vite], true)).toEqual([vite]);
  });
});
