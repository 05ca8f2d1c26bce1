import { describe, expect, it } from 'vitest';
import { EngineChain } from './engine-chain.js';
import {
  EngineUnavailableError,
  EngineUnsupportedError,
  zeroUsage,
  type AiEngine,
  type EngineEvent,
} from './engine.js';

function engine(name: string, behaviour: () => Promise<string>): AiEngine & { calls: number } {
  const e = {
    name,
    frameworks: ['react'] as const,
    calls: 0,
    async complete() {
      e.calls += 1;
      return { text: await behaviour(), usage: zeroUsage(name) };
    },
    plan: () => Promise.reject(new Error('unused')),
    generate: () => Promise.reject(new Error('unused')),
    fix: () => Promise.reject(new Error('unused')),
  };
  return e;
}

const down = (name: string) => () =>
  Promise.reject(new EngineUnavailableError(name, 'connection refused'));

describe('engine chain', () => {
  it('falls back when an engine is down, says so, and skips it while its breaker is open', async () => {
    let now = 0;
    const primary = engine('anthropic', down('anthropic'));
    const backup = engine('openai', async () => 'from backup');
    const chain = new EngineChain([primary, backup], 60_000, () => now);
    const events: EngineEvent[] = [];
    const ctx = { signal: new AbortController().signal, emit: (e: EngineEvent) => events.push(e) };

    expect((await chain.complete({ prompt: 'hi' }, ctx)).text).toBe('from backup');
    expect(events[0]).toMatchObject({
      type: 'progress',
      data: { engine: 'anthropic', switchTo: 'openai' },
    });
    await chain.complete({ prompt: 'again' }, ctx);
    expect(primary.calls).toBe(1);

    now = 61_000;
    await chain.complete({ prompt: 'later' }, ctx);
    expect(primary.calls).toBe(2);
  });

  it('passes a request one engine cannot do to the next, without opening its breaker', async () => {
    let offlineCan = false;
    const offline = engine('offline', () =>
      offlineCan
        ? Promise.resolve('offline did it')
        : Promise.reject(new EngineUnsupportedError('offline', 'not an app it wrote')),
    );
    const backup = engine('anthropic', async () => 'from anthropic');
    const chain = new EngineChain([offline, backup], 60_000, () => 0);
    const events: EngineEvent[] = [];
    const ctx = { signal: new AbortController().signal, emit: (e: EngineEvent) => events.push(e) };
    expect((await chain.complete({ prompt: 'update it' }, ctx)).text).toBe('from anthropic');
    expect(events[0]).toMatchObject({ data: { engine: 'offline', reason: 'unsupported' } });
    offlineCan = true;
    expect((await chain.complete({ prompt: 'a new app' }, ctx)).text).toBe('offline did it');
    const alone = new EngineChain([offline]);
    offlineCan = false;
    await expect(alone.complete({ prompt: 'update it' }, ctx)).rejects.toBeInstanceOf(
      EngineUnsupportedError,
    );
  });

  it('throws AI unavailable when every engine is down, and passes other errors through', async () => {
    const chain = new EngineChain([engine('a', down('a')), engine('b', down('b'))]);
    const ctx = { signal: new AbortController().signal, emit: () => undefined };
    await expect(chain.complete({ prompt: 'x' }, ctx)).rejects.toBeInstanceOf(
      EngineUnavailableError,
    );
    const broken = new EngineChain([engine('c', () => Promise.reject(new TypeError('bug')))]);
    await expect(broken.complete({ prompt: 'x' }, ctx)).rejects.toBeInstanceOf(TypeError);
  });

  it('ranks recommendations with the engines that can, skipping those that cannot', async () => {
    const ctx = { signal: new AbortController().signal, emit: () => undefined };
    expect(new EngineChain([engine('offline', async () => '')]).recommend).toBeUndefined();
    const adviser = {
      ...engine('openai', async () => ''),
      recommend: async () => ({ advice: { order: ['a'] }, usage: zeroUsage('gpt') }),
    };
    const chain = new EngineChain([engine('offline', async () => ''), adviser]);
    const answer = await chain.recommend?.({ prompt: 'p', items: [] }, ctx);
    expect(answer).toMatchObject({ advice: { order: ['a'] }, usage: { engine: 'openai' } });
  });
});
