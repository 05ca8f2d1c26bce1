/**
 * The offline engine: deterministic, no network. `plan` analyses the prompt into an AppSpec;
 * `generate` renders a React + Vite + TypeScript app from it through the workspace tools, and
 * updates re-render only what a change affects. It cannot reason about build failures.
 */
import { readFile } from 'node:fs/promises';
import {
  zeroUsage,
  type AiEngine,
  type BuildPlan,
  type EngineContext,
  type EngineUsage,
  type FailureForFix,
  type PlanInput,
  type WorkspaceTools,
  EngineNothingToChangeError,
  EngineUnavailableError,
  EngineUnsupportedError,
} from '../engine.js';
import { analyzePrompt } from './analyze.js';
import { FEATURES } from './components/index.js';
import { assessAsks, unmetOf } from './asks.js';
import { updateAsks } from './update-asks.js';
import { explicitName } from './extract.js';
import { renderApp } from './render/app.js';
import { SECTION_SOURCES } from './render/sections-source.js';
import { parseSpec, SPEC_PATH, type AppKind, type AppSpec } from './types.js';
import {
  applyUpdate,
  blockName,
  isEmptyUpdate,
  parseUpdate,
  sectionNames,
  UpdateRequestSchema,
  type UpdateRequest,
} from './update.js';

/** Copied verbatim into every app, so all apps share one dependency set and lockfile. */
export const SCAFFOLD_FILES = [
  'package.json',
  'pnpm-lock.yaml',
  'tsconfig.json',
  'vite.config.ts',
] as const;

let scaffold: Promise<ReadonlyMap<string, string>> | null = null;

/** The scaffold files, read once from `./scaffold/` next to this module. */
export function loadScaffold(): Promise<ReadonlyMap<string, string>> {
  scaffold ??= (async () => {
    const dir = new URL('./scaffold/', import.meta.url);
    const entries = await Promise.all(
      SCAFFOLD_FILES.map(
        async (name) => [name, await readFile(new URL(name, dir), 'utf8')] as const,
      ),
    );
    return new Map<string, string>(entries);
  })().catch((err: unknown) => {
    scaffold = null;
    throw err;
  });
  return scaffold;
}

const KIND_SUMMARY: Readonly<Record<AppKind, string>> = {
  landing: 'landing page',
  general: 'single-page site',
  todo: 'task app (add, complete, filter and remove tasks, saved in the browser)',
  portfolio: 'portfolio with a filterable project grid and project details',
  blog: 'blog with a post list, topic filter and full articles',
  dashboard: 'dashboard with KPI cards, an SVG chart, a breakdown and an activity table',
  catalog: 'product catalog with category filters, search, sorting and a bag',
  event: 'event page with date, venue, schedule and an RSVP form',
  menu: 'restaurant menu grouped by category with prices and a dietary filter',
};

const NO_SPEC =
  'The offline engine can only update apps it generated itself (src/app-spec.json is missing). ' +
  'Use an AI engine for this project, or create a new app.';

function describe(spec: AppSpec): string {
  const sections =
    spec.sections.length > 0 ? ', with ' + sectionNames(spec.sections) + ' sections' : '';
  const what = KIND_SUMMARY[spec.kind];
  return (
    (/^[aeiou]/.test(what) ? 'An ' : 'A ') +
    what +
    ' for ' +
    JSON.stringify(spec.name) +
    sections +
    '.'
  );
}

function tasksFor(spec: AppSpec): string[] {
  const tasks = [
    'Set up React, Vite and TypeScript from the pinned scaffold',
    'Apply the theme: primary ' +
      spec.theme.primary +
      ', accent ' +
      spec.theme.accent +
      (spec.theme.dark ? ', dark' : ''),
    'Build the ' + KIND_SUMMARY[spec.kind],
  ];
  if (spec.sections.length > 0) tasks.push('Add sections: ' + sectionNames(spec.sections));
  tasks.push('Add the header navigation, hero and footer');
  tasks.push('Keep all text in src/data.ts and save the spec in ' + SPEC_PATH + ' for later edits');
  return tasks;
}

function describeUpdate(request: UpdateRequest): string[] {
  const lines: string[] = [];
  if (request.name) lines.push('Rename the app to ' + JSON.stringify(request.name));
  if (request.tagline) lines.push('Change the tagline');
  if (request.primary) lines.push('Set the primary colour to ' + request.primary);
  if (request.accent) lines.push('Set the accent colour to ' + request.accent);
  if (request.dark !== null)
    lines.push(request.dark ? 'Switch to a dark theme' : 'Switch to a light theme');
  if (request.add.length > 0) lines.push('Add ' + sectionNames(request.add));
  if (request.remove.length > 0) lines.push('Remove ' + sectionNames(request.remove));
  for (const id of request.addBlocks) lines.push('Add the block: ' + blockName(id));
  for (const id of request.removeBlocks) lines.push('Remove the block: ' + blockName(id));
  return lines;
}

