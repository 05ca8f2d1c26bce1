/**
 * Turns a model's plan reply into a `BuildPlan`. Models wrap JSON in prose or code fences, add
 * trailing commentary, or (rarely) return nothing usable, so parsing takes the first JSON object
 * that parses and falls back to a plan derived from the request: a bad plan reply must not fail
 * a build that the generate step can still do well.
 */
import type { BuildPlan, Framework, PlanInput } from '../engine.js';
import { clipText, storableText } from '../../text.js';
import { chooseFramework } from './prompts.js';

/**
 * The first balanced `{…}` in `text` that parses as a JSON object. Braces inside JSON strings
 * are skipped, so `{"summary": "a {weird} name"}` is found whole.
 */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
    const end = balancedEnd(text, start);
    if (end === -1) continue;
    try {
      const value: unknown = JSON.parse(text.slice(start, end + 1));
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        return value as Record<string, unknown>;
      }
    } catch {
      // not JSON from this brace: try the next one
    }
  }
  return undefined;
}

function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i += 1;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

// Lenient on purpose: every field is optional and a wrong type reads as empty. What a model
// writes ends up in build events (jsonb), so it is made storable and clipped whole.
function asText(value: unknown, max: number): string {
  return typeof value === 'string' ? clipText(storableText(value).trim(), max) : '';
}

function asStrings(value: unknown, maxItems: number, maxLength: number): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((x) => asText(x, maxLength))
    .filter(Boolean)
    .slice(0, maxItems);
}

/** The files a fresh project of each framework starts with (plans list them). */
export const DEFAULT_FILES: Record<Framework, string[]> = {
  astro: ['package.json', 'astro.config.mjs', 'tsconfig.json', 'src/pages/index.astro'],
  react: [
    'package.json',
    'index.html',
    'vite.config.ts',
    'tsconfig.json',
    'src/main.tsx',
    'src/App.tsx',
    'src/styles.css',
  ],
  vue: [
    'package.json',
    'index.html',
    'vite.config.ts',
    'tsconfig.json',
    'src/env.d.ts',
    'src/main.ts',
    'src/App.vue',
    'src/style.css',
  ],
  svelte: [
    'package.json',
    'index.html',
    'vite.config.ts',
    'svelte.config.js',
    'tsconfig.json',
    'src/main.ts',
    'src/App.svelte',
    'src/app.css',
  ],
  nextjs: [
    'package.json',
    'next.config.mjs',
    'tsconfig.json',
    'app/layout.tsx',
    'app/page.tsx',
    'app/globals.css',
  ],
  static: [
    'package.json',
    'index.html',
    'vite.config.ts',
    'tsconfig.json',
    'src/main.ts',
    'src/style.css',
  ],
};

/**
 * Names derived from a prompt stay as short as a quoted one, far inside the 200 characters
 * projects.name allows, whatever the prompt (one 20,000-character word included).
 */
const DERIVED_NAME_MAX = 60;

/** A short name from the request: its first quoted phrase, else its first few words. */
export function nameFromPrompt(prompt: string): string {
  const quote = /["“'‘]([^"”'’\n]{2,60})["”'’]/.exec(prompt)?.[1] ?? '';
  const quoted = storableText(quote).replace(/\s+/g, ' ').trim();
  if (quoted) return clipText(quoted, DERIVED_NAME_MAX);
  const words = prompt
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 5)
    .join(' ');
  const name = clipText(words, DERIVED_NAME_MAX);
  return name ? name.charAt(0).toUpperCase() + name.slice(1) : 'App';
}

function summaryFromPrompt(prompt: string): string {
  const first = storableText(prompt.trim().split(/\n/)[0] ?? '');
  const clipped = clipText(first, 299);
  return clipped === first ? first || 'A web app.' : `${clipped}…`;
}

/** A plan made from the request alone, for when the model's plan cannot be used. */
export function fallbackPlan(input: PlanInput, engine: string): BuildPlan {
  const framework = chooseFramework(input.framework, input.prompt);
  const update = input.kind === 'update';
  return {
    framework,
    name: input.name?.trim() || nameFromPrompt(input.prompt),
    summary: summaryFromPrompt(input.prompt),
    files: update ? [] : DEFAULT_FILES[framework],
    tasks: update
      ? ['Read the files the change touches', 'Apply the requested change', 'Keep the build green']
      : [
          'Set up the project files and build configuration',
          'Build the interface the request describes',
          'Style it and make it responsive',
        ],
    meta: { engine, planSource: 'fallback' },
  };
}

/** The plan in a model's reply, completed from the request where fields are missing. */
export function planFromReply(
  reply: string,
  input: PlanInput,
  engine: string,
): { plan: BuildPlan; parsed: boolean } {
  const fallback = fallbackPlan(input, engine);
  const json = extractJsonObject(reply);
  if (!json) return { plan: fallback, parsed: false };
  const model = {
    framework: json.framework,
    name: asText(json.name, 80),
    summary: asText(json.summary, 600),
    files: asStrings(json.files, 300, 200),
    tasks: asStrings(json.tasks, 20, 300),
  };
  const framework = chooseFramework(input.framework, input.prompt, model.framework);
  return {
    parsed: true,
    plan: {
      framework,
      name: input.name?.trim() || model.name || fallback.name,
      summary: model.summary || fallback.summary,
      files:
        model.files.length > 0
          ? model.files
          : input.kind === 'update'
            ? []
            : DEFAULT_FILES[framework],
      tasks: model.tasks.length > 0 ? model.tasks : fallback.tasks,
      meta: { engine, planSource: 'model' },
    },
  };
}
