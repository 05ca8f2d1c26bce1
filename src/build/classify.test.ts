import { describe, expect, it } from 'vitest';
import {
  classifyFailure,
  FAILURE_CATEGORIES,
  missingImports,
  missingPackages,
  type ClassifyInput,
} from './classify.js';
import { scrubPaths, toWorkspacePath } from './tool-output.js';

const ROOT = '/tmp/sheen-build-8f3a2c';

function classify(partial: Partial<ClassifyInput>) {
  return classifyFailure({
    step: 'build',
    exitCode: 1,
    timedOut: false,
    stdout: '',
    stderr: '',
    ...partial,
  });
}

// ------------------------------------------------------------------------------------------
// Realistic tool output

const TSC_PLAIN = `
> app@0.0.0 build
> tsc -b && vite build

src/App.tsx(12,5): error TS2304: Cannot find name 'useState'.
src/components/Header.tsx(3,10): error TS2552: Cannot find name 'Linkk'. Did you mean 'Link'?
src/App.tsx(20,7): error TS2304: Cannot find name 'useState'.
`;

const TSC_PRETTY = `src/App.tsx:12:5 - error TS2304: Cannot find name 'useState'.

12     const [n, setN] = useState(0);
       ~~~~~~~~

src/main.tsx:4:1 - error TS2322: Type 'string' is not assignable to type 'number'.

4 const x: number = 'a';
  ~~~~~

Found 2 errors in 2 files.

Errors  Files
     1  src/App.tsx:12
     1  src/main.tsx:4
`;

const TSC_TS2307 = `src/store.ts(1,24): error TS2307: Cannot find module 'zustand' or its corresponding type declarations.
src/App.tsx(2,20): error TS2307: Cannot find module './Header' or its corresponding type declarations.
`;

const NPM_LIFECYCLE = `npm error Lifecycle script \`build\` failed with error:
npm error code 2
npm error path ${ROOT}
npm error workspace app@0.0.0
npm error location ${ROOT}
npm error command failed
npm error command sh -c tsc -b && vite build
`;

const VITE_ROLLUP_UNRESOLVED = `vite v5.4.2 building for production...
transforming...
✓ 31 modules transformed.
x Build failed in 412ms
error during build:
[vite]: Rollup failed to resolve import "zustand" from "${ROOT}/src/store.ts".
This is most likely unintended because it can break your application at runtime.
If you do want to externalize this module explicitly add it to
\`build.rollupOptions.external\`
    at viteWarn (file://${ROOT}/node_modules/vite/dist/node/chunks/dep-BWSbWtLw.js:65589:17)
    at onwarn (file://${ROOT}/node_modules/@vitejs/plugin-react/dist/index.mjs:104:9)
`;

const ROLLDOWN_UNRESOLVED = `rolldown-vite v7.1.14 building for production...
✗ Build failed in 87ms
error during build:
Build failed with 1 error:

[UNRESOLVED_IMPORT] Error: Could not resolve 'date-fns/format' in src/utils/date.ts
   ╭─[ src/utils/date.ts:1:24 ]
   │
 1 │ import { format } from 'date-fns/format';
   │                        ────────┬────────
   │                                ╰────────── Module not found, treat it as an external dependency
───╯
`;

const VITE_IMPORT_ANALYSIS = `[plugin:vite:import-analysis] Failed to resolve import "@tanstack/react-query" from "src/main.tsx". Does the file exist?
${ROOT}/src/main.tsx:3:36`;

const ESBUILD_SYNTAX = `vite v5.4.2 building for production...
transforming...
x Build failed in 120ms
error during build:
[vite:esbuild] Transform failed with 1 error:
${ROOT}/src/App.tsx:7:2: ERROR: Expected ")" but found "}"
file: ${ROOT}/src/App.tsx:7:2

Expected ")" but found "}"
5  |    return (
6  |      <div>
7  |    }
   |    ^
`;

