/**
 * Deterministic repairs that know a framework: a Vue component using `ref` without importing
 * it (vue-tsc: `Cannot find name 'ref'`), and a Next.js static export whose next/image needs
 * the server's image optimizer. Each returns undefined when it does not apply.
 */
import type { WorkspaceTools } from '../ai/engine.js';
import { NEXT_IMAGE_EXPORT_ERROR } from '../build/static-export.js';
import { addMissingImports, type FixResult } from './fixers.js';

/** Names a Vue single-file component takes from 'vue' (the Composition API). */
const VUE_EXPORTS = new Set([
  'ref',
  'computed',
  'reactive',
  'readonly',
  'watch',
  'watchEffect',
  'onMounted',
  'onUnmounted',
  'onBeforeMount',
  'onBeforeUnmount',
  'onUpdated',
  'nextTick',
  'toRef',
  'toRefs',
  'shallowRef',
  'provide',
  'inject',
  'defineComponent',
]);

export function addMissingVueImports(
  output: string,
  tools: WorkspaceTools,
): Promise<FixResult | undefined> {
  return addMissingImports(output, tools, {
    module: 'vue',
    exports: VUE_EXPORTS,
    fileWanted: (file) => file.endsWith('.vue'),
    withImport: withVueImport,
  });
}

/**
 * Adds `name` to the `import { … } from 'vue'` of a component's `<script setup>` (else its
 * first `<script>`), or a new import line at the top of that block. Unchanged when there is
 * no script block or the name is imported already.
 */
export function withVueImport(source: string, name: string): string {
  const open = /<script\b[^>]*\bsetup\b[^>]*>/.exec(source) ?? /<script\b[^>]*>/.exec(source);
  if (!open) return source;
  const start = open.index + open[0].length;
  const end = source.indexOf('</script>', start);
  if (end < 0) return source;
  const block = source.slice(start, end);
  const named = /import\s*\{([^}]*)\}\s*from\s*['"]vue['"];?/.exec(block);
  let next: string;
  if (named) {
    const members = (named[1] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    if (members.some((m) => m === name || m.endsWith(` as ${name}`))) return source;
    next = block.replace(named[0], `import { ${[...members, name].join(', ')} } from 'vue';`);
  } else {
    next = `\nimport { ${name} } from 'vue';${block.startsWith('\n') ? '' : '\n'}${block}`;
  }
  return source.slice(0, start) + next + source.slice(end);
}

const NEXT_CONFIGS = ['next.config.mjs', 'next.config.js', 'next.config.ts', 'next.config.cjs'];

/**
 * A static export cannot run Next.js' image optimizer: images are served as they are
 * (`images: { unoptimized: true }`), the fix Next.js itself proposes.
 */
export async function unoptimizeNextImages(
  output: string,
  tools: WorkspaceTools,
): Promise<FixResult | undefined> {
  if (!output.includes(NEXT_IMAGE_EXPORT_ERROR.replace(/^Error: /, ''))) return undefined;
  for (const file of NEXT_CONFIGS) {
    const source = await tools.readFile(file).catch(() => undefined);
    if (source === undefined) continue;
    const next = withUnoptimizedImages(source);
    if (next === undefined) return undefined;
    await tools.writeFile(file, next);
    return {
      changed: [file],
      dependenciesChanged: false,
      description: `Set images.unoptimized in ${file}: a static export serves images as files.`,
    };
  }
  return undefined;
}

/** The config with `unoptimized: true` in its `images`, or undefined when its shape is unknown. */
export function withUnoptimizedImages(source: string): string | undefined {
  if (/\bunoptimized\s*:\s*true\b/.test(source)) return undefined;
  const images = /\bimages\s*:\s*\{/.exec(source);
  if (images) {
    const at = images.index + images[0].length;
    return `${source.slice(0, at)} unoptimized: true,${source.slice(at)}`;
  }
  // Beside `output: 'export'`, which every exported config has (static-export.ts checks it).
  const output = /^([ \t]*)output\s*:\s*['"`]export['"`]\s*,?/m.exec(source);
  if (!output) return undefined;
  const indent = output[1] ?? '';
  const line = output[0].endsWith(',') ? output[0] : `${output[0]},`;
  return source.replace(output[0], `${line}\n${indent}images: { unoptimized: true },`);
}
