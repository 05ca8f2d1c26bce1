/**
 * System prompts and request texts for tool-calling engines (plan, generate, fix), and the
 * framework choice. Shared by every engine that drives a model with the tools in `tools.ts`, so
 * apps come out the same shape whichever model wrote them.
 *
 * The shape is dictated by the pipeline: it installs with lifecycle scripts off, type-checks
 * with `tsc --noEmit`, runs the `build` script, and serves the output (dist/ for Vite, out/ for
 * Next.js) both at a host root and under /preview/<id>/, hence relative asset URLs.
 */
import { FRAMEWORKS, type BuildPlan, type FailureForFix, type Framework } from '../engine.js';

const FRAMEWORK_PATTERNS: readonly (readonly [Framework, RegExp])[] = [
  ['nextjs', /\bnext\.?\s?js\b/i],
  ['vue', /\b(?:vue(?:\.?js)?|nuxt)\b/i],
  ['svelte', /\bsvelte(?:kit)?\b/i],
  [
    'static',
    /\b(?:static html|plain html|vanilla (?:js|javascript|typescript|html)|no framework)\b/i,
  ],
  ['react', /\breact\b/i],
];

/**
 * The framework a request names, if any ("a Vue todo app", "in Next.js"). Next.js must be
 * spelled "Next.js", "nextjs" or "next js": a bare "next" ("the next image") is an ordinary word.
 */
export function frameworkFromPrompt(prompt: string): Framework | undefined {
  const hits = FRAMEWORK_PATTERNS.filter(([, pattern]) => pattern.test(prompt));
  // "Next.js (React)" names both: the more specific framework wins.
  return hits[0]?.[0];
}

export function isFramework(value: unknown): value is Framework {
  return typeof value === 'string' && (FRAMEWORKS as readonly string[]).includes(value);
}

/**
 * The framework to build with: the caller's explicit choice, else what the request names, else
 * what the model proposed, else React (the stack the pipeline and caches know best).
 */
export function chooseFramework(
  explicit: Framework | undefined,
  prompt: string,
  proposed?: unknown,
): Framework {
  return explicit ?? frameworkFromPrompt(prompt) ?? (isFramework(proposed) ? proposed : 'react');
}

const REACT_PACKAGE = `{"name":"app","private":true,"version":"1.0.0","type":"module","scripts":{"build":"vite build"},"dependencies":{"react":"19.3.1","react-dom":"19.3.1"},"devDependencies":{"@types/react":"19.3.0","@types/react-dom":"19.3.0","@vitejs/plugin-react":"6.3.0","typescript":"7.0.2","vite":"8.3.8"}}`;

const STACKS: Record<Framework, string> = {
  react: `Stack: Vite + React + TypeScript.
- Files: package.json, index.html (project root, loads /src/main.tsx), vite.config.ts, tsconfig.json, src/main.tsx, src/App.tsx, src/… (components, styles).
- Start package.json from ${REACT_PACKAGE} and add only dependencies you really use.
- vite.config.ts: \`export default defineConfig({ plugins: [react()], base: './' })\`.
- tsconfig.json: strict, "moduleResolution": "bundler", "jsx": "react-jsx", "noEmit": true, "types": ["vite/client"], "include": ["src"].`,
  vue: `Stack: Vite + Vue 3 + TypeScript (no Nuxt).
- Files: package.json ("build": "vite build"; vue, vite, @vitejs/plugin-vue, typescript), index.html (loads /src/main.ts), vite.config.ts with \`base: './'\`, tsconfig.json (strict, "moduleResolution": "bundler", "noEmit": true, "types": ["vite/client"]), src/main.ts, src/App.vue, src/env.d.ts declaring '*.vue' modules.`,
  svelte: `Stack: Vite + Svelte + TypeScript (no SvelteKit).
- Files: package.json ("build": "vite build"; svelte, vite, @sveltejs/vite-plugin-svelte, typescript), index.html (loads /src/main.ts), vite.config.ts with \`base: './'\`, svelte.config.js (vitePreprocess), tsconfig.json (strict, "moduleResolution": "bundler", "noEmit": true), src/main.ts, src/App.svelte, src/vite-env.d.ts.`,
  nextjs: `Stack: Next.js (App Router) + React + TypeScript, exported as a static site.
- Files: package.json ("build": "next build"; next, react, react-dom, typescript, @types/react, @types/node), next.config.mjs with \`output: 'export'\`, \`images: { unoptimized: true }\`, \`trailingSlash: true\`, tsconfig.json, app/layout.tsx, app/page.tsx, app/globals.css.
- No server features: no API routes, server actions, middleware, or dynamic routes without generateStaticParams.`,
  astro: `Stack: Astro with static output, TypeScript in the frontmatter and in <script> tags.
- Files: package.json ("build": "astro build"; astro only, a version that runs on Node 20), astro.config.mjs (\`defineConfig({})\`: static output, no adapter), tsconfig.json extending "astro/tsconfigs/strict", src/pages/index.astro, src/layouts/…, src/components/….
- No server features: no \`output: 'server'\`, no adapter, no \`export const prerender = false\`.`,
  static: `Stack: a static site built with Vite, plain TypeScript and CSS (no UI framework).
- Files: package.json ("build": "vite build"; vite and typescript only), index.html (loads /src/main.ts), vite.config.ts with \`base: './'\`, tsconfig.json (strict, "moduleResolution": "bundler", "noEmit": true, "types": ["vite/client"]), src/main.ts, src/style.css.`,
};