const ESBUILD_UNRESOLVED = `✘ [ERROR] Could not resolve "lodash"

    src/main.ts:1:18:
      1 │ import _ from "lodash";
        ╵                   ~~~~~~~~

  You can mark the path "lodash" as external to exclude it from the bundle, which will remove this error.

1 error
`;

const ESBUILD_RELATIVE = `✘ [ERROR] Could not resolve "./components/Header"

    src/App.tsx:2:19:
      2 │ import Header from "./components/Header";
        ╵                    ~~~~~~~~~~~~~~~~~~~~~
`;

const BABEL_SYNTAX = `[vite:react-babel] ${ROOT}/src/App.jsx: Unexpected token (5:10)
  3 | export default function App() {
  4 |   return (
> 5 |     <div>></div
    |           ^`;

const NEXT_TYPE_ERROR = `   Creating an optimized production build ...
 ✓ Compiled successfully
   Linting and checking validity of types ...
Failed to compile.

./src/app/page.tsx:12:5
Type error: Cannot find name 'useState'.

  10 | export default function Page() {
> 12 |   const [a] = useState(0);
`;

const NEXT_MODULE_NOT_FOUND = `Failed to compile.

./src/app/page.tsx
Module not found: Can't resolve 'zustand'

https://nextjs.org/docs/messages/module-not-found

> Build failed because of webpack errors
`;

const NPM_E404 = `npm error code E404
npm error 404 Not Found - GET https://registry.npmjs.org/reactt-dom-xyz - Not found
npm error 404
npm error 404  'reactt-dom-xyz@^1.0.0' is not in this registry.
npm error 404
npm error 404 Note that you can also install from a
npm error 404 tarball, folder, http url, or git url.
npm error A complete log of this run can be found in: /root/.npm/_logs/2024-05-01T10_00_00_000Z-debug-0.log
`;

const NPM_OLD_E404 = `npm ERR! code E404
npm ERR! 404 Not Found - GET https://registry.npmjs.org/@acme%2fwidgets - Not found
npm ERR! 404  '@acme/widgets@^2.0.0' is not in this registry.
`;

const NPM_ETARGET = `npm error code ETARGET
npm error notarget No matching version found for react@^99.0.0.
npm error notarget In most cases you or one of your dependencies are requesting
npm error notarget a package version that doesn't exist.
`;

const NPM_ERESOLVE = `npm error code ERESOLVE
npm error ERESOLVE unable to resolve dependency tree
npm error
npm error While resolving: app@0.0.0
npm error Found: react@18.3.1
npm error Could not resolve dependency:
npm error peer react@"^17.0.0" from some-lib@1.0.0
`;

const NPM_CI_OUT_OF_SYNC = `npm error code EUSAGE
npm error
npm error \`npm ci\` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with \`npm install\` before continuing.
`;

const NPM_NETWORK = `npm error code ENOTFOUND
npm error syscall getaddrinfo
npm error errno ENOTFOUND
npm error network request to https://registry.npmjs.org/react failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org
`;

const PNPM_404 = ` ERR_PNPM_FETCH_404  GET https://registry.npmjs.org/reactt-dom-xyz: Not Found - 404

This error happened while installing a direct dependency of ${ROOT}

reactt-dom-xyz is not in the npm registry, or you have no permission to fetch it.
`;

const PNPM_NO_VERSION = ` ERR_PNPM_NO_MATCHING_VERSION  No matching version found for react@99.0.0

This error happened while installing a direct dependency of ${ROOT}

The latest release of react is "18.3.1".
`;

const PNPM_OUTDATED = ` ERR_PNPM_OUTDATED_LOCKFILE  Cannot install with "frozen-lockfile" because pnpm-lock.yaml is not up to date with <ROOT>/package.json`;

const PNPM_BUILD_FAIL = ` ELIFECYCLE  Command failed with exit code 1.`;

const YARN_404 = `yarn install v1.22.22
info No lockfile found.
[1/4] Resolving packages...
error An unexpected error occurred: "https://registry.yarnpkg.com/reactt-dom-xyz: Not found".
info If you think this is a bug, please open a bug report with the information provided in "${ROOT}/yarn-error.log".
`;

