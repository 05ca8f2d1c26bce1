/**
 * The warm-up of a spare Vite process (warm-bundler.ts, WarmNodeSpec.warmUp): one build of a
 * small project of its own, in the sandbox's private /tmp, before the process takes a build's
 * bundle. Vite's module graph is loaded by then, but its code has never run: V8 compiles each
 * function on first use, and the first build in a process also loads Vite's config bundler
 * and starts the bundler's threads. Measured on the offline engine's app, on two cores: the
 * bundle took ~300 ms after a plain preload and ~185 ms after this warm-up, which costs ~100 ms
 * of the spare's own time, while the worker waits for the next prompt.
 *
 * Trusted code, run as a plain script inside the sandbox: it imports nothing but Node's modules
 * and gets Vite's entry module from the process that preloaded it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What the warm-up project is made of: the parts of a small app every build goes through. */
const PROJECT: Record<string, string> = {
  // A TypeScript config file: Vite bundles and imports it as it does a project's.
  'vite.config.ts': `export default { base: './' } satisfies { base: string };\n`,
  'index.html': `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>warm-up</title></head>
  <body><div id="root"></div><script type="module" src="/src/main.ts"></script></body>
</html>
`,
  'src/main.ts': `import './style.css';
import { greet, type Item } from './greet';
const items: Item[] = [{ name: 'a', count: 1 }, { name: 'b', count: 2 }];
const root = document.getElementById('root');
if (root) root.textContent = items.map((item) => greet(item)).join(', ');
`,
  'src/greet.ts': `export interface Item { name: string; count: number }
export function greet({ name, count }: Item): string {
  return \`\${name}: \${count > 1 ? 'many' : 'one'}\`;
}
`,
  'src/style.css': `:root { color: #222; }\n#root { display: flex; gap: 1rem; }\n`,
};

interface ViteEntry {
  build?: (config: Record<string, unknown>) => Promise<unknown>;
}

export default async function warmUpVite([vite]: unknown[]): Promise<void> {
  const build = (vite as ViteEntry | undefined)?.build;
  if (typeof build !== 'function') return;
  const dir = await mkdtemp(path.join(tmpdir(), 'warm-up-'));
  try {
    await mkdir(path.join(dir, 'src'));
    for (const [name, text] of Object.entries(PROJECT)) await writeFile(path.join(dir, name), text);
    await build({
      root: dir,
      configFile: path.join(dir, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: path.join(dir, 'dist'), emptyOutDir: true },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
