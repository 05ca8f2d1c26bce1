import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../workspace/workspace.js';
import { runDeterministicFixers, truncatedFiles, withReactImport } from './fixers.js';

describe('deterministic fixers', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('adds a missing React hook import, merging into an existing import', () => {
    expect(withReactImport(`import { useEffect } from 'react';\nuse();\n`, 'useState')).toBe(
      `import { useEffect, useState } from 'react';\nuse();\n`,
    );
    expect(withReactImport(`const a = 1;\n`, 'useState')).toBe(
      `import { useState } from 'react';\nconst a = 1;\n`,
    );
    const already = `import React, { useState } from 'react';\n`;
    expect(withReactImport(already, 'useState')).toBe(already);
  });

  it('repairs files named in real tsc output', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-fixers-'));
    const ws = await Workspace.create(dir);
    await ws.writeFile(
      'src/App.tsx',
      `export function App() {\n  const [n] = useState(0);\n  return n;\n}\n`,
    );
    const output = `src/App.tsx(2,15): error TS2304: Cannot find name 'useState'.\n`;
    const result = await runDeterministicFixers(output, ws.tools());
    expect(result).toMatchObject({ changed: ['src/App.tsx'], dependenciesChanged: false });
    expect(await ws.readFile('src/App.tsx')).toMatch(/^import \{ useState \} from 'react';/);
  });

  it('swaps a refused typo for the popular package meant, imports included', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-fixers-'));
    const ws = await Workspace.create(dir);
    await ws.writeFile(
      'package.json',
      JSON.stringify({ dependencies: { lodahs: '^4.17.0', react: '^19.0.0' } }),
    );
    await ws.writeFile(
      'src/util.ts',
      `import { chunk } from 'lodahs';
export { chunk };
`,
    );
    await ws.writeFile(
      'src/other.ts',
      `export const a = 'lodahs';
`,
    );
    const output = 'lodahs is one letter away from lodash\nreplace-dependency lodahs lodash\n';
    const result = await runDeterministicFixers(output, ws.tools());
    expect(result?.dependenciesChanged).toBe(true);
    // A string that only names the package is an import specifier too: rewritten alike.
    expect(result?.changed.sort()).toEqual(['package.json', 'src/other.ts', 'src/util.ts']);
    expect(JSON.parse(await ws.readFile('package.json'))).toEqual({
      dependencies: { react: '^19.0.0', lodash: 'latest' },
    });
    expect(await ws.readFile('src/util.ts')).toContain(`from 'lodash'`);
  });

  it('adds a dependency the bundler could not resolve', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-fixers-'));
    const ws = await Workspace.create(dir);
    await ws.writeFile(
      'package.json',
      JSON.stringify({ name: 'x', dependencies: { react: '19.0.0' } }),
    );
    const output = `[vite]: Rollup failed to resolve import "date-fns" from "src/App.tsx".\n`;
    const result = await runDeterministicFixers(output, ws.tools());
    expect(result).toMatchObject({ changed: ['package.json'], dependenciesChanged: true });
    expect(JSON.parse(await ws.readFile('package.json')).dependencies).toEqual({
      react: '19.0.0',
      'date-fns': 'latest',
    });
  });

  it('recognises a file cut off mid-way from the parser errors at its end', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-fixers-'));
    const ws = await Workspace.create(dir);
    await ws.writeFile(
      'src/App.tsx',
      `export function App() {\n  return (\n    <main>\n      <h1>Hi`,
    );
    await ws.writeFile(
      'src/ok.ts',
      `export const a = 1;\nexport const b = (;\nexport const c = 3;\nexport const d = 4;\n`,
    );
    const output = [
      `src/App.tsx(4,13): error TS17008: JSX element 'h1' has no corresponding closing tag.`,
      `src/App.tsx(4,13): error TS1005: '}' expected.`,
      `src/ok.ts(2,19): error TS1109: Expression expected.`,
    ].join('\n');
    expect(await truncatedFiles(output, ws.tools())).toEqual(['src/App.tsx']);
  });

  it('does nothing when nothing applies', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-fixers-'));
    const ws = await Workspace.create(dir);
    expect(
      await runDeterministicFixers('error TS2322: Type string is not assignable', ws.tools()),
    ).toBeUndefined();
  });
});