const YARN_NO_VERSION = `error Couldn't find any versions for "react" that matches "^99.0.0"
info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.`;

const YARN_FROZEN = `error Your lockfile needs to be updated, but yarn was run with \`--frozen-lockfile\`.`;

const NODE_MISSING_PLUGIN = `failed to load config from ${ROOT}/vite.config.ts
error during build:
Error [ERR_MODULE_NOT_FOUND]: Cannot find package '@vitejs/plugin-react' imported from ${ROOT}/vite.config.ts.timestamp-1714557600000-4f1c2a9b.mjs
    at packageResolve (node:internal/modules/esm/resolve:854:9)
`;

// ------------------------------------------------------------------------------------------

describe('classifyFailure categories', () => {
  it('exports the categories in a fixed order', () => {
    expect(FAILURE_CATEGORIES).toEqual([
      'typescript',
      'dependency',
      'build',
      'timeout',
      'sandbox',
      'deployment',
    ]);
  });

  it.each([
    ['install', 'INSTALL_TIMEOUT', 'Installing dependencies took too long and was stopped.'],
    ['build', 'BUILD_TIMEOUT', 'Building the app took too long and was stopped.'],
    ['deploy', 'DEPLOY_TIMEOUT', 'Deploying the app took too long and was stopped.'],
  ] as const)('a timed-out %s step is a timeout (%s)', (step, code, message) => {
    const result = classify({ step, timedOut: true, exitCode: null, stdout: TSC_PLAIN });
    expect(result).toMatchObject({ category: 'timeout', code, message, files: [] });
  });

  it.each([
    ['output', 'SANDBOX_OUTPUT_LIMIT', 'Building the app printed too much output and was stopped.'],
    ['memory', 'SANDBOX_MEMORY_LIMIT', 'Building the app ran out of memory and was stopped.'],
    ['signal', 'SANDBOX_KILLED', 'Building the app was stopped by the sandbox.'],
  ] as const)('a sandbox kill (%s) is a sandbox failure', (kind, code, message) => {
    const result = classify({ killedBySandbox: kind, exitCode: null, stderr: NPM_E404 });
    expect(result).toMatchObject({ category: 'sandbox', code, message });
  });

  describe('running out of space', () => {
    const MB = 1024 * 1024;
    const limits = { diskBytes: 1024 * MB, tmpBytes: 256 * MB, maxFileBytes: 200 * MB };

    it('is BUILD_DISK_LIMIT when the disk watch stopped the step, naming the limit', () => {
      const result = classify({ killedBySandbox: 'disk', exitCode: null, limits });
      expect(result).toMatchObject({
        category: 'sandbox',
        code: 'BUILD_DISK_LIMIT',
        message:
          'Building the app wrote more than 1024 MB to disk (the limit for one build) and was stopped.',
      });
      expect(result.hint).toContain('BUILD_DISK_LIMIT_MB');
    });

    it('is BUILD_DISK_LIMIT when a full /tmp made the tool fail', () => {
      const stderr = `node:internal/fs/utils:351\n    throw err;\nError: ENOSPC: no space left on device, write\n    at Object.writeSync (node:fs:933:3)`;
      const result = classify({ stderr, limits });
      expect(result).toMatchObject({ code: 'BUILD_DISK_LIMIT', category: 'sandbox' });
      expect(result.message).toContain('/tmp holds 256 MB');
      expect(result.hint).toContain('SANDBOX_TMP_MB');
      expect(classify({ step: 'install', stdout: 'npm error code ENOSPC' }).code).toBe(
        'BUILD_DISK_LIMIT',
      );
    });

    it('is BUILD_DISK_LIMIT when one file passed the per-file limit', () => {
      const result = classify({ stderr: 'Error: EFBIG: file too large, write', limits });
      expect(result).toMatchObject({ code: 'BUILD_DISK_LIMIT' });
      expect(result.message).toContain('larger than 200 MB');
    });

    it('is not confused with running out of file watchers', () => {
      const stderr = 'Error: ENOSPC: System limit for number of file watchers reached, watch';
      expect(classify({ stderr }).code).not.toBe('BUILD_DISK_LIMIT');
    });
  });

  it('timeout wins over a sandbox kill', () => {
    expect(classify({ timedOut: true, killedBySandbox: 'signal' }).category).toBe('timeout');
  });

  it.each<[string, Partial<ClassifyInput>, string, string]>([
    [
      'tsc plain',
      { stdout: TSC_PLAIN, stderr: NPM_LIFECYCLE },
      'typescript',
      'BUILD_TYPESCRIPT_ERROR',
    ],
    ['tsc pretty', { stdout: TSC_PRETTY }, 'typescript', 'BUILD_TYPESCRIPT_ERROR'],
    [
      'tsc in validate',
      { step: 'validate', stdout: TSC_PLAIN },
      'typescript',
      'BUILD_TYPESCRIPT_ERROR',
    ],
    ['next type error', { stdout: NEXT_TYPE_ERROR }, 'typescript', 'BUILD_TYPESCRIPT_ERROR'],
    [
      'rollup unresolved bare',
      { stderr: VITE_ROLLUP_UNRESOLVED },
      'dependency',
      'DEPENDENCY_MISSING',
    ],
    ['rolldown unresolved', { stderr: ROLLDOWN_UNRESOLVED }, 'dependency', 'DEPENDENCY_MISSING'],
    ['vite import analysis', { stderr: VITE_IMPORT_ANALYSIS }, 'dependency', 'DEPENDENCY_MISSING'],
    ['esbuild unresolved', { stderr: ESBUILD_UNRESOLVED }, 'dependency', 'DEPENDENCY_MISSING'],
    [
      'next module not found',
      { stdout: NEXT_MODULE_NOT_FOUND },
      'dependency',
      'DEPENDENCY_MISSING',
    ],
    ['missing vite plugin', { stderr: NODE_MISSING_PLUGIN }, 'dependency', 'DEPENDENCY_MISSING'],
    ['npm E404', { step: 'install', stderr: NPM_E404 }, 'dependency', 'DEPENDENCY_NOT_FOUND'],
    ['npm 6 E404', { step: 'install', stderr: NPM_OLD_E404 }, 'dependency', 'DEPENDENCY_NOT_FOUND'],
    [
      'npm ETARGET',
      { step: 'install', stderr: NPM_ETARGET },
      'dependency',
      'DEPENDENCY_VERSION_NOT_FOUND',
    ],
    [
      'npm ERESOLVE',
      { step: 'install', stderr: NPM_ERESOLVE },
      'dependency',
      'DEPENDENCY_CONFLICT',
    ],
    [
      'npm ci sync',
      { step: 'install', stderr: NPM_CI_OUT_OF_SYNC },
      'dependency',
      'DEPENDENCY_LOCKFILE_OUTDATED',
    ],
    ['npm network', { step: 'install', stderr: NPM_NETWORK }, 'dependency', 'DEPENDENCY_NETWORK'],
    ['pnpm 404', { step: 'install', stderr: PNPM_404 }, 'dependency', 'DEPENDENCY_NOT_FOUND'],
    [
      'pnpm no version',
      { step: 'install', stderr: PNPM_NO_VERSION },
      'dependency',
      'DEPENDENCY_VERSION_NOT_FOUND',
    ],
    [
      'pnpm outdated lockfile',
      { step: 'install', stderr: PNPM_OUTDATED },
      'dependency',
      'DEPENDENCY_LOCKFILE_OUTDATED',
    ],
    ['yarn 404', { step: 'install', stderr: YARN_404 }, 'dependency', 'DEPENDENCY_NOT_FOUND'],
    [
      'yarn no version',
      { step: 'install', stderr: YARN_NO_VERSION },
      'dependency',
      'DEPENDENCY_VERSION_NOT_FOUND',
    ],
    [
      'yarn frozen lockfile',
      { step: 'install', stderr: YARN_FROZEN },
      'dependency',
      'DEPENDENCY_LOCKFILE_OUTDATED',
    ],
    [
      'E404 outside install',
      { step: 'build', stderr: NPM_E404 },
      'dependency',
      'DEPENDENCY_NOT_FOUND',
    ],
    [
      'install, unknown output',
      { step: 'install', stderr: 'Killed' },
      'dependency',
      'DEPENDENCY_INSTALL_FAILED',
    ],
    ['esbuild syntax', { stderr: ESBUILD_SYNTAX + NPM_LIFECYCLE }, 'build', 'BUILD_SYNTAX_ERROR'],
    ['babel syntax', { stderr: BABEL_SYNTAX }, 'build', 'BUILD_SYNTAX_ERROR'],
    ['relative import', { stderr: ESBUILD_RELATIVE }, 'build', 'BUILD_UNRESOLVED_IMPORT'],
    ['npm lifecycle only', { stderr: NPM_LIFECYCLE }, 'build', 'BUILD_FAILED'],
    ['pnpm lifecycle only', { stderr: PNPM_BUILD_FAIL }, 'build', 'BUILD_FAILED'],
    [
      'missing script',
      { stderr: 'npm error Missing script: "build"' },
      'build',
      'BUILD_SCRIPT_MISSING',
    ],
    ['package step', { step: 'package', stderr: 'tar: write error' }, 'build', 'PACKAGE_FAILED'],
    ['empty output', {}, 'build', 'BUILD_FAILED'],
    ['deploy', { step: 'deploy', stderr: 'Error: 403 Forbidden' }, 'deployment', 'DEPLOY_FAILED'],
    ['deploy with npm noise', { step: 'deploy', stderr: NPM_E404 }, 'deployment', 'DEPLOY_FAILED'],
  ])('%s → %s / %s', (_name, input, category, code) => {
    const result = classify(input);
    expect(result.category).toBe(category);
    expect(result.code).toBe(code);
    expect(result.message).toMatch(/^[A-Z].*[.]$/);
    expect(result.message).not.toContain(ROOT);
    expect(result.message).not.toContain('\n');
    expect(result.hint.length).toBeGreaterThan(10);
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(result.excerpt.split('\n').length).toBeLessThanOrEqual(20);
  });
});

