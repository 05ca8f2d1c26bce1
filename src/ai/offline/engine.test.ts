import { describe, expect, it } from 'vitest';
import type { EngineContext, EngineEvent, WorkspaceTools } from '../engine.js';
import { EngineNothingToChangeError, EngineUnsupportedError } from '../engine.js';
import { OfflineEngine, SCAFFOLD_FILES } from './engine.js';
import { parseSpec, SPEC_PATH } from './types.js';

/** WorkspaceTools over a Map, recording every call. */
function memoryTools(initial: Record<string, string> = {}) {
  const files = new Map(Object.entries(initial));
  const writes: string[] = [];
  const deletes: string[] = [];
  const tools: WorkspaceTools = {
    async writeFile(path, content) {
      writes.push(path);
      files.set(path, content);
    },
    async writeFiles(batch) {
      for (const [path, content] of batch) await this.writeFile(path, content);
    },
    async readFile(path) {
      const content = files.get(path);
      if (content === undefined) throw new Error('ENOENT: ' + path);
      return content;
    },
    async listFiles() {
      return [...files.keys()].sort();
    },
    async deleteFile(path) {
      deletes.push(path);
      files.delete(path);
    },
  };
  return { tools, files, writes, deletes };
}

function context(signal = new AbortController().signal) {
  const events: EngineEvent[] = [];
  const ctx: EngineContext = {
    signal,
    emit: (event) => events.push(event),
    workspaceRoot: '/nonexistent',
    projectId: 'test-project',
  };
  return { ctx, events };
}

const engine = new OfflineEngine();

async function create(prompt: string, name?: string) {
  const { ctx, events } = context();
  const { plan, usage } = await engine.plan({ kind: 'create', prompt, name }, ctx);
  const workspace = memoryTools();
  const result = await engine.generate({ prompt, plan, kind: 'create' }, workspace.tools, ctx);
  return { plan, usage, result, events, ...workspace };
}

describe('OfflineEngine.plan', () => {
  it('describes the app it will write', async () => {
    const { ctx } = context();
    const { plan, usage } = await engine.plan(
      { kind: 'create', prompt: 'A landing page for a bakery called "Sunrise Bakery" in teal' },
      ctx,
    );
    expect(engine.name).toBe('offline');
    expect(engine.frameworks).toEqual(['react']);
    expect(plan).toMatchObject({ framework: 'react', name: 'Sunrise Bakery' });
    expect(plan.summary).toContain('Sunrise Bakery');
    expect(plan.tasks.length).toBeGreaterThan(3);
    expect(plan.files).toEqual(
      expect.arrayContaining([...SCAFFOLD_FILES, 'index.html', 'src/App.tsx', SPEC_PATH]),
    );
    expect(parseSpec(plan.meta.spec)).toMatchObject({
      kind: 'landing',
      theme: { primary: '#0d9488' },
    });
    expect(usage).toMatchObject({ model: 'offline', inputTokens: 0, outputTokens: 0, costUsd: 0 });
  });

  it('refuses frameworks other than React', async () => {
    const { ctx } = context();
    await expect(
      engine.plan({ kind: 'create', prompt: 'a blog', framework: 'vue' }, ctx),
    ).rejects.toThrow(/offline engine generates React only/);
    await expect(
      engine.plan({ kind: 'create', prompt: 'a blog', framework: 'react' }, ctx),
    ).resolves.toBeTruthy();
  });

  it('refuses to plan an update of an app it did not generate', async () => {
    const { ctx } = context();
    await expect(
      engine.plan(
        { kind: 'update', prompt: 'add pricing', existingFiles: ['index.html', 'src/App.tsx'] },
        ctx,
      ),
    ).rejects.toThrow(/only update apps it generated/);
    // A refusal of this request, not an outage: the build ends at once with its own code.
    await expect(
      engine.plan({ kind: 'update', prompt: 'add pricing', existingFiles: ['index.html'] }, ctx),
    ).rejects.toBeInstanceOf(EngineUnsupportedError);
  });
});

