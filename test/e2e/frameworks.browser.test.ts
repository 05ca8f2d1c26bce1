import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerClient } from '../../src/cli/client.js';
import { packProject } from '../../src/cli/pack-project.js';
import { CHROMIUM, launchTestBrowser } from '../support/browser.js';
import { startServer, type ServerProcess } from '../support/server-process.js';

const FIXTURES = path.resolve('test/fixtures/import');
const USER = 'e2e-frameworks';
const haveBrowser = existsSync(CHROMIUM) || process.env.CI === 'true';

interface Framework {
  fixture: string;
  framework: string;
  /** The checker validate runs; undefined when it skips (no TypeScript, or Astro). */
  checker?: string;
  outputDir: string;
  heading: string;
  /** The button's text before and after one click. */
  button: [string, string];
}

const MATRIX: Framework[] = [
  {
    fixture: 'react-vite',
    framework: 'react',
    checker: 'tsc',
    outputDir: 'dist',
    heading: 'Harbour Lights Café',
    button: ['Cups poured today: 0', 'Cups poured today: 1'],
  },
  {
    fixture: 'vue-vite',
    framework: 'vue',
    checker: 'vue-tsc',
    outputDir: 'dist',
    heading: 'Tide Tables of Whitby',
    button: ['Tides checked: 0', 'Tides checked: 1'],
  },
  {
    fixture: 'svelte-vite',
    framework: 'svelte',
    checker: 'svelte-check',
    outputDir: 'dist',
    heading: 'Lighthouse Log of St Abbs',
    button: ['Ships guided: 0', 'Ships guided: 1'],
  },
  {
    fixture: 'nextjs-export',
    framework: 'nextjs',
    outputDir: 'out',
    heading: 'Ferry Times to Mull',
    button: ['Crossings booked: 0', 'Crossings booked: 1'],
  },
  {
    fixture: 'astro',
    framework: 'astro',
    outputDir: 'dist',
    heading: 'Moorland Walks of Dartmoor',
    button: ['Walks planned: 0', 'Walks planned: 1'],
  },
  {
    fixture: 'plain-html',
    framework: 'static',
    outputDir: '.',
    heading: 'Harbour Bakery of Crail',
    button: ['Loaves baked: 0', 'Loaves baked: 1'],
  },
];

interface Accepted {
  buildId: string;
  projectId: string;
  eventsUrl: string;
}
interface Followed {
  buildId: string;
  status: string;
  previewUrl: string | null;
  error: { code: string; message: string; hint: string } | null;
  events: Array<Record<string, unknown>>;
}

// Downloads (cache/npm) and installed trees (cache/deps) outlive a run here, so a second run
// on the same machine installs nothing. Moved, not copied: a rename is instant, and two runs
// at once each find the folder or start empty, never share it.
const CARRIED_CACHE = path.join(tmpdir(), 'sheen-frameworks-cache');
const CARRIED = ['npm', 'deps'];

async function takeCarriedCache(dataDir: string): Promise<void> {
  await mkdir(path.join(dataDir, 'cache'), { recursive: true });
  for (const name of CARRIED) {
    await rename(path.join(CARRIED_CACHE, name), path.join(dataDir, 'cache', name)).catch(
      () => undefined,
    );
  }
}

async function giveCarriedCacheBack(dataDir: string): Promise<void> {
  await mkdir(CARRIED_CACHE, { recursive: true });
  for (const name of CARRIED) {
    await rm(path.join(CARRIED_CACHE, name), { recursive: true, force: true });
    await rename(path.join(dataDir, 'cache', name), path.join(CARRIED_CACHE, name)).catch(
      () => undefined,
    );
  }
}

/** The tool output behind a failed build, for the assertion message. */
function failureExcerpts(build: Followed): string {
  return build.events
    .filter((e) => e.type === 'stage.failure')
    .map((e) => JSON.stringify(e.data, null, 2))
    .join('\n');
}

/**
 * Every supported framework imported over signed HTTP into one server, built at the same
 * time, and used in chromium: the heading rendered and a click that changes the page. Also
 * the server-only builds refused before their install, and a Vue type error that the fix
 * loop repairs.
 */