describe('classifyFailure messages and files', () => {
  it('describes the first TypeScript error like a person would', () => {
    const single = classify({
      stdout: "src/App.tsx(12,5): error TS2304: Cannot find name 'useState'.",
    });
    expect(single.message).toBe(
      "The app's TypeScript does not compile: src/App.tsx line 12: Cannot find name 'useState'.",
    );
    expect(single.files).toEqual(['src/App.tsx']);
  });

  it('counts multiple TypeScript errors and lists every file once', () => {
    const result = classify({ stdout: TSC_PLAIN, stderr: NPM_LIFECYCLE });
    expect(result.message).toBe(
      "The app's TypeScript does not compile (3 errors); the first is src/App.tsx line 12: Cannot find name 'useState'.",
    );
    expect(result.files).toEqual(['src/App.tsx', 'src/components/Header.tsx']);
    expect(result.excerpt).toContain(
      "src/App.tsx(12,5): error TS2304: Cannot find name 'useState'.",
    );
  });

  it('parses the pretty tsc format', () => {
    const result = classify({ stdout: TSC_PRETTY });
    expect(result.message).toContain('(2 errors); the first is src/App.tsx line 12:');
    expect(result.files).toEqual(['src/App.tsx', 'src/main.tsx']);
  });

  it('strips colours and relativises absolute paths', () => {
    const colored = `\u001b[96m${ROOT}/src/App.tsx\u001b[0m:\u001b[93m3\u001b[0m:\u001b[93m1\u001b[0m - \u001b[91merror\u001b[0m\u001b[90m TS1005: \u001b[0m';' expected.`;
    const result = classify({ stdout: colored, workspaceRoot: ROOT });
    expect(result.message).toBe(
      "The app's TypeScript does not compile: src/App.tsx line 3: ';' expected.",
    );
    expect(result.excerpt).not.toContain('\u001b');
  });

  it('handles Next.js type errors', () => {
    const result = classify({ stdout: NEXT_TYPE_ERROR });
    expect(result.message).toBe(
      "The app's TypeScript does not compile: src/app/page.tsx line 12: Cannot find name 'useState'.",
    );
    expect(result.files).toContain('src/app/page.tsx');
  });

  it('names missing packages', () => {
    expect(classify({ stderr: VITE_ROLLUP_UNRESOLVED }).message).toBe(
      "The app imports the package 'zustand', which is not installed.",
    );
    expect(classify({ stderr: VITE_ROLLUP_UNRESOLVED }).files).toEqual(['src/store.ts']);
    expect(classify({ stderr: ROLLDOWN_UNRESOLVED }).message).toContain("'date-fns'");
    expect(classify({ stderr: `${ESBUILD_UNRESOLVED}\n${VITE_IMPORT_ANALYSIS}` }).message).toBe(
      "The app imports packages that are not installed: 'lodash', '@tanstack/react-query'.",
    );
  });

  it('names registry failures', () => {
    expect(classify({ step: 'install', stderr: NPM_E404 }).message).toBe(
      "The package 'reactt-dom-xyz' does not exist in the npm registry.",
    );
    expect(classify({ step: 'install', stderr: NPM_OLD_E404 }).message).toContain(
      "'@acme/widgets'",
    );
    expect(classify({ step: 'install', stderr: NPM_ETARGET }).message).toBe(
      "No published version of 'react' matches '^99.0.0'.",
    );
    expect(classify({ step: 'install', stderr: YARN_NO_VERSION }).message).toBe(
      "No published version of 'react' matches '^99.0.0'.",
    );
  });

  it('locates bundler syntax errors without leaking the build directory', () => {
    const esbuild = classify({ stderr: ESBUILD_SYNTAX });
    expect(esbuild.message).toBe(
      'Building the app failed because of a syntax error: src/App.tsx line 7: Expected ")" but found "}".',
    );
    expect(esbuild.files).toEqual(['src/App.tsx']);
    const babel = classify({ stderr: BABEL_SYNTAX });
    expect(babel.message).toBe(
      'Building the app failed because of a syntax error: src/App.jsx line 5: Unexpected token.',
    );
    expect(babel.files).toEqual(['src/App.jsx']);
  });

  it('reports the missing relative file and where it is imported', () => {
    const result = classify({ stderr: ESBUILD_RELATIVE });
    expect(result.message).toBe(
      "Building the app failed: an imported file does not exist (src/App.tsx line 2): './components/Header'.",
    );
    expect(result.files).toEqual(['src/App.tsx']);
  });

  it('gives the exit code when nothing more is known', () => {
    expect(classify({ exitCode: 137, stderr: NPM_LIFECYCLE }).message).toBe(
      'Building the app failed (exit code 137).',
    );
  });

  it('keeps dependency and tool-internal paths out of files', () => {
    const result = classify({ stderr: VITE_ROLLUP_UNRESOLVED + NODE_MISSING_PLUGIN });
    expect(result.files.every((f) => !f.includes('node_modules') && !f.startsWith('/'))).toBe(true);
  });

  it('uses the workspace root to find root-level files', () => {
    const result = classify({ stderr: NODE_MISSING_PLUGIN, workspaceRoot: ROOT });
    expect(result.message).toBe(
      "The app imports the package '@vitejs/plugin-react', which is not installed.",
    );
    expect(result.files).toEqual(['vite.config.ts']);
  });

  it('excerpts at most 20 lines around the first error, tail for timeouts', () => {
    const noise = Array.from({ length: 100 }, (_, i) => `transforming module ${i}`).join('\n');
    const result = classify({ stdout: `${noise}\n${TSC_PLAIN}${noise}` });
    const lines = result.excerpt.split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines.some((l) => l.includes('error TS2304'))).toBe(true);
    const timeout = classify({ timedOut: true, stdout: noise });
    expect(timeout.excerpt.split('\n')).toHaveLength(20);
    expect(timeout.excerpt.endsWith('transforming module 99')).toBe(true);
  });

  it('copes with huge output', () => {
    const huge = `${'x'.repeat(2_000_000)}\n${TSC_PLAIN}`;
    const result = classify({ stdout: huge });
    expect(result.category).toBe('typescript');
    expect(result.excerpt.length).toBeLessThan(20 * 310);
  });
});

