/**
 * Parsers for the text that build tools print: tsc, vite/rollup/rolldown/esbuild, webpack/Next,
 * npm, pnpm and yarn. They turn raw output into structured facts (files, missing packages,
 * missing names) that the classifier and the deterministic fixers act on. Pure functions over
 * strings; nothing here touches the filesystem.
 */
import { builtinModules } from 'node:module';

/** Hard cap on the text examined, so a runaway log cannot make classification slow. */
const MAX_SCAN_CHARS = 512 * 1024;

// CSI sequences (colours, cursor moves) and OSC sequences (hyperlinks, titles).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Output as clean lines: no ANSI codes, no progress-bar carriage returns. */
export function toLines(text: string): string[] {
  let clipped = text;
  if (text.length > MAX_SCAN_CHARS) {
    // Keep both ends: tsc prints its first errors early, bundlers print theirs at the end.
    const half = MAX_SCAN_CHARS / 2;
    clipped = `${text.slice(0, half)}\n…\n${text.slice(-half)}`;
  }
  return clipped
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((line) => line.slice(line.lastIndexOf('\r') + 1).trimEnd());
}

// Top-level directories of typical projects; used to cut an unknown absolute prefix off a path.
const SOURCE_ROOTS = new Set([
  'src',
  'app',
  'pages',
  'components',
  'lib',
  'public',
  'styles',
  'assets',
]);
const SYSTEM_PREFIX = /^\/(?:usr|opt|etc|proc|sys|dev|root\/\.npm|root\/\.cache)\//;
const ROOT_FILE =
  /^(?:[\w.-]+\.config\.[cm]?[jt]s|index\.html|package\.json|tsconfig(?:\.[\w-]+)?\.json)$/;

/**
 * Maps a path printed by a tool to a workspace-relative POSIX path, or undefined if it points
 * outside the workspace (dependencies, the tool's own files, other directories). Without a known
 * root, an absolute path is cut at the first well-known source directory.
 */
