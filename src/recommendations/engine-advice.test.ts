import { describe, expect, it } from 'vitest';
import { recommendWithCompletion, jsonObjectIn } from '../ai/agent/recommend.js';
import { zeroUsage, type AiEngine } from '../ai/engine.js';
import { adviseWithEngine, applyAdvice } from './engine-advice.js';
import type { StoredRecommendation } from './recommendation.js';

const item = (id: string, kind: string, severity: StoredRecommendation['severity']) => ({
  id,
  kind,
  key: '',
  severity,
  origin: 'measured' as const,
  title: `${kind} title`,
  detail: `${kind} detail`,
  action: `${kind} action`,
  evidence: { measured: id },
});
const ITEMS: StoredRecommendation[] = [
  item('A', 'html.viewport', 'high'),
  item('B', 'bundle.size', 'medium'),
  item('C', 'code.tests', 'low'),
];

describe('engine advice on recommendations', () => {
  it('reorders and rewords measured items, keeping every measured fact', () => {
    const out = applyAdvice(ITEMS, {
      order: ['C', 'nope', 'A', 'C'],
      rewrites: [
        {
          ref: 'C',
          title: 'Add a test for the order form',
          detail: 'Nothing checks the order form yet.',
          // Fields outside the wording are ignored, so evidence and severity stay measured.
          severity: 'info',
          evidence: { made: 'up' },
        },
      ],
    });
    expect(out.map((r) => r.id)).toEqual(['C', 'A', 'B']);
    expect(out[0]).toEqual({
      ...ITEMS[2],
      title: 'Add a test for the order form',
      detail: 'Nothing checks the order form yet.',
    });
    expect(out[1]).toEqual(ITEMS[0]);
  });

  it("adds ideas marked as such, never above 'low', at most five, one per name", () => {
    const idea = (name: string, severity = 'low') => ({
      name,
      severity,
      title: `Try ${name}`,
      detail: 'Because.',
      action: 'Do it.',
    });
    const out = applyAdvice(ITEMS, {
      ideas: [
        idea('Online Ordering', 'high'),
        idea('online-ordering'),
        ...'abcdef'.split('').map((n) => idea(n)),
      ],
    });
    const ideas = out.filter((r) => r.origin === 'idea');
    expect(ideas).toHaveLength(5);
    expect(ideas[0]).toMatchObject({
      kind: 'idea.online-ordering',
      severity: 'info',
      origin: 'idea',
      evidence: {},
    });
    expect(ideas[0]?.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(out.slice(0, 3)).toEqual(ITEMS);
  });

  it('refuses malformed advice', () => {
    for (const bad of [
      { order: 'A' },
      { rewrites: [{ title: 'no ref' }] },
      { ideas: [{ name: 'x' }] },
    ])
      expect(() => applyAdvice(ITEMS, bad)).toThrow();
    expect(() => applyAdvice(ITEMS, { rewrites: [{ ref: 'A', title: '   ' }] })).toThrow();
  });

  it('falls back to the measured items on any engine failure, saying why without detail', async () => {
    const base = { name: 'openai' } as AiEngine;
    const options = { timeoutMs: 1000, onUsage: async () => undefined, onError: () => undefined };
    const input = { prompt: 'a bakery', items: ITEMS };
    const failing = {
      ...base,
      recommend: () => Promise.reject(new Error('401 key sk-secret refused')),
    };
    const failed = await adviseWithEngine(failing, input, options);
    expect(failed.items).toBe(ITEMS);
    expect(failed.status).toBe(
      "failed: the openai engine's advice is left out (it did not answer)",
    );
    const malformed = {
      ...base,
      recommend: async () => ({ advice: { order: 42 }, usage: zeroUsage('m') }),
    };
    expect((await adviseWithEngine(malformed, input, options)).status).toMatch(/malformed/);
    const slow = {
      ...base,
      recommend: (_i: unknown, ctx: { signal: AbortSignal }) =>
        new Promise<never>((_r, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error)),
        ),
    };
    expect((await adviseWithEngine(slow, input, { ...options, timeoutMs: 20 })).status).toMatch(
      /in time/,
    );
    expect((await adviseWithEngine({ ...base, name: 'offline' }, input, options)).status).toBe(
      'skipped: the offline engine does not rank recommendations',
    );
  });

  it('records the usage of a call that answered', async () => {
    const used: string[] = [];
    const engine = {
      name: 'openai',
      recommend: async () => ({ advice: { order: ['B'] }, usage: zeroUsage('gpt-x') }),
    } as unknown as AiEngine;
    const out = await adviseWithEngine(
      engine,
      { prompt: '', items: ITEMS },
      {
        timeoutMs: 1000,
        onUsage: async (u) => void used.push(u.model),
        onError: () => undefined,
      },
    );
    expect(out.status).toBe('ran');
    expect(out.items.map((r) => r.id)).toEqual(['B', 'A', 'C']);
    expect(used).toEqual(['gpt-x']);
  });
});

describe('recommend through a completion', () => {
  it('sends the prompt and the findings, and reads the JSON object out of the reply', async () => {
    let sent = '';
    const complete: AiEngine['complete'] = async (input) => {
      sent = input.prompt;
      return {
        text: 'Here you go:\n```json\n{"order": ["B"], "ideas": []}\n```',
        usage: zeroUsage('m'),
      };
    };
    const ctx = { signal: new AbortController().signal, emit: () => undefined };
    const items = ITEMS.map(({ id, ...rest }) => ({ ref: id, ...rest }));
    const { advice } = await recommendWithCompletion(complete, { prompt: 'a bakery', items }, ctx);
    expect(advice).toEqual({ order: ['B'], ideas: [] });
    expect(sent).toContain('a bakery');
    expect(sent).toContain('"ref": "A"');
  });

  it('says so when the reply holds no JSON object', () => {
    expect(() => jsonObjectIn('no idea')).toThrow(/no JSON object/);
    expect(() => jsonObjectIn('[1, 2]')).toThrow();
  });
});