describe('OfflineEngine.generate (create)', () => {
  it('writes exactly the planned files through the tools, with an event for each', async () => {
    const { plan, writes, events, files, result } = await create('A todo app for my chores');
    expect(writes).toEqual(plan.files);
    const toolEvents = events.filter((event) => event.type === 'tool');
    expect(toolEvents.map((event) => event.data)).toEqual(
      writes.map((path) => ({ tool: 'write_file', path })),
    );
    expect(toolEvents[0]?.message).toBe('write_file ' + writes[0]);
    expect(result.summary).toMatch(/Generated \d+ files/);
    expect(result.usage.model).toBe('offline');
    expect(files.get('src/components/TaskBoard.tsx')).toContain('localStorage');
  });

  it('copies the scaffold verbatim', async () => {
    const { readFile } = await import('node:fs/promises');
    const { files } = await create('A blog about travel');
    for (const name of SCAFFOLD_FILES) {
      const expected = await readFile(new URL('./scaffold/' + name, import.meta.url), 'utf8');
      expect(files.get(name)).toBe(expected);
    }
  });

  it('puts the name in the <title> and the h1 and stores the spec', async () => {
    const { files } = await create('A landing page for a bakery called "Sunrise Bakery"');
    expect(files.get('index.html')).toContain('<title>Sunrise Bakery</title>');
    expect(files.get('src/data.ts')).toContain("name: 'Sunrise Bakery'");
    expect(files.get('src/components/Hero.tsx')).toContain('<h1 id="page-title">{site.name}</h1>');
    expect(parseSpec(JSON.parse(files.get(SPEC_PATH) ?? ''))?.name).toBe('Sunrise Bakery');
  });

  it('stops when the signal is aborted, before writing or while it writes', async () => {
    const controller = new AbortController();
    const { ctx } = context(controller.signal);
    const { plan } = await engine.plan({ kind: 'create', prompt: 'A blog' }, ctx);
    const workspace = memoryTools();
    const tools: WorkspaceTools = {
      ...workspace.tools,
      async writeFiles(batch) {
        await workspace.tools.writeFiles(batch);
        controller.abort(new Error('cancelled by test'));
      },
    };
    await expect(
      engine.generate({ prompt: 'A blog', plan, kind: 'create' }, tools, ctx),
    ).rejects.toThrow('cancelled by test');

    const before = memoryTools();
    await expect(
      engine.generate({ prompt: 'A blog', plan, kind: 'create' }, before.tools, ctx),
    ).rejects.toThrow('cancelled by test');
    expect(before.writes).toHaveLength(0);
  });

  it('fix changes nothing', async () => {
    const { ctx } = context();
    const { tools } = memoryTools();
    const result = await engine.fix(
      { category: 'typecheck', message: 'x', output: '', files: [] },
      tools,
      ctx,
    );
    expect(result).toEqual({
      changed: [],
      usage: expect.objectContaining({ model: 'offline', costUsd: 0 }),
    });
  });
});

