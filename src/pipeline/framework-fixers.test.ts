import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEXT_IMAGE_EXPORT_ERROR } from '../build/static-export.js';
import { Workspace } from '../workspace/workspace.js';
import { withUnoptimizedImages, withVueImport } from './framework-fixers.js';
import { runDeterministicFixers } from './fixers.js';

const FIXTURES = path.resolve('test/fixtures');
const captured = (name: string) => readFileSync(path.join(FIXTURES, 'tool-output', name), 'utf8');

describe('withVueImport', () => {
  it('adds the name to the script setup block’s vue import', () => {
    const sfc = `<script setup lang="ts">\nimport { computed } from 'vue';\nconst n = ref(0);\n</script>\n<template><p>{{ n }}</p></template>\n`;
    expect(withVueImport(sfc, 'ref')).toBe(
      `<script setup lang="ts">\nimport { computed, ref } from 'vue';\nconst n = ref(0);\n</script>\n<template><p>{{ n }}</p></template>\n`,
    );
  });

  it('adds an import line at the top of the block when there is none', () => {
    const sfc = `<template><p /></template>\n<script setup lang="ts">\nconst n = ref(0);\n</script>\n`;
    expect(withVueImport(sfc, 'ref')).toBe(
      `<template><p /></template>\n<script setup lang="ts">\nimport { ref } from 'vue';\nconst n = ref(0);\n</script>\n`,
    );
  });

  it('prefers script setup over a plain script block, and leaves imported names alone', () => {
    const sfc = `<script lang="ts">\nexport default {};\n</script>\n<script setup>\nconst n = ref(0);\n</script>\n`;
    expect(withVueImport(sfc, 'ref')).toContain(`<script setup>\nimport { ref } from 'vue';\n`);
    const done = `<script setup>\nimport { ref as r, ref } from 'vue';\n</script>\n`;
    expect(withVueImport(done, 'ref')).toBe(done);
    expect(withVueImport('<template><p /></template>', 'ref')).toBe('<template><p /></template>');
  });
});

describe('withUnoptimizedImages', () => {
  it('adds images.unoptimized beside output export', () => {
    const config = readFileSync(
      path.join(FIXTURES, 'import/nextjs-export/next.config.mjs'),
      'utf8',
    );
    expect(withUnoptimizedImages(config)).toContain(
      "  output: 'export',\n  images: { unoptimized: true },\n",
    );
  });

  it('adds it to an existing images object, once', () => {
    const config = `export default { output: 'export', images: { formats: ['image/webp'] } };`;
    const fixed = withUnoptimizedImages(config) as string;
    expect(fixed).toBe(
      `export default { output: 'export', images: { unoptimized: true, formats: ['image/webp'] } };`,
    );
    expect(withUnoptimizedImages(fixed)).toBeUndefined();
    expect(withUnoptimizedImages('module.exports = makeConfig();')).toBeUndefined();
  });
});

describe('framework fixers in the deterministic chain', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('repairs the .vue file named in real vue-tsc output', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-vue-fix-'));
    const ws = await Workspace.create(dir);
    const app = readFileSync(path.join(FIXTURES, 'import/vue-vite/src/App.vue'), 'utf8');
    await ws.writeFile('src/App.vue', app.replace(/^import \{ ref \}.*\n/m, ''));
    const result = await runDeterministicFixers(captured('vue-tsc-missing-import.txt'), ws.tools());
    expect(result).toMatchObject({
      changed: ['src/App.vue'],
      description: 'Imported ref from vue in src/App.vue.',
    });
    expect(await ws.readFile('src/App.vue')).toContain(
      `<script setup lang="ts">\nimport { ref } from 'vue';\n`,
    );
  });

  it('sets images.unoptimized in next.config for the export image error', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-next-fix-'));
    const ws = await Workspace.create(dir);
    await ws.writeFile('next.config.mjs', "export default {\n  output: 'export',\n};\n");
    const output = `${NEXT_IMAGE_EXPORT_ERROR}\nnext/image is imported by app/page.jsx.\n`;
    const result = await runDeterministicFixers(output, ws.tools());
    expect(result?.changed).toEqual(['next.config.mjs']);
    expect(await ws.readFile('next.config.mjs')).toBe(
      "export default {\n  output: 'export',\n  images: { unoptimized: true },\n};\n",
    );
    // A second round finds nothing left to do: the loop then asks the engine.
    expect(await runDeterministicFixers(output, ws.tools())).toBeUndefined();
  });

  it('does not touch a vue-tsc type error it cannot repair', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-vue-fix-'));
    const ws = await Workspace.create(dir);
    await ws.writeFile('src/App.vue', '<script setup lang="ts">\n</script>\n');
    expect(
      await runDeterministicFixers(captured('vue-tsc-type-error.txt'), ws.tools()),
    ).toBeUndefined();
  });
});