export function toWorkspacePath(raw: string, root?: string): string | undefined {
  let p = raw
    .trim()
    .replace(/^file:\/\//, '')
    .replace(/\\/g, '/')
    // Vite bundles its config to `vite.config.ts.timestamp-<ms>-<hash>.mjs`; the source is meant.
    .replace(/\.timestamp-\d+-[0-9a-f]+\.mjs$/, '');
  if (root) {
    const prefix = `${root.replace(/\\/g, '/').replace(/\/+$/, '')}/`;
    if (p.startsWith(prefix)) p = p.slice(prefix.length);
  }
  if (/^(?:\/|[a-zA-Z]:\/)/.test(p)) {
    if (SYSTEM_PREFIX.test(p)) return undefined;
    const segments = p.split('/');
    // `src` is the strongest anchor; other roots only below the top level, so that a build in
    // `/app` or `/lib` is not mistaken for the project's `app/` or `lib/` directory.
    let start = segments.indexOf('src');
    if (start < 0) start = segments.findIndex((s, i) => i > 1 && SOURCE_ROOTS.has(s));
    const base = segments[segments.length - 1] ?? '';
    if (start > 0) p = segments.slice(start).join('/');
    else if (ROOT_FILE.test(base)) p = base;
    else return undefined;
  }
  p = p.replace(/^(?:\.\/)+/, '');
  if (p === '' || p.split('/').some((s) => s === '..' || s === 'node_modules' || s === '')) {
    return undefined;
  }
  return p;
}

// An absolute path token not part of a URL (`https://host/x` is preceded by `:` or `/`).
const ABSOLUTE_PATH = /(?<![\w:/.@-])(?:file:\/\/)?(?:\/|[A-Za-z]:[\\/])[^\s'"`()<>,;|]+/g;

/** Replaces absolute paths in `text` by their workspace form, or by their last segment. */
export function scrubPaths(text: string, root?: string): string {
  return text.replace(ABSOLUTE_PATH, (match) => {
    const trailing = /[:.]+$/.exec(match)?.[0] ?? '';
    const core = match.slice(0, match.length - trailing.length);
    const rel = toWorkspacePath(core.replace(/(?::\d+)+$/, ''), root);
    const suffix = /(?::\d+)+$/.exec(core)?.[0] ?? '';
    return `${rel ?? core.split(/[\\/]/).pop() ?? ''}${rel ? suffix : ''}${trailing}`;
  });
}

export interface TscError {
  file?: string;
  line?: number;
  column?: number;
  /** `TS2304`; undefined for Next.js' "Type error:" lines, which omit it. */
  code?: string;
  message: string;
  /** Index of the line in the output. */
  index: number;
}

const TSC_PAREN = /^\s*(\S.*?)\((\d+),(\d+)\): error (TS\d+): (.*)$/;
const TSC_PRETTY = /^\s*(\S.*?):(\d+):(\d+) - error (TS\d+): (.*)$/;
const TSC_GLOBAL = /^\s*error (TS\d+): (.*)$/;
const NEXT_LOCATION = /^(\.?\/?\S+?):(\d+):(\d+)$/;
const SVELTE_CHECK_ERROR = /^Error: (.*) \((?:ts|js)\)$/;

/** tsc's plain `file(l,c): error TSn:` and pretty `file:l:c - error TSn:` formats, and Next's. */
export function parseTscErrors(lines: string[], root?: string): TscError[] {
  const errors: TscError[] = [];
  lines.forEach((text, index) => {
    const m = TSC_PAREN.exec(text) ?? TSC_PRETTY.exec(text);
    if (m) {
      errors.push({
        file: toWorkspacePath(m[1] ?? '', root),
        line: Number(m[2]),
        column: Number(m[3]),
        code: m[4],
        message: m[5] ?? '',
        index,
      });
      return;
    }
    const g = TSC_GLOBAL.exec(text);
    if (g) {
      errors.push({ code: g[1], message: g[2] ?? '', index });
      return;
    }
    // `next build` prints `./src/app/page.tsx:12:5` and then `Type error: ...` on the next line;
    // svelte-check prints the location and then `Error: ... (ts)` (`(svelte)` and `(css)` are
    // compiler errors, not type errors: they fall through to the build rules).
    const next = /^Type error: (.*)$/.exec(text);
    const loc = NEXT_LOCATION.exec(lines[index - 1] ?? '');
    const t = next ?? (loc ? SVELTE_CHECK_ERROR.exec(text) : null);
    if (t) {
      errors.push({
        file: loc ? toWorkspacePath(loc[1] ?? '', root) : undefined,
        line: loc ? Number(loc[2]) : undefined,
        column: loc ? Number(loc[3]) : undefined,
        message: t[1] ?? '',
        index,
      });
    }
  });
  return errors;
}

/** TS2304/TS2552 `Cannot find name 'X'`: the names and the files that use them. */
export function missingImports(output: string): { name: string; files: string[] }[] {
  const byName = new Map<string, string[]>();
  for (const error of parseTscErrors(toLines(output))) {
    if (error.code !== 'TS2304' && error.code !== 'TS2552') continue;
    const name = /^Cannot find name '([^']+)'/.exec(error.message)?.[1];
    if (!name) continue;
    const files = byName.get(name) ?? [];
    if (error.file && !files.includes(error.file)) files.push(error.file);
    byName.set(name, files);
  }
  return [...byName].map(([name, files]) => ({ name, files }));
}

// Every way the tools say "this import did not resolve", capturing the specifier.
const UNRESOLVED = [
  /Cannot find module '([^']+)'/g,
  /Cannot find module "([^"]+)"/g,
  /Cannot find package '([^']+)'/g,
  /Could not resolve ["']([^"']+)["']/g,
  /[Ff]ailed to resolve import ["']([^"']+)["']/g,
  /Can't resolve '([^']+)'/g,
];
const NPM_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9-][a-z0-9._~-]*$/;
const BUILTINS = new Set(builtinModules);

/**
 * The package a bare specifier belongs to (`lodash/merge` → `lodash`, `@a/b/c` → `@a/b`), or
 * undefined for relative/absolute paths, node builtins, path aliases (`@/x`, `~/x`) and
 * virtual modules.
 */
