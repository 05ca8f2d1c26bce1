import type { BuildPlan, FailureForFix, Framework, PlanInput } from '../engine.js';
import { detectFramework as detectProjectFramework } from '../../build/detect.js';
import { DEFAULT_FILES } from '../agent/plan.js';
import { chooseFramework } from '../agent/prompts.js';
import { explicitName, extractNameFacts } from '../offline/extract.js';

/** How each framework is to be set up so the pipeline can install, check and build it. */
const STACKS: Record<Framework, { stack: string; build: string }> = {
  react: {
    stack: 'React 18 + TypeScript with Vite',
    build: '"build": "tsc -b && vite build" writing the site to dist/',
  },
  nextjs: {
    stack:
      "Next.js (App Router, TypeScript) as a static export (`output: 'export'` in next.config)",
    build: '"build": "next build" writing the static site to out/',
  },
  vue: {
    stack: 'Vue 3 + TypeScript with Vite',
    build: '"build": "vite build" writing the site to dist/',
  },
  svelte: {
    stack: 'Svelte 5 with Vite (no SvelteKit)',
    build: '"build": "vite build" writing the site to dist/',
  },
  astro: {
    stack: 'Astro with static output (the default; no SSR adapter, no `output: "server"`)',
    build: '"build": "astro build" writing the static site to dist/',
  },
  static: {
    stack: 'plain HTML, CSS and JavaScript (no framework, no package.json needed)',
    build: 'no build step: index.html at the project root',
  },
};

/**
 * The framework of an existing project (the pipeline's own detection over its files), else the
 * one the prompt names, else React.
 */
export function detectFramework(prompt: string, existingFiles: readonly string[] = []): Framework {
  if (existingFiles.length > 0) {
    return detectProjectFramework({ packageJson: undefined, files: [...existingFiles] }).framework;
  }
  return chooseFramework(undefined, prompt);
}

/**
 * The plan, derived from the prompt without a model call: the CLI plans for itself while it
 * works (a separate planning run would cost a paid round trip and add a failure point for no
 * information the generate run does not produce anyway), so `plan` only fixes the framework,
 * the name and the task list that generate hands to the CLI.
 */
export function derivePlan(input: PlanInput): BuildPlan {
  const framework = input.framework ?? detectFramework(input.prompt, input.existingFiles);
  const stack = STACKS[framework];
  const name =
    explicitName(input.name) ||
    extractNameFacts(input.prompt).name ||
    (input.kind === 'update' ? 'App' : 'New app');
  const summary =
    input.kind === 'create'
      ? `Build "${name}" with ${stack.stack}.`
      : `Update "${name}" (${framework}) as requested.`;
  const tasks =
    input.kind === 'create'
      ? [
          `Scaffold a ${stack.stack} project`,
          'Write the pages and components the request describes',
          'Make sure the build script produces the site',
        ]
      : [
          'Read the files the change touches',
          'Apply the requested change',
          'Keep the build working',
        ];
  return {
    framework,
    name,
    summary,
    files: input.kind === 'create' ? DEFAULT_FILES[framework] : [],
    tasks,
    meta: { engine: 'claude-cli', planning: 'derived' },
  };
}

/** User text, fenced so it reads as data rather than as instructions to the agent. */
function fenced(label: string, text: string): string {
  return `<${label}>\n${text}\n</${label}>`;
}

const RULES = (framework: Framework, allowBash: boolean) => {
  const stack = STACKS[framework];
  return [
    'Rules:',
    '- The current working directory is the project root. Create and change files only inside it, with the Write and Edit tools. No symlinks, no files outside it.',
    allowBash
      ? '- Do not install packages or run the build: the build system installs dependencies and runs the build itself.'
      : '- There is no shell: do not try to run commands. The build system installs dependencies and runs the build itself.',
    `- Stack: ${stack.stack}. package.json (when there is one) needs ${stack.build}.`,
    '- Use only well-known npm packages at versions that exist, keep dependencies few, and do not write a lockfile.',
    '- The app must work as a static site with no server, no environment variables and no secrets.',
    '- When you are done, reply with two or three sentences saying what you built or changed.',
  ].join('\n');
};

export function generatePrompt(
  input: { prompt: string; plan: BuildPlan; kind: 'create' | 'update' },
  allowBash: boolean,
): string {
  const { plan } = input;
  const intro =
    input.kind === 'create'
      ? `Build a complete web app named "${plan.name}" in the current directory (it is empty).`
      : `The current directory holds the app "${plan.name}". Change it as requested below; read the files you need first and keep everything else working.`;
  return [
    intro,
    '',
    fenced('request', input.prompt),
    '',
    `Plan: ${plan.summary}`,
    ...plan.tasks.map((task) => `- ${task}`),
    '',
    RULES(plan.framework, allowBash),
  ].join('\n');
}

const MAX_EXCERPT = 8000;

export function fixPrompt(
  failure: FailureForFix,
  framework: Framework | undefined,
  allowBash: boolean,
): string {
  const excerpt =
    failure.output.length > MAX_EXCERPT ? `…${failure.output.slice(-MAX_EXCERPT)}` : failure.output;
  return [
    'The build of the app in the current directory failed. Find the cause and fix it with the smallest change that makes the build pass; do not rewrite working parts.',
    '',
    `Category: ${failure.category}`,
    `Problem: ${failure.message}`,
    failure.files.length > 0
      ? `Files involved: ${failure.files.join(', ')}`
      : 'Files involved: unknown',
    '',
    fenced('build-output', excerpt),
    '',
    RULES(framework ?? 'react', allowBash).replace(
      '- When you are done, reply with two or three sentences saying what you built or changed.',
      '- When you are done, reply with one sentence describing the fix.',
    ),
  ].join('\n');
}

export function completePrompt(input: { system?: string; prompt: string }): string {
  const parts = [];
  if (input.system) parts.push(fenced('instructions', input.system), '');
  parts.push(
    'Answer in plain text. You have no tools and no files; do not ask questions.',
    '',
    fenced('question', input.prompt),
  );
  return parts.join('\n');
}
