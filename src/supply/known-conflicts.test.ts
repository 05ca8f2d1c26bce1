import { describe, expect, it } from 'vitest';
import type { WorkspaceTools } from '../ai/engine.js';
import { KNOWN_CONFLICTS, KNOWN_CONFLICTS_VERSION } from './known-conflicts.js';
import { resolveKnownConflicts } from './resolve-conflicts.js';

/** A project held in memory, through the same tools the pipeline hands fixers. */
function project(files: Record<string, string>): WorkspaceTools & { files: Map<string, string> } {
  const map = new Map(Object.entries(files));
  return {
    files: map,
    readFile: async (p) => {
      const text = map.get(p);
      if (text === undefined) throw new Error(`no ${p}`);
      return text;
    },
    writeFile: async (p, c) => void map.set(p, c),
    writeFiles: async (batch) => batch.forEach(([p, c]) => map.set(p, c)),
    listFiles: async () => [...map.keys()],
    deleteFile: async (p) => void map.delete(p),
  };
}

const manifest = (deps: Record<string, string>, devDeps: Record<string, string> = {}) =>
  JSON.stringify({ name: 'app', version: '1.0.0', dependencies: deps, devDependencies: devDeps });

const pkgOf = (tools: { files: Map<string, string> }) =>
  JSON.parse(tools.files.get('package.json') as string) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

/** One fixture per table entry: the conflict as generated apps declare it, and the fix. */
const FIXTURES: Record<
  string,
  { files: Record<string, string>; expected: (p: ReturnType<typeof pkgOf>) => void }
> = {
  'react-test-renderer-react-19': {
    files: {
      'package.json': manifest({ react: '^19.0.0' }, { 'react-test-renderer': '^18.3.1' }),
    },
    expected: (p) => expect(p.devDependencies['react-test-renderer']).toBe('^19.0.0'),
  },
  'testing-library-react-react-19': {
    files: {
      'package.json': manifest(
        { react: '19.1.0', 'react-dom': '19.1.0' },
        { '@testing-library/react': '^14.1.2' },
      ),
    },
    expected: (p) =>
      expect(p.devDependencies).toMatchObject({
        '@testing-library/react': '^16.1.0',
        '@testing-library/dom': '^10.0.0',
      }),
  },
  'react-beautiful-dnd-react-19': {
    files: {
      'package.json': manifest({ react: '^19.0.0', 'react-beautiful-dnd': '^13.1.1' }),
      'src/Board.tsx': `import { DragDropContext, Droppable } from 'react-beautiful-dnd';\nimport type { DropResult } from "react-beautiful-dnd";\nexport const x = 'react-beautiful-dnd is great';\n`,
    },
    expected: (p) => {
      expect(p.dependencies['react-beautiful-dnd']).toBeUndefined();
      expect(p.dependencies['@hello-pangea/dnd']).toBe('^18.0.1');
    },
  },
  'vitejs-plugin-react-vite-6': {
    files: {
      'package.json': manifest({}, { vite: '^6.0.5', '@vitejs/plugin-react': '~4.2.1' }),
    },
    expected: (p) => expect(p.devDependencies['@vitejs/plugin-react']).toBe('^4.3.4'),
  },
};

describe(`known conflicts (table version ${KNOWN_CONFLICTS_VERSION})`, () => {
  it('has a fixture for every entry', () => {
    expect(Object.keys(FIXTURES).sort()).toEqual(KNOWN_CONFLICTS.map((e) => e.id).sort());
  });

  describe.each(KNOWN_CONFLICTS.map((e) => [e.id, e] as const))('%s', (id, entry) => {
    const fixture = FIXTURES[id] as (typeof FIXTURES)[string];

    it('fixes its fixture, and says what it did and why', async () => {
      const tools = project(fixture.files);
      const applied = await resolveKnownConflicts(tools, [entry]);
      expect(applied).toEqual([
        expect.objectContaining({ id, tableVersion: KNOWN_CONFLICTS_VERSION, why: entry.why }),
      ]);
      fixture.expected(pkgOf(tools));
      // Applied once: the fixed project no longer matches.
      expect(await resolveKnownConflicts(tools, [entry])).toEqual([]);
    });

    it('leaves a project on the older partner alone', async () => {
      const older = fixture.files['package.json']
        ?.replace(/"(\^|~)?19\.\d+\.\d+"/g, '"^18.3.1"')
        .replace(/"\^6\.0\.5"/, '"^5.4.0"') as string;
      const tools = project({ ...fixture.files, 'package.json': older });
      expect(await resolveKnownConflicts(tools, [entry])).toEqual([]);
      expect(tools.files.get('package.json')).toBe(older);
    });
  });

  it('rewrites the imports of a replaced package, and only its imports', async () => {
    const fixture = FIXTURES['react-beautiful-dnd-react-19'] as (typeof FIXTURES)[string];
    const tools = project(fixture.files);
    const [applied] = await resolveKnownConflicts(tools);
    expect(applied?.rewritten).toEqual(['src/Board.tsx']);
    expect(tools.files.get('src/Board.tsx')).toBe(
      `import { DragDropContext, Droppable } from '@hello-pangea/dnd';\nimport type { DropResult } from "@hello-pangea/dnd";\nexport const x = 'react-beautiful-dnd is great';\n`,
    );
  });

  it('keeps a range that already reaches the fixed version, and dist-tags', async () => {
    const tools = project({
      'package.json': manifest({ react: '^19.0.0' }, { 'react-test-renderer': 'latest' }),
    });
    expect(await resolveKnownConflicts(tools)).toEqual([]);
    const wide = project({
      'package.json': manifest({ react: '^19.0.0' }, { 'react-test-renderer': '>=18' }),
    });
    expect(await resolveKnownConflicts(wide)).toEqual([]);
  });
});