describe('fingerprint', () => {
  it('is stable across line numbers, temp paths, ids, timestamps and durations', () => {
    const a = classify({
      stdout: `/tmp/sheen-build-aaaa1111/src/App.tsx(12,5): error TS2304: Cannot find name 'useState'.`,
      stderr: 'x Build failed in 412ms at 2024-05-01T10:00:00.000Z',
    });
    const b = classify({
      stdout: `/tmp/sheen-build-bbbb2222/src/App.tsx(40,9): error TS2304: Cannot find name 'useState'.`,
      stderr: 'x Build failed in 9ms at 2025-01-02T03:04:05.000Z',
    });
    expect(a.fingerprint).toBe(b.fingerprint);
  });

  it('is stable for the pretty and plain formats of the same bundler error', () => {
    const one = classify({ stderr: ESBUILD_SYNTAX });
    const two = classify({
      stderr: ESBUILD_SYNTAX.replaceAll(ROOT, '/tmp/sheen-build-ffff9999')
        .replaceAll(':7:2', ':31:4')
        .replace('120ms', '3s'),
    });
    expect(one.fingerprint).toBe(two.fingerprint);
  });

  it('is stable for vite errors with hashed chunk names', () => {
    const other = VITE_ROLLUP_UNRESOLVED.replaceAll(ROOT, '/tmp/sheen-build-0123abcd').replace(
      'dep-BWSbWtLw',
      'dep-Zz9YyXx1',
    );
    expect(classify({ stderr: VITE_ROLLUP_UNRESOLVED }).fingerprint).toBe(
      classify({ stderr: other }).fingerprint,
    );
  });

  it('differs for a different error', () => {
    const a = classify({ stdout: "src/App.tsx(12,5): error TS2304: Cannot find name 'useState'." });
    const b = classify({
      stdout: "src/App.tsx(12,5): error TS2304: Cannot find name 'useEffect'.",
    });
    const c = classify({
      stdout: "src/Other.tsx(12,5): error TS2304: Cannot find name 'useState'.",
    });
    expect(a.fingerprint).not.toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });

  it('is equal for repeated timeouts of a step and differs between steps', () => {
    const a = classify({ step: 'build', timedOut: true, stdout: 'progress 1' });
    const b = classify({ step: 'build', timedOut: true, stdout: 'progress 2' });
    const c = classify({ step: 'install', timedOut: true });
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });
});