export function packageOfSpecifier(specifier: string): string | undefined {
  if (/^[./~#\\]|:/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  if (name.length > 214 || !NPM_NAME.test(name)) return undefined;
  if (BUILTINS.has(name) || BUILTINS.has(specifier)) return undefined;
  return name;
}

/** Bare package names that failed to resolve, in order of first mention. */
export function missingPackages(output: string): string[] {
  const found = new Set<string>();
  const text = toLines(output).join('\n');
  for (const pattern of UNRESOLVED) {
    for (const match of text.matchAll(pattern)) {
      const name = packageOfSpecifier(match[1] ?? '');
      if (name) found.add(name);
    }
  }
  return [...found];
}

/** Unresolved relative imports (`./Header`): a file the app forgot to create. */
export function unresolvedRelativeImports(output: string): string[] {
  const found = new Set<string>();
  for (const pattern of UNRESOLVED) {
    for (const match of output.matchAll(pattern)) {
      const spec = match[1] ?? '';
      if (spec.startsWith('./') || spec.startsWith('../')) found.add(spec);
    }
  }
  return [...found];
}

export interface RegistryFailure {
  name: string;
  kind: 'not_found' | 'no_version';
  range?: string;
}

const REGISTRY_URL = /https?:\/\/[^/\s"']+\/((?:@[^/\s"':]+(?:\/|%2[fF]))?[^/\s"':]+)/;

/** Packages the registry does not have, or has no version of that matches the range. */
export function registryFailures(lines: string[]): RegistryFailure[] {
  const failures = new Map<string, RegistryFailure>();
  const add = (name: string | undefined, failure: Omit<RegistryFailure, 'name'>): void => {
    const clean = name?.replace(/%2[fF]/, '/');
    if (clean && NPM_NAME.test(clean) && !failures.has(clean)) {
      failures.set(clean, { name: clean, ...failure });
    }
  };
  for (const line of lines) {
    const noVersion =
      /No matching version found for ((?:@[^@\s/]+\/)?[^@\s]+)@(\S+?)\.?$/.exec(line) ??
      /Couldn't find any versions for "([^"]+)" that matches "([^"]+)"/.exec(line);
    if (noVersion) {
      add(noVersion[1], { kind: 'no_version', range: noVersion[2] });
      continue;
    }
    const notInRegistry = /'((?:@[^@\s/]+\/)?[^@\s']+)@[^']*' is not in this registry/.exec(line);
    if (notInRegistry) {
      add(notInRegistry[1], { kind: 'not_found' });
      continue;
    }
    if (/\b404\b|Not [Ff]ound|Package not found/.test(line)) {
      add(REGISTRY_URL.exec(line)?.[1], { kind: 'not_found' });
      const berry = /([@\w./-]+)@npm:[^\s:]*: Package not found/.exec(line);
      if (berry) add(berry[1], { kind: 'not_found' });
    }
  }
  return [...failures.values()];
}

export interface LocatedError {
  file?: string;
  line?: number;
  message: string;
  index: number;
}

/**
 * The first bundler error with a location: esbuild (`file:l:c: ERROR: msg` and `✘ [ERROR] msg`
 * followed by an indented location), rolldown (`[CODE] Error: msg` then `╭─[ file:l:c ]`),
 * babel (`[plugin:vite:react-babel] file: msg (l:c)`) and vite/rollup resolve errors.
 */
