import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zeroUsage, type EngineAdvice, type RecommendationSignal } from '../../src/ai/engine.js';
import { buildToEnd, signedInject, startTestApp, type TestApp } from '../support/harness.js';
import { ScriptedEngine } from '../support/scripted-engine.js';

/** A scripted engine that also ranks recommendations: last measured first, and one idea. */
class AdvisingEngine extends ScriptedEngine {
  advice: (items: RecommendationSignal[]) => Promise<EngineAdvice> = async (items) => ({
    order: items.map((i) => i.ref).reverse(),
    rewrites: items.map((i) => ({ ref: i.ref, title: `Reworded: ${i.kind}` })),
    ideas: [
      {
        name: 'Opening hours',
        severity: 'low',
        title: 'Show opening hours',
        detail: 'Bakery visitors look for them first.',
        action: 'Add an opening hours section.',
      },
    ],
  });

  async recommend(input: { prompt: string; items: RecommendationSignal[] }) {
    return { advice: await this.advice(input.items), usage: zeroUsage('advisor') };
  }
}

describe('an engine ranks and words recommendations on demand', () => {
  let t: TestApp;
  const engine = new AdvisingEngine({
    'index.html': '<html><title>Bakery</title><img src="bread.jpg">',
  });
  let build: Awaited<ReturnType<typeof buildToEnd>>;
  beforeAll(async () => {
    t = await startTestApp({ workers: true, engine });
    build = await buildToEnd(t, { userId: 'u1', prompt: 'a bakery' });
  });
  afterAll(() => t.close());

  /** What is stored for the version, as the API shows it. */
  const stored = async () =>
    (await t.container.recommendations.listForVersion(build.versionId)).map(
      ({ key: _key, ...item }) => item,
    );
  const ask = () =>
    signedInject(t.app, {
      method: 'POST',
      url: `/v1/recommendations/${build.projectId}`,
      body: { userId: 'u1' },
    }).then((res) => res.json());

  it('answers in its order and words, with its ideas marked, and measured facts intact', async () => {
    const body = await ask();
    expect(body.checks.engine).toBe('ran');
    const measured = body.recommendations.filter(
      (r: { origin: string }) => r.origin === 'measured',
    );
    const saved = await stored();
    // The missing bread.jpg is also a page error, found by the browser check where it runs.
    expect(saved.map((r) => r.kind)).toContain('html.img-alt');
    expect(measured.map((r: { id: string }) => r.id)).toEqual(saved.map((r) => r.id).reverse());
    for (const r of measured) {
      const original = saved.find((s) => s.id === r.id);
      expect(r.title).toBe(`Reworded: ${r.kind}`);
      expect({ ...r, title: original?.title }).toEqual(original);
    }
    expect(body.recommendations.at(-1)).toMatchObject({
      kind: 'idea.opening-hours',
      origin: 'idea',
      severity: 'low',
      evidence: {},
    });
    // The build view keeps the stored, measured wording.
    const view = await signedInject(t.app, { method: 'GET', url: `/v1/builds/${build.buildId}` });
    expect(view.json().recommendations).toEqual(saved);
    const { rows } = await t.container.db.query(
      `SELECT engine, operation FROM claude_user_usage WHERE operation = 'recommend'`,
    );
    expect(rows).toEqual([{ engine: 'scripted', operation: 'recommend' }]);
  });

  it('falls back to the deterministic answer when the engine errs or answers nonsense', async () => {
    const original = engine.advice;
    try {
      engine.advice = () => Promise.reject(new Error('overloaded'));
      const failed = await ask();
      expect(failed.checks.engine).toMatch(/^failed: /);
      expect(failed.recommendations).toEqual(await stored());
      engine.advice = async () => ({ order: 'everything', ideas: 'more' });
      const nonsense = await ask();
      expect(nonsense.checks.engine).toMatch(/malformed/);
      expect(nonsense.recommendations).toEqual(await stored());
    } finally {
      engine.advice = original;
    }
  });
});