describe('OfflineEngine updates', () => {
  async function update(initial: Map<string, string>, prompt: string) {
    const { ctx, events } = context();
    const existingFiles = [...initial.keys()];
    const { plan } = await engine.plan({ kind: 'update', prompt, existingFiles }, ctx);
    const workspace = memoryTools(Object.fromEntries(initial));
    const result = await engine.generate({ prompt, plan, kind: 'update' }, workspace.tools, ctx);
    return { plan, result, events, ...workspace };
  }

  it('adds a section and rewrites only the affected files', async () => {
    const { files } = await create('A landing page for a bakery called "Sunrise Bakery"');
    expect(files.has('src/components/Pricing.tsx')).toBe(false);
    const { plan, writes, files: after, result } = await update(files, 'Add a pricing section');
    expect(plan.files).toEqual(
      ['src/App.tsx', SPEC_PATH, 'src/components/Pricing.tsx', 'src/data.ts'].sort(),
    );
    expect(writes.sort()).toEqual([
      'src/App.tsx',
      'src/app-spec.json',
      'src/components/Pricing.tsx',
      'src/data.ts',
    ]);
    expect(after.get('src/App.tsx')).toContain('<Pricing />');
    expect(parseSpec(JSON.parse(after.get(SPEC_PATH) ?? ''))?.sections).toContain('pricing');
    expect(result.summary).toContain('Added Pricing');
  });

  it('renames, recolours and removes sections', async () => {
    const { files } = await create('A landing page for a bakery called "Sunrise Bakery"');
    const {
      files: after,
      deletes,
      writes,
    } = await update(
      files,
      'Rename it to "Moonlight Bakes", make it purple and remove the testimonials.',
    );
    expect(after.get('index.html')).toContain('<title>Moonlight Bakes</title>');
    expect(after.get('src/data.ts')).toContain("name: 'Moonlight Bakes'");
    expect(after.get('src/data.ts')).not.toContain('Sunrise Bakery');
    expect(after.get('src/styles.css')).toContain('--primary: #7e22ce;');
    expect(deletes).toEqual(['src/components/Testimonials.tsx']);
    expect(after.has('src/components/Testimonials.tsx')).toBe(false);
    expect(writes).not.toContain('package.json');
  });

  it('refuses an update it can apply nothing of, naming the ask, instead of rebuilding', async () => {
    const { files } = await create('A todo app');
    const err = await update(files, 'Connect it to my calendar').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineNothingToChangeError);
    expect((err as EngineNothingToChangeError).unmet).toEqual(['calendar']);
    expect((err as Error).message).toMatch(/changes nothing: it asks for calendar/);
    const vague = await update(files, 'Make it better').catch((e: unknown) => e);
    expect(vague).toBeInstanceOf(EngineNothingToChangeError);
    expect((vague as EngineNothingToChangeError).unmet).toEqual([]);
  });

  it('refuses an update that asks for what the app already has, writing nothing', async () => {
    const { files } = await create('A landing page for a bakery, in purple');
    const { ctx } = context();
    const prompt = 'Make it purple';
    const { plan } = await engine.plan(
      { kind: 'update', prompt, existingFiles: [...files.keys()] },
      ctx,
    );
    const workspace = memoryTools(Object.fromEntries(files));
    await expect(
      engine.generate({ prompt, plan, kind: 'update' }, workspace.tools, ctx),
    ).rejects.toThrow(EngineNothingToChangeError);
    expect(workspace.writes).toEqual([]);
  });

  it('applies what it can of an update and lists the rest as unmet', async () => {
    const { files } = await create('A page for my cat Biscuit’s birthday on 14 March');
    const { plan, result } = await update(files, 'Make it teal and add a calendar');
    expect(result.summary).toContain('Primary colour set to #0d9488');
    expect(plan.meta.unmet).toEqual([
      {
        kind: 'feature',
        text: 'calendar',
        reason: 'An offline update cannot add a calendar; this needs an AI engine.',
      },
    ]);
    expect(plan.summary).toContain('Not possible offline: calendar.');
  });

  it('adds a countdown block, writing exactly the files the plan lists', async () => {
    const { files } = await create('A page for my cat Biscuit’s birthday on 14 March');
    expect(files.has('src/components/Countdown.tsx')).toBe(false);
    const { plan, writes, files: after, result } = await update(files, 'Add a countdown');
    expect(plan.files).toEqual(
      [
        'src/App.tsx',
        SPEC_PATH,
        'src/components/Countdown.tsx',
        'src/data.ts',
        'src/styles.css',
      ].sort(),
    );
    expect(writes.sort()).toEqual(plan.files);
    expect(plan.meta.unmet).toEqual([]);
    expect(plan.meta.asks).toContainEqual(
      expect.objectContaining({ kind: 'feature', text: 'countdown', honoured: true }),
    );
    expect(after.get('src/App.tsx')).toContain('<Countdown');
    expect(after.get('src/data.ts')).toContain("date: '--03-14'");
    expect(result.summary).toContain('Added countdown');
  });

  it('adds an FAQ and a map to a landing page, within the planned files', async () => {
    const { files } = await create('A landing page for a bakery in Lisbon');
    const { plan, writes, files: after } = await update(files, 'Add an FAQ and a map');
    expect(plan.files).toContain('src/components/MapLink.tsx');
    // The plan is made before the spec is read, so it also names the contact section that a
    // map asks for, which this page already has.
    expect(plan.files.filter((file) => !writes.includes(file))).toEqual([
      'src/components/Contact.tsx',
    ]);
    expect(writes.filter((file) => !plan.files.includes(file))).toEqual([]);
    expect(after.get('src/App.tsx')).toContain('<MapLink');
    expect(parseSpec(JSON.parse(after.get(SPEC_PATH) ?? ''))?.sections).toContain('faq');
  });

  it('removes a block, deleting its component, and refuses to add one it has', async () => {
    const { files } = await create('A birthday party page for Lily on May 2 with a countdown');
    const again = await update(files, 'Add a countdown').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(EngineNothingToChangeError);
    expect((again as Error).message).toContain('the app already has what it asks for');
    const { plan, deletes, files: after } = await update(files, 'Remove the countdown');
    expect(plan.meta.asks).toContainEqual(
      expect.objectContaining({ kind: 'feature', text: 'countdown', honoured: true }),
    );
    expect(deletes).toEqual(['src/components/Countdown.tsx']);
    expect(after.get('src/App.tsx')).not.toContain('Countdown');
  });

  it('fails clearly without a spec it wrote', async () => {
    const { ctx } = context();
    const { tools } = memoryTools({ 'src/app-spec.json': '{"not":"a spec"}' });
    const plan = {
      framework: 'react' as const,
      name: 'x',
      summary: '',
      files: [],
      tasks: [],
      meta: {},
    };
    await expect(
      engine.generate({ prompt: 'add faq', plan, kind: 'update' }, tools, ctx),
    ).rejects.toThrow(/not a spec the offline engine wrote/);
    const empty = memoryTools();
    await expect(
      engine.generate({ prompt: 'add faq', plan, kind: 'update' }, empty.tools, ctx),
    ).rejects.toThrow(/only update apps it generated/);
  });
});
