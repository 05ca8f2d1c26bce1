import { describe, expect, it } from 'vitest';
import { extractJsonObject, fallbackPlan, nameFromPrompt, planFromReply } from './plan.js';
import { chooseFramework, frameworkFromPrompt } from './prompts.js';

const create = { kind: 'create' as const, prompt: 'A landing page for "Sunrise Bakery" in Lisbon' };

describe('extractJsonObject', () => {
  it('finds the first JSON object in prose, fences and trailing commentary', () => {
    expect(extractJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(extractJsonObject('Here is the plan:\n```json\n{"a": {"b": "}{"}}\n```\nDone.')).toEqual(
      {
        a: { b: '}{' },
      },
    );
    expect(extractJsonObject('{not json} then {"ok": true}')).toEqual({ ok: true });
    expect(extractJsonObject('say "{" and {"q": "\\"}"}')).toEqual({ q: '"}' });
    expect(extractJsonObject('[1,2]')).toBeUndefined();
    expect(extractJsonObject('{"open": ')).toBeUndefined();
    expect(extractJsonObject('')).toBeUndefined();
  });
});

describe('planFromReply', () => {
  it('uses the model plan, cleaning odd fields', () => {
    const reply = `Sure!\n{"framework":"vue","name":"Bakery","summary":"A page.","files":["package.json",3,"src/App.vue"],"tasks":"not a list"}`;
    const { plan, parsed } = planFromReply(reply, create, 'anthropic');
    expect(parsed).toBe(true);
    expect(plan).toMatchObject({
      framework: 'vue',
      name: 'Bakery',
      summary: 'A page.',
      files: ['package.json', 'src/App.vue'],
      meta: { engine: 'anthropic', planSource: 'model' },
    });
    expect(plan.tasks.length).toBeGreaterThan(0);
  });

  it('lets the caller and the request decide the framework over the model', () => {
    const reply = '{"framework":"svelte","name":"X","summary":"s","files":[],"tasks":[]}';
    expect(planFromReply(reply, { ...create, framework: 'nextjs' }, 'a').plan.framework).toBe(
      'nextjs',
    );
    expect(planFromReply(reply, { ...create, prompt: 'a Vue app' }, 'a').plan.framework).toBe(
      'vue',
    );
    expect(planFromReply(reply, create, 'a').plan.framework).toBe('svelte');
    expect(planFromReply('{"framework":"angular"}', create, 'a').plan.framework).toBe('react');
  });

  it('falls back to a plan from the request when the reply has no JSON', () => {
    const { plan, parsed } = planFromReply('I cannot do JSON today.', create, 'anthropic');
    expect(parsed).toBe(false);
    expect(plan).toEqual(fallbackPlan(create, 'anthropic'));
    expect(plan.name).toBe('Sunrise Bakery');
    expect(plan.framework).toBe('react');
    expect(plan.files).toContain('package.json');
    expect(plan.meta).toEqual({ engine: 'anthropic', planSource: 'fallback' });
  });

  it('plans no fixed file list for updates', () => {
    const plan = fallbackPlan({ kind: 'update', prompt: 'make it blue', name: 'Shop' }, 'x');
    expect(plan.files).toEqual([]);
    expect(plan.name).toBe('Shop');
  });
});

describe('framework choice', () => {
  it('reads a framework the request names', () => {
    expect(frameworkFromPrompt('Build it in Next.js please')).toBe('nextjs');
    expect(frameworkFromPrompt('a nextjs blog')).toBe('nextjs');
    expect(frameworkFromPrompt('show the next image on click')).toBeUndefined();
    expect(frameworkFromPrompt('a Vue 3 dashboard')).toBe('vue');
    expect(frameworkFromPrompt('SvelteKit todo')).toBe('svelte');
    expect(frameworkFromPrompt('plain HTML page, no framework')).toBe('static');
    expect(frameworkFromPrompt('React portfolio')).toBe('react');
    expect(chooseFramework(undefined, 'a bakery site')).toBe('react');
    expect(chooseFramework('static', 'a React app')).toBe('static');
  });

  it('names an app from the request', () => {
    expect(nameFromPrompt('A page for “Casa Lume”, green')).toBe('Casa Lume');
    expect(nameFromPrompt('todo list with tags and due dates')).toBe('Todo list with tags and');
    expect(nameFromPrompt('!!!')).toBe('App');
  });

  it('derives a name the projects table can store from any prompt', () => {
    const long = nameFromPrompt('a'.repeat(20_000));
    expect(long).toBe('A' + 'a'.repeat(59));
    const astral = nameFromPrompt('😀'.repeat(10) + '𝒜'.repeat(20_000));
    expect(astral).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
    expect([...astral].length).toBeLessThanOrEqual(60);
    expect(nameFromPrompt('a site called "Tab\there\r"')).toBe('Tab here');
    expect(nameFromPrompt('\u0000\u0001 \ud800')).toBe('App');
    expect(nameFromPrompt('bakery-shop '.repeat(4) + 'x'.repeat(100))).toBe(
      'Bakery-shop bakery-shop bakery-shop bakery-shop',
    );
  });
});

describe('planFromReply with partial JSON', () => {
  it('fills missing fields from the request', () => {
    const { plan, parsed } = planFromReply('{"name":"x"}', create, 'a');
    expect(parsed).toBe(true);
    expect(plan).toMatchObject({ name: 'x', framework: 'react', summary: create.prompt });
    expect(plan.files).toContain('src/App.tsx');
  });
});
