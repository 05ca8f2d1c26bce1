/**
 * Generates one app of every kind into a temp directory, installs the scaffold's dependencies
 * once (pnpm, frozen lockfile, cached store), then type-checks and builds each app for real.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installScaffoldDeps, typecheckAndBuild } from '../../../test/support/offline-apps.js';
import type { EngineContext, WorkspaceTools } from '../engine.js';
import { OfflineEngine } from './engine.js';
import { htmlText } from './render/shell.js';
import { APP_KINDS, type AppKind } from './types.js';

/** Prompt per kind, and an explicit name for some (one with characters HTML and Vite care about). */
const CASES: Readonly<Record<AppKind, { prompt: string; name?: string }>> = {
  landing: {
    prompt: 'A landing page for a bakery called "Sunrise Bakery" with pricing, FAQ and a gallery',
  },
  todo: { prompt: 'A to-do app for my chores, in purple, with an about section' },
  portfolio: {
    prompt: 'A portfolio for a UX designer named Maya Lin with testimonials and a team',
  },
  blog: { prompt: 'A blog about cooking with a newsletter, dark mode' },
  dashboard: { prompt: 'An analytics dashboard with charts for website traffic, with an FAQ' },
  catalog: {
    prompt:
      'An online shop selling candles with categories: Soy candles, Beeswax candles, Gift sets',
  },
  event: {
    prompt: 'A wedding page for Anna & Tom on June 14 at Willow Farm with speakers and tickets',
  },
  menu: { prompt: 'A restaurant menu for a sushi bar called Koi with a gallery, in navy' },
  general: {
    prompt: 'A page about the history of jazz',
    name: 'Jazz & Blues "Live" %MODE% <Club> ${x}',
  },
};

/** WorkspaceTools over a directory (paths must stay inside it). */
function dirTools(root: string): WorkspaceTools {
  const resolve = (relative: string) => {
    const full = path.resolve(root, relative);
    if (!full.startsWith(root + path.sep))
      throw new Error('path escapes the workspace: ' + relative);
    return full;
  };
  return {
    async writeFile(relative, content) {
      const full = resolve(relative);
      await fs.mkdir(path.dirname(full), { recursive: true });
      await fs.writeFile(full, content);
    },
    async writeFiles(files) {
      for (const [relative, content] of files) await this.writeFile(relative, content);
    },
    readFile: (relative) => fs.readFile(resolve(relative), 'utf8'),
    async listFiles() {
      const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
      return entries
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
    },
    deleteFile: (relative) => fs.rm(resolve(relative)),
  };
}

describe('generated apps type-check and build', () => {
  const engine = new OfflineEngine();
  const ctx: EngineContext = {
    signal: new AbortController().signal,
    emit: () => {},
    workspaceRoot: '/nonexistent',
    projectId: 'test-project',
  };
  let base = '';
  let modules = '';

  beforeAll(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'sheen-offline-build-'));
    modules = await installScaffoldDeps(base);
  }, 180_000);

  afterAll(async () => {
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it.each(APP_KINDS)(
    '%s',
    async (kind) => {
      const { prompt, name } = CASES[kind];
      const dir = path.join(base, 'apps', kind);
      await fs.mkdir(dir, { recursive: true });
      const { plan } = await engine.plan({ kind: 'create', prompt, name }, ctx);
      expect(plan.meta.kind).toBe(kind);
      await engine.generate({ prompt, plan, kind: 'create' }, dirTools(dir), ctx);
      await typecheckAndBuild(dir, modules);

      const html = await fs.readFile(path.join(dir, 'dist', 'index.html'), 'utf8');
      expect(html).toContain('<title>' + htmlText(plan.name) + '</title>');
      if (name) expect(plan.name).toBe(name);
      const assets = await fs.readdir(path.join(dir, 'dist', 'assets'));
      expect(assets.some((file) => file.endsWith('.js'))).toBe(true);
      expect(assets.some((file) => file.endsWith('.css'))).toBe(true);
    },
    180_000,
  );
});