describe('missingPackages', () => {
  it.each([
    ['rollup', 'Could not resolve "lodash" from "src/a.ts"', ['lodash']],
    ['tsc / node cjs', "Cannot find module 'date-fns'", ['date-fns']],
    [
      'TS2307',
      "src/a.ts(1,1): error TS2307: Cannot find module 'zod' or its corresponding type declarations.",
      ['zod'],
    ],
    [
      'vite',
      'Failed to resolve import "zustand" from "src/x.tsx". Does the file exist?',
      ['zustand'],
    ],
    ['node esm', "Cannot find package 'vite' imported from /x/vite.config.ts", ['vite']],
    ['webpack', "Module not found: Error: Can't resolve 'axios' in '/app/src'", ['axios']],
    ['subpath', 'Could not resolve "lodash/merge"', ['lodash']],
    ['scoped subpath', `Could not resolve '@mui/material/Button'`, ['@mui/material']],
    ['relative', 'Could not resolve "./Header" from "src/App.tsx"', []],
    ['parent relative', "Cannot find module '../lib/x'", []],
    ['absolute', "Cannot find module '/abs/x.js'", []],
    ['node: builtin', 'Could not resolve "node:fs"', []],
    ['bare builtin', 'Could not resolve "path"', []],
    ['builtin subpath', 'Could not resolve "fs/promises"', []],
    ['@ alias', "Cannot find module '@/components/Button'", []],
    ['~ alias', "Cannot find module '~/lib/utils'", []],
    ['virtual', 'Could not resolve "virtual:pwa-register"', []],
    ['uppercase is not a package', 'Could not resolve "React"', []],
    [
      'dedupes, keeps order',
      'Could not resolve "b"\nCould not resolve "a"\nCannot find module \'b\'',
      ['b', 'a'],
    ],
  ])('%s', (_name, output, expected) => {
    expect(missingPackages(output)).toEqual(expected);
  });
});

