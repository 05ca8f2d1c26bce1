/**
 * The source files generated apps are made of, read from `./templates/` next to this module
 * (copied to dist by the build, like `./scaffold/`). They are real TSX, TS and CSS files that the
 * type checker, linter and formatter see (templates/tsconfig.json); only data is generated.
 *
 * Read synchronously, once per file per process: there are a few dozen small files, and a
 * synchronous read keeps `renderApp` a pure function of the spec.
 */
import { readFileSync } from 'node:fs';

const ROOT = new URL('./templates/', import.meta.url);
const cache = new Map<string, string>();

/** The text of `templates/<path>`. Paths are fixed names in this code, never user input. */
export function template(path: string): string {
  let text = cache.get(path);
  if (text === undefined) {
    text = readFileSync(new URL(path, ROOT), 'utf8');
    cache.set(path, text);
  }
  return text;
}

/**
 * A type file's declarations for inlining into the app's src/data.ts. The files import each
 * other's types so that they type-check alone; in data.ts they share one module, so the
 * `import type` lines are dropped.
 */
export function typeDeclarations(name: string): string {
  return template('types/' + name + '.ts')
    .replace(/^import type [^;]+;\n+/gm, '')
    .trim();
}