export function firstBundlerError(lines: string[], root?: string): LocatedError | undefined {
  for (const [index, text] of lines.entries()) {
    let m = /^(?:.*?\s)?(\S+?):(\d+):(\d+): ERROR: (.*)$/.exec(text);
    if (m)
      return {
        file: toWorkspacePath(m[1] ?? '', root),
        line: Number(m[2]),
        message: m[4] ?? '',
        index,
      };
    m = /\[(?:plugin:)?[\w:-]+\] (\S+?): (.*?) \((\d+):(\d+)\)$/.exec(text);
    if (m)
      return {
        file: toWorkspacePath(m[1] ?? '', root),
        line: Number(m[3]),
        message: m[2] ?? '',
        index,
      };
    m =
      /[Ff]ailed to resolve import ("[^"]+") from "([^"]+)"/.exec(text) ??
      /Could not resolve ("[^"]+"|'[^']+') (?:from|in) "?([^"\s]+?)"?\.?$/.exec(text);
    if (m) {
      const file = toWorkspacePath(m[2] ?? '', root);
      return { file, message: `Could not resolve the import ${m[1] ?? ''}`, index };
    }
    m = /^(?:✘ \[ERROR\]|\[[A-Z_]+\] (?:\w*Error):) (.*)$/.exec(text);
    if (m) {
      // The location follows within a few lines (esbuild indents it; rolldown boxes it).
      const after = lines.slice(index + 1, index + 6).join('\n');
      const loc = /^\s+(?:╭─\[ ?)?(\S+?):(\d+):\d+(?::| ?\])/m.exec(after);
      return {
        file: loc ? toWorkspacePath(loc[1] ?? '', root) : undefined,
        line: loc ? Number(loc[2]) : undefined,
        message: m[1] ?? '',
        index,
      };
    }
  }
  return undefined;
}

const SOURCE_FILE = String.raw`(?:[\w.@+~-]+/)*[\w.@+~-]+\.(?:tsx?|jsx?|mjs|cjs|mts|cts|vue|svelte|astro|css|scss|sass|less|html|json)`;
const LOCATED_FILE = new RegExp(
  String.raw`(?:^|[\s(\[,"'])((?:file://)?(?:[A-Za-z]:)?(?:\.{0,2}/)?${SOURCE_FILE})(?::\d+|\(\d+,\d+\))`,
  'g',
);
const QUOTED_FROM = new RegExp(
  String.raw`(?:from|in) ["']((?:\.{0,2}/|/)?${SOURCE_FILE})["']`,
  'g',
);
const UNDER_ROOT_SOURCE = new RegExp(
  String.raw`${SOURCE_FILE}(?:\.timestamp-\d+-[0-9a-f]+\.mjs)?$`,
);
const NEXT_FILE_LINE = new RegExp(String.raw`^(\./${SOURCE_FILE})(?::\d+:\d+)?$`);

/** Workspace files the output points at, in order of first mention (at most 20). */
export function mentionedFiles(lines: string[], root?: string): string[] {
  const found = new Set<string>();
  const add = (raw: string | undefined): void => {
    const rel = raw === undefined ? undefined : toWorkspacePath(raw, root);
    if (rel && found.size < 20) found.add(rel);
  };
  for (const error of parseTscErrors(lines, root)) add(error.file);
  for (const line of lines) {
    for (const m of line.matchAll(LOCATED_FILE)) add(m[1]);
    for (const m of line.matchAll(QUOTED_FROM)) add(m[1]);
    add(NEXT_FILE_LINE.exec(line)?.[1]);
    add(/\[(?:plugin:)?[\w:-]+\] (\S+?): .*\(\d+:\d+\)$/.exec(line)?.[1]);
    // Without a location only trust absolute paths under the known root (e.g. a config file).
    if (root && line.includes(root)) {
      for (const m of line.matchAll(ABSOLUTE_PATH)) {
        const candidate = m[0].replace(/[:.]+$/, '');
        if (candidate.startsWith(root) && UNDER_ROOT_SOURCE.test(candidate)) add(candidate);
      }
    }
  }
  return [...found];
}

/**
 * One error line with everything that varies between two runs of the same failure removed:
 * paths outside the workspace, line/column numbers, hex ids, long numbers, timestamps and
 * durations. Two runs of the same broken code then hash to the same fingerprint.
 */
export function normaliseForFingerprint(line: string, root?: string): string {
  return scrubPaths(line, root)
    .replace(/\d{4}-\d{2}-\d{2}[T ]\d{2}[:_]\d{2}[:_]\d{2}(?:[._]\d+)?Z?/g, '<time>')
    .replace(/\b\d{1,2}:\d{2}:\d{2}(?:\s?[AP]M)?\b/g, '<time>')
    .replace(/\(\d+,\d+\)/g, '(L,C)')
    .replace(/\(\d+:\d+\)/g, '(L:C)')
    .replace(/:\d+:\d+\b/g, ':L:C')
    .replace(/(\.\w+):\d+\b/g, '$1:L')
    .replace(/\b(line|column|col)\s+\d+/gi, '$1 N')
    .replace(/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|m|min|mins|minutes?)\b/g, '<duration>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\b/gi, '<hex>')
    .replace(/\d{6,}/g, '<n>')
    .replace(/\s+/g, ' ')
    .trim();
}