const UNDERSTOOD =
  'The offline engine understands a new name, tagline, colours, a dark or light theme, and adding ' +
  'or removing sections (features, services, about, gallery, team, pricing, testimonials, FAQ, newsletter, contact) ' +
  'and blocks (countdown, RSVP list, priorities, chart, map, lightbox).';

/** Files an update is expected to write (the exact set is known once the stored spec is read). */
function updateFiles(request: UpdateRequest): string[] {
  if (isEmptyUpdate(request)) return [];
  const files = new Set<string>([SPEC_PATH]);
  if (request.name || request.tagline)
    ['index.html', 'src/data.ts'].forEach((file) => files.add(file));
  if (request.primary) files.add('index.html');
  if (request.primary || request.accent || request.dark !== null) files.add('src/styles.css');
  if (request.add.length > 0 || request.remove.length > 0)
    ['src/App.tsx', 'src/data.ts'].forEach((file) => files.add(file));
  for (const id of request.add)
    files.add('src/components/' + SECTION_SOURCES[id].component + '.tsx');
  if (request.addBlocks.length > 0 || request.removeBlocks.length > 0)
    ['src/App.tsx', 'src/data.ts', 'src/styles.css'].forEach((file) => files.add(file));
  for (const id of request.addBlocks) {
    const { component, helpers } = FEATURES[id];
    [component + '.tsx', ...helpers].forEach((file) => files.add('src/components/' + file));
  }
  return [...files].sort();
}

/** " Not possible offline: a countdown, an RSVP list." or '' when every ask was honoured. */
function notHonoured(unmet: readonly { text: string }[]): string {
  if (unmet.length === 0) return '';
  return ' Not possible offline: ' + unmet.map((ask) => ask.text).join(', ') + '.';
}