describe('missingImports', () => {
  it('groups TS2304/TS2552 names with their files from both tsc formats', () => {
    const output = `${TSC_PLAIN}\n${TSC_PRETTY}\n${TSC_TS2307}`;
    expect(missingImports(output)).toEqual([
      { name: 'useState', files: ['src/App.tsx'] },
      { name: 'Linkk', files: ['src/components/Header.tsx'] },
    ]);
  });

  it('collects every file that misses the same name', () => {
    const output = [
      "src/a.tsx(1,1): error TS2304: Cannot find name 'clsx'.",
      "src/b.tsx:2:3 - error TS2304: Cannot find name 'clsx'.",
      "src/b.tsx(9,9): error TS2322: Type 'string' is not assignable to type 'number'.",
    ].join('\n');
    expect(missingImports(output)).toEqual([{ name: 'clsx', files: ['src/a.tsx', 'src/b.tsx'] }]);
  });

  it('returns nothing for output without those errors', () => {
    expect(missingImports(VITE_ROLLUP_UNRESOLVED)).toEqual([]);
  });
});

describe('path handling', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['src/App.tsx', undefined, 'src/App.tsx'],
    ['./src/App.tsx', undefined, 'src/App.tsx'],
    ['/w/root/lib/x.ts', '/w/root', 'lib/x.ts'],
    ['/w/root/vite.config.ts.timestamp-1714557600000-4f1c2a9b.mjs', '/w/root', 'vite.config.ts'],
    ['/app/src/x.ts', undefined, 'src/x.ts'],
    ['/app/app/page.tsx', undefined, 'app/page.tsx'],
    ['/tmp/b/components/Button.tsx', undefined, 'components/Button.tsx'],
    ['/tmp/b/vite.config.ts', undefined, 'vite.config.ts'],
    ['file:///tmp/b/src/main.ts', undefined, 'src/main.ts'],
    ['/usr/lib/node/x.js', undefined, undefined],
    ['/tmp/b/node_modules/vite/dist/index.js', undefined, undefined],
    ['/home/me/notes.txt', undefined, undefined],
    ['../outside.ts', undefined, undefined],
    ['src/node_modules/x.js', undefined, undefined],
  ])('toWorkspacePath(%j, %j) → %j', (raw, root, expected) => {
    expect(toWorkspacePath(raw, root)).toBe(expected);
  });

  it('scrubs absolute paths from text but leaves URLs and relative paths', () => {
    expect(scrubPaths('File /tmp/x/src/a.ts:3:4 failed, see https://example.com/a/b')).toBe(
      'File src/a.ts:3:4 failed, see https://example.com/a/b',
    );
    expect(scrubPaths('log in /home/me/secret/run.log.')).toBe('log in run.log.');
    expect(scrubPaths('import ./src/a.ts and ../b')).toBe('import ./src/a.ts and ../b');
  });
});