describe.skipIf(!haveBrowser)('the framework matrix, imported and previewed', () => {
  let dataDir: string;
  let scratch: string;
  let server: ServerProcess;
  let client: WorkerClient;
  let browser: Browser;
  const builds = new Map<string, Promise<Followed>>();
  const started = performance.now();

  async function importFolder(folder: string, name: string): Promise<Followed> {
    const packed = await packProject(folder);
    const form = new FormData();
    form.set('userId', USER);
    form.set('name', name);
    form.set('file', new Blob([packed.bytes]), `${name}.tar.gz`);
    const accepted = await client.postForm<Accepted>('/v1/projects/import', form);
    const events: Array<Record<string, unknown>> = [];
    for await (const { data } of client.events(accepted.eventsUrl)) events.push(data);
    const build = await client.json<Omit<Followed, 'events'>>(
      'GET',
      `/v1/builds/${accepted.buildId}`,
    );
    return { ...build, events };
  }

  /** A copy of a fixture changed by `edit`, imported. */
  async function importVariant(
    fixture: string,
    edit: (dir: string) => Promise<void>,
  ): Promise<Followed> {
    const dir = path.join(scratch, `${fixture}-${Math.random().toString(36).slice(2, 8)}`);
    await cp(path.join(FIXTURES, fixture), dir, { recursive: true });
    await edit(dir);
    return importFolder(dir, path.basename(dir));
  }

  async function rewrite(file: string, change: (text: string) => string): Promise<void> {
    await writeFile(file, change(await readFile(file, 'utf8')));
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'sheen-frameworks-'));
    scratch = await mkdtemp(path.join(tmpdir(), 'sheen-frameworks-src-'));
    await takeCarriedCache(dataDir);
    // Every build of the matrix at once: they wait on the registry and on each other's CPU
    // rather than in the queue.
    // Its trees come from the carried cache above; they are no use to other files.
    // Nine builds at once on two cores, beside the other test files: on a slow stretch of this
    // machine Next.js' webpack build alone ran past the default 180 s build timeout. The
    // matrix checks what each build makes, not how fast: the timeout is the tests' own.
    server = await startServer(
      { DATA_DIR: dataDir, BUILD_CONCURRENCY: '8', BUILD_TIMEOUT_MS: '540000' },
      150_000,
      { coldInstalls: true },
    );
    const secret = (await readFile(path.join(dataDir, 'secrets', 'hmac.key'), 'utf8')).trim();
    client = new WorkerClient({ baseUrl: server.baseUrl, secret });
    for (const f of MATRIX) {
      const build = importFolder(path.join(FIXTURES, f.fixture), f.fixture);
      build.catch(() => undefined);
      builds.set(f.fixture, build);
    }
    // Beside the matrix rather than after it, so its fix round overlaps the other builds.
    const broken = importVariant('vue-vite', (dir) =>
      rewrite(path.join(dir, 'src', 'App.vue'), (t) => t.replace(/^import \{ ref \}.*\n/m, '')),
    );
    broken.catch(() => undefined);
    builds.set('vue-missing-import', broken);
    browser = await launchTestBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGTERM');
    await giveCarriedCacheBack(dataDir);
    await rm(dataDir, { recursive: true, force: true });
    await rm(scratch, { recursive: true, force: true });
    console.log(`frameworks matrix: ${Math.round((performance.now() - started) / 1000)} s`);
  });

  it.each(MATRIX)(
    '$framework ($fixture): detected, checked, built to $outputDir and clickable in chromium',
    async (f) => {
      const build = await (builds.get(f.fixture) as Promise<Followed>);
      expect(build.error, failureExcerpts(build)).toBeNull();
      expect(build.status).toBe('succeeded');
      const plan = build.events.find((e) => e.type === 'plan.ready');
      expect(plan?.data).toMatchObject({ framework: f.framework });
      const checker = build.events.find((e) => e.type === 'validate.checker');
      expect((checker?.data as { checker?: string } | undefined)?.checker).toBe(f.checker);
      const packaged = build.events.find((e) => e.type === 'package.done');
      expect(packaged?.data).toMatchObject({ outputDir: f.outputDir });

      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      try {
        await page.goto(build.previewUrl as string, { waitUntil: 'networkidle' });
        await expect.poll(() => page.locator('h1').first().textContent()).toBe(f.heading);
        const button = page.getByRole('button', { name: f.button[0] });
        await button.click();
        await expect.poll(() => page.getByRole('button').first().textContent()).toBe(f.button[1]);
        expect(problems).toEqual([]);
      } finally {
        await page.close();
      }
    },
    600_000,
  );

  it('refuses a Next.js server build and an Astro SSR site before installing', async () => {
    const [next, api, astro] = await Promise.all([
      importVariant('nextjs-export', (dir) =>
        rewrite(path.join(dir, 'next.config.mjs'), (t) => t.replace("output: 'export',", '')),
      ),
      importVariant('nextjs-export', async (dir) => {
        const route = path.join(dir, 'app', 'api', 'tickets');
        await mkdir(route, { recursive: true });
        await writeFile(
          path.join(route, 'route.js'),
          'export async function POST() {\n  return Response.json({ ok: true });\n}\n',
        );
      }),
      importVariant('astro', (dir) =>
        rewrite(path.join(dir, 'astro.config.mjs'), (t) =>
          t.replace('defineConfig({})', "defineConfig({ output: 'server' })"),
        ),
      ),
    ]);
    for (const build of [next, api, astro]) {
      expect(build.status).toBe('failed');
      expect(build.error?.code).toBe('BUILD_NEEDS_SERVER');
      expect(build.events.some((e) => e.type === 'install.attempt')).toBe(false);
    }
    expect(next.error?.message).toContain("output: 'export'");
    expect(next.error?.hint).toContain("output: 'export'");
    expect(api.error?.message).toContain('route handlers');
    expect(astro.error?.message).toContain('astro.config.mjs');
    expect(astro.error?.hint).toContain('adapter');
  }, 240_000);

  it('repairs a Vue component that uses ref without importing it', async () => {
    const build = await (builds.get('vue-missing-import') as Promise<Followed>);
    expect(build.error, failureExcerpts(build)).toBeNull();
    expect(build.status).toBe('succeeded');
    const failure = build.events.find((e) => e.type === 'stage.failure');
    expect(failure?.data).toMatchObject({ code: 'BUILD_TYPESCRIPT_ERROR', files: ['src/App.vue'] });
    const fixed = build.events.find((e) => e.type === 'fix.applied');
    expect(fixed?.message).toBe('Imported ref from vue in src/App.vue.');
    // Its dependencies are the matrix's Vue app's, installed at the same time: one install
    // (none when the carried cache has the tree), the other build waits and links that tree.
    const vue = await (builds.get('vue-vite') as Promise<Followed>);
    const attempts = [vue, build].flatMap((b) =>
      b.events.filter((e) => e.type === 'install.attempt'),
    );
    expect(attempts.length).toBeLessThanOrEqual(1);
    const page = await browser.newPage();
    try {
      await page.goto(build.previewUrl as string, { waitUntil: 'networkidle' });
      await page.getByRole('button', { name: 'Tides checked: 0' }).click();
      await expect
        .poll(() => page.getByRole('button').first().textContent())
        .toBe('Tides checked: 1');
    } finally {
      await page.close();
    }
  }, 600_000);
});
