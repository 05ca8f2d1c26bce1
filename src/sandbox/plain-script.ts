import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const compiled = new Map<string, string>();

/**
 * The file Node runs for one of the worker's own helper programs (the namespace init, the
 * process launcher): trusted code that imports nothing but Node's modules and types. `source`
 * is the module's path as its importer sees it (`x.js` once compiled, `x.ts` when running from
 * the TypeScript sources, in development, tests and benches). A `.ts` source is transpiled once
 * per process: starting it through tsx's loader instead costs every start about half a second
 * of CPU (the loader and its esbuild service), more than the helper's own work.
 */
export function plainScript(source: string): string {
  if (!existsSync(source)) throw new Error(`a helper script is missing: ${source}`);
  if (path.extname(source) !== '.ts') return source;
  const done = compiled.get(source);
  if (done && existsSync(done)) return done;
  const file = transpile(source);
  compiled.set(source, file);
  return file;
}

/**
 * plainScript for the helper `name` in the same directory as the module at `moduleUrl` (its
 * `import.meta.url`), with that module's extension: `.js` once compiled, `.ts` from sources.
 */
export function plainScriptBeside(moduleUrl: string, name: string): string {
  const here = fileURLToPath(moduleUrl);
  return plainScript(path.join(path.dirname(here), `${name}${path.extname(here)}`));
}

/**
 * Written to a fresh directory of the worker's (mkdtemp: no one else can have made or swapped
 * it), which the build uids may read but not change. Made again if something removed it.
 */
function transpile(source: string): string {
  const require = createRequire(import.meta.url);
  const ts = require('typescript') as typeof import('typescript');
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(path.join(tmpdir(), `sheen-${path.basename(source, '.ts')}-`));
  const file = path.join(dir, `${path.basename(source, '.ts')}.mjs`);
  writeFileSync(file, outputText);
  chmodSync(file, 0o644);
  chmodSync(dir, 0o755);
  // One per process: gone with it, so test runs and restarts leave no trail in /tmp.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return file;
}