const RULES = `Rules:
- Every path is relative to the project root (src/App.tsx). Never use absolute paths or "..".
- Write complete files: no placeholders, no "rest unchanged" comments, no TODO stubs.
- The build runs \`npm install\` with install scripts disabled, then \`tsc --noEmit\`, then the "build" script: the code must type-check under strict TypeScript and build offline.
- Do not write node_modules, dist, lockfiles or .git. Use no environment variables, API keys or backend; keep data in the code or in localStorage.
- Use relative asset URLs or imports (the site is served under a sub-path); no external CDNs for code.
- Make it look finished: real copy for the subject, a coherent colour palette, responsive layout, accessible markup.`;

export function planSystemPrompt(): string {
  return `You plan web applications that another step will generate file by file.
Reply with one JSON object and nothing else, in this shape:
{"framework": one of ${FRAMEWORKS.map((f) => `"${f}"`).join(', ')}, "name": "short app name", "summary": "one or two sentences on what will be built", "files": ["relative/paths", "..."], "tasks": ["short imperative steps", "..."]}
Use the framework the request names; otherwise "react". List every file the app needs (package.json, index.html, config files, sources). Keep tasks to 3–8 concrete steps.`;
}

export function generateSystemPrompt(framework: Framework): string {
  // Plans are stored and may come from another engine or an older version: React if unknown.
  const stack = isFramework(framework) ? STACKS[framework] : STACKS.react;
  return `You are a senior front-end engineer. You build the requested web app by calling the file tools; files you do not write do not exist.
${stack}
${RULES}
- For an existing project: call list_files and read_file before changing code, change only what the request needs, prefer edit_file for small changes.
When everything is written, reply with two or three sentences describing what you built or changed. Do not paste code in that reply.`;
}

export function fixSystemPrompt(): string {
  return `You repair a web app whose type check or build failed, by calling the file tools.
- Read the files involved before changing them; change as little as needed to make the build pass, and keep the app's behaviour and look.
- Prefer edit_file for small changes; use write_file when a file needs rewriting.
- A missing package: add it to package.json (or remove the import if it is not needed).
- Every path is relative to the project root; never use absolute paths or "..".
When done, reply with one sentence saying what you changed.`;
}

/** The user message asking for a plan. */
export function planRequest(input: {
  kind: 'create' | 'update';
  prompt: string;
  name?: string;
  framework?: Framework;
  existingFiles?: string[];
}): string {
  const lines = [`Request:\n${input.prompt}`];
  if (input.name) lines.push(`App name: ${input.name}`);
  if (input.framework) lines.push(`Framework (required): ${input.framework}`);
  if (input.kind === 'update') {
    lines.push('This changes an existing app; plan only the files to add, change or delete.');
    lines.push(fileList(input.existingFiles ?? []));
  }
  return lines.join('\n\n');
}

const MAX_LISTED_FILES = 400;

/** Existing files, one per line (capped: the model can call list_files for the rest). */
export function fileList(files: readonly string[]): string {
  if (files.length === 0) return 'The project has no files yet.';
  const shown = files.slice(0, MAX_LISTED_FILES).map((f) => `- ${f}`);
  if (files.length > MAX_LISTED_FILES) {
    shown.push(`- … ${files.length - MAX_LISTED_FILES} more (use list_files)`);
  }
  return `Existing files (read what you need with read_file):\n${shown.join('\n')}`;
}

/** The stable part of a generate conversation: the plan (and, for updates, the file list). */
export function generateContext(plan: BuildPlan, existingFiles?: readonly string[]): string {
  // meta is engine-private detail, not something the model should act on.
  const { framework, name, summary, files, tasks } = plan;
  const shown = { framework, name, summary, files, tasks };
  const parts = [`Plan:\n${JSON.stringify(shown, null, 2)}`];
  if (existingFiles) parts.push(fileList(existingFiles));
  return parts.join('\n\n');
}

export function generateInstruction(prompt: string, kind: 'create' | 'update'): string {
  return kind === 'update'
    ? `Change the existing app as requested:\n${prompt}`
    : `Build this app now, writing every file with the tools:\n${prompt}`;
}

/** The files a failure names, as one block of context. */
export function fixContext(files: readonly { path: string; content: string }[]): string {
  if (files.length === 0) return 'No file contents are attached; read the files you need.';
  return files.map((f) => `File: ${f.path}\n\`\`\`\n${f.content}\n\`\`\``).join('\n\n');
}

const MAX_OUTPUT_CHARS = 8000;

export function fixInstruction(failure: FailureForFix): string {
  const output =
    failure.output.length > MAX_OUTPUT_CHARS
      ? failure.output.slice(0, MAX_OUTPUT_CHARS) + '\n[output truncated]'
      : failure.output;
  return [
    `The ${failure.category} step failed: ${failure.message}`,
    `Tool output:\n\`\`\`\n${output}\n\`\`\``,
    failure.files.length > 0 ? `Files named in the error: ${failure.files.join(', ')}` : '',
    'Fix it.',
  ]
    .filter(Boolean)
    .join('\n\n');
}
