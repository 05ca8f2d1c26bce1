import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildToEnd, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/** A static site with every page-level gap the HTML checks look for. */
const FLAWED = {
  'index.html':
    '<!doctype html><html><head><title> </title></head><body><img src="hero.jpg"></body></html>',
  'about.html':
    '<html lang="en"><title>About</title><meta name="viewport" content="width=device-width">',
};

describe('the recommend stage', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ workers: true, engine: new ScriptedEngine(FLAWED) });
  });
  afterAll(() => t.close());

  const kinds = (items: Array<{ kind: string }>) => items.map((r) => r.kind);

  it('stores what the built pages lack, and the build view shows it', async () => {
    const build = await buildToEnd(t, { userId: 'u1', prompt: 'a flawed page' });
    expect(build.status).toBe('succeeded');
    expect(kinds(build.recommendations)).toEqual([
      'html.viewport',
      'html.img-alt',
      'html.title',
      'html.lang',
      'html.meta-description',
    ]);
    const viewport = build.recommendations[0];
    expect(viewport.evidence).toEqual({
      files: ['index.html'],
      fileCount: 1,
      missing: 'meta[name=viewport]',
    });
    const description = build.recommendations.at(-1);
    expect(description.evidence.files.sort()).toEqual(['about.html', 'index.html']);
  });

  it('a failure to compute them is a warning, never a failed build', async () => {
    const service = t.container.recommendations;
    const original = service.recordBuilt.bind(service);
    service.recordBuilt = () => Promise.reject(new Error('disk on fire'));
    try {
      const build = await buildToEnd(t, { userId: 'u1', prompt: 'a flawed page' });
      expect(build.status).toBe('succeeded');
      expect(build.stages.at(-1)).toMatchObject({ name: 'recommend', status: 'succeeded' });
      const failed = build.events.find((e) => e.type === 'recommend.failed');
      expect(failed?.message).toMatch(/build is not affected/);
      expect(build.recommendations).toEqual([]);
    } finally {
      service.recordBuilt = original;
    }
  });

  it('a cancel that arrives once the version is live does not cancel the build', async () => {
    const releases = t.container.pipeline.releases;
    const original = releases.recordBuilt.bind(releases);
    releases.recordBuilt = async (input) => {
      const recorded = await original(input);
      // The client cancels while the version is being recorded.
      await t.container.builds.cancel(input.build.id);
      return recorded;
    };
    try {
      const build = await buildToEnd(t, { userId: 'u1', prompt: 'a flawed page' });
      expect(build.status).toBe('succeeded');
      expect(build.error).toBeNull();
      expect(build.stages.at(-1)).toMatchObject({ name: 'recommend', status: 'succeeded' });
      expect(build.recommendations.length).toBeGreaterThan(0);
    } finally {
      releases.recordBuilt = original;
    }
  });
});
