import { describe, expect, it } from 'vitest';
import { npmTree, pnpmTree, yarnTree } from './installed-tree.js';

describe('installed versions from a lockfile', () => {
  it('reads package-lock.json v3, nested copies and aliases included', () => {
    const lock = {
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { react: '^19.0.0' } },
        'node_modules/react': { version: '19.0.0' },
        'node_modules/@types/react': { version: '19.0.1' },
        'node_modules/a/node_modules/react': { version: '18.3.1' },
        'node_modules/old-lodash': { name: 'lodash', version: '4.17.15' },
        'node_modules/local': { link: true, resolved: 'packages/local' },
      },
    };
    expect(npmTree(JSON.stringify(lock))).toEqual({
      react: ['19.0.0', '18.3.1'],
      '@types/react': ['19.0.1'],
      lodash: ['4.17.15'],
    });
  });

  it('reads package-lock.json v1', () => {
    const lock = {
      lockfileVersion: 1,
      dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } } },
    };
    expect(npmTree(JSON.stringify(lock))).toEqual({ a: ['1.0.0'], b: ['2.0.0'] });
  });

  it('reads pnpm-lock.yaml (v9 and v6 keys)', () => {
    const v9 = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      react:',
      '        specifier: ^19.0.0',
      'packages:',
      '  react@19.0.0:',
      '    resolution: {integrity: sha512-x}',
      "  '@types/react@19.0.1':",
      '    resolution: {integrity: sha512-y}',
      '  react-dom@19.0.0(react@19.0.0):',
      '    resolution: {integrity: sha512-z}',
      'snapshots:',
      '  react@19.0.0: {}',
    ].join('\n');
    expect(pnpmTree(v9)).toEqual({
      react: ['19.0.0'],
      '@types/react': ['19.0.1'],
      'react-dom': ['19.0.0'],
    });
    expect(
      pnpmTree("lockfileVersion: '6.0'\npackages:\n  /lodash@4.17.15:\n    dev: false\n"),
    ).toEqual({ lodash: ['4.17.15'] });
  });

  it('reads yarn.lock', () => {
    const lock = [
      '# yarn lockfile v1',
      '',
      '"@babel/core@^7.0.0", "@babel/core@^7.1.0":',
      '  version "7.26.0"',
      '  resolved "https://registry.yarnpkg.com/@babel/core/-/core-7.26.0.tgz"',
      '',
      'lodash@^4.17.15:',
      '  version "4.17.15"',
      '',
    ].join('\n');
    expect(yarnTree(lock)).toEqual({ '@babel/core': ['7.26.0'], lodash: ['4.17.15'] });
  });
});