function nothingToChange(unmet: string[], why = ''): EngineNothingToChangeError {
  const asked =
    unmet.length > 0
      ? 'it asks for ' + unmet.join(', ') + ', which the offline engine cannot do'
      : '';
  return new EngineNothingToChangeError(
    'offline',
    'This update changes nothing: ' +
      (why || asked || 'no change the offline engine understands was found') +
      '. ' +
      UNDERSTOOD,
    unmet,
  );
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

async function exists(tools: WorkspaceTools, path: string): Promise<boolean> {
  try {
    await tools.readFile(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Announces every file, then writes them in order. The announcements go out together, so
 * the build's log stores them in one statement instead of one per file between the writes.
 */
async function writeAll(
  tools: WorkspaceTools,
  ctx: EngineContext,
  files: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  ctx.signal.throwIfAborted();
  for (const [path] of files)
    ctx.emit({ type: 'tool', message: 'write_file ' + path, data: { tool: 'write_file', path } });
  // One batch: the workspace checks every file before writing any, then writes them together.
  await tools.writeFiles(files);
  ctx.signal.throwIfAborted();
}

export class OfflineEngine implements AiEngine {
  readonly name = 'offline';
  readonly frameworks = ['react'] as const;

  async plan(
    input: PlanInput,
    ctx: EngineContext,
  ): Promise<{ plan: BuildPlan; usage: EngineUsage }> {
    const started = performance.now();
    ctx.signal.throwIfAborted();
    if (input.framework !== undefined && input.framework !== 'react') {
      throw new EngineUnsupportedError(
        'offline',
        'The offline engine generates React only; it cannot build a ' + input.framework + ' app.',
      );
    }
    const plan = input.kind === 'update' ? this.planUpdate(input) : this.planCreate(input);
    ctx.emit({ type: 'progress', message: plan.summary });
    return { plan, usage: zeroUsage('offline', elapsed(started)) };
  }

  private planCreate(input: PlanInput): BuildPlan {
    const spec = analyzePrompt(input.prompt, { name: input.name });
    const files = renderApp(spec);
    const asks = assessAsks(input.prompt, spec, files);
    const unmet = unmetOf(asks);
    return {
      framework: 'react',
      name: spec.name,
      summary: describe(spec) + notHonoured(unmet),
      files: [...SCAFFOLD_FILES, ...files.keys()],
      tasks: tasksFor(spec),
      meta: { engine: 'offline', mode: 'create', kind: spec.kind, spec, asks, unmet },
    };
  }

  private planUpdate(input: PlanInput): BuildPlan {
    const existing = input.existingFiles?.map((file) => file.replace(/^\.\//, ''));
    if (existing && !existing.includes(SPEC_PATH))
      throw new EngineUnsupportedError('offline', NO_SPEC);
    const request = parseUpdate(input.prompt);
    const steps = describeUpdate(request);
    const asks = updateAsks(input.prompt, request);
    const unmet = unmetOf(asks);
    if (steps.length === 0) throw nothingToChange(unmet.map((ask) => ask.text));
    return {
      framework: 'react',
      name: request.name ?? (explicitName(input.name) || 'Your app'),
      summary: steps.join('; ') + '.' + notHonoured(unmet),
      files: updateFiles(request),
      tasks: [...steps, 'Re-render the affected files from ' + SPEC_PATH],
      meta: { engine: 'offline', mode: 'update', update: request, asks, unmet },
    };
  }

  async generate(
    input: { prompt: string; plan: BuildPlan; kind: 'create' | 'update' },
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ summary: string; usage: EngineUsage }> {
    const started = performance.now();
    ctx.signal.throwIfAborted();
    const summary =
      input.kind === 'update'
        ? await this.update(input.prompt, input.plan, tools, ctx)
        : await this.create(input.prompt, input.plan, tools, ctx);
    return { summary, usage: zeroUsage('offline', elapsed(started)) };
  }

  private async create(
    prompt: string,
    plan: BuildPlan,
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<string> {
    let spec = parseSpec(plan.meta.spec) ?? analyzePrompt(prompt, { name: plan.name || undefined });
    const planName = explicitName(plan.name);
    if (planName && planName !== spec.name) spec = { ...spec, name: planName };
    const files = [...(await loadScaffold()), ...renderApp(spec)];
    ctx.emit({ type: 'progress', message: 'Writing ' + files.length + ' files' });
    await writeAll(tools, ctx, files);
    return 'Generated ' + files.length + ' files. ' + describe(spec);
  }

  private async update(
    prompt: string,
    plan: BuildPlan,
    tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<string> {
    let raw: string;
    try {
      raw = await tools.readFile(SPEC_PATH);
    } catch {
      throw new EngineUnsupportedError('offline', NO_SPEC);
    }
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // reported below as an invalid spec
    }
    const spec = parseSpec(parsed);
    if (!spec)
      throw new EngineUnsupportedError(
        'offline',
        SPEC_PATH + ' is not a spec the offline engine wrote, so it cannot apply the change.',
      );
    const request = UpdateRequestSchema.safeParse(plan.meta.update).data ?? parseUpdate(prompt);
    const { spec: next, changes } = applyUpdate(spec, request);
    // The app already is what the update asks for: building it again would change nothing.
    if (changes.length === 0) throw nothingToChange([], 'the app already has what it asks for');

    const before = renderApp(spec);
    const after = renderApp(next);
    const writes: Array<[string, string]> = [];
    for (const [path, content] of await loadScaffold())
      if (!(await exists(tools, path))) writes.push([path, content]);
    for (const [path, content] of after)
      if (before.get(path) !== content || !(await exists(tools, path)))
        writes.push([path, content]);
    await writeAll(tools, ctx, writes);
    const written = writes.map(([path]) => path);
    for (const path of before.keys()) {
      if (after.has(path) || !(await exists(tools, path))) continue;
      ctx.signal.throwIfAborted();
      ctx.emit({
        type: 'tool',
        message: 'delete_file ' + path,
        data: { tool: 'delete_file', path },
      });
      await tools.deleteFile(path);
    }
    return (
      'Updated ' +
      JSON.stringify(next.name) +
      ': ' +
      changes.join('; ') +
      '. Wrote ' +
      written.length +
      ' files.'
    );
  }

  async fix(
    _failure: FailureForFix,
    _tools: WorkspaceTools,
    ctx: EngineContext,
  ): Promise<{ changed: string[]; usage: EngineUsage }> {
    ctx.signal.throwIfAborted();
    // The offline engine cannot reason about failures; deterministic fixers run elsewhere.
    return { changed: [], usage: zeroUsage('offline', 0) };
  }

  async complete(): Promise<{ text: string; usage: EngineUsage }> {
    // Free-form answers need a model; callers fall back to their deterministic paths.
    throw new EngineUnavailableError(
      'offline',
      'The offline engine does not answer free-form questions.',
    );
  }
}
