import { describe, expect, it } from 'vitest';
import { EngineChain } from '../ai/engine-chain.js';
import { EngineUnavailableError, type AiEngine, type EngineUsage } from '../ai/engine.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { meteredEngine, meteredSandbox } from './metered.js';
import { Metrics } from './metrics.js';

const usage = (model: string): EngineUsage => ({
  inputTokens: 100,
  outputTokens: 40,
  cacheReadTokens: 10,
  cacheWriteTokens: 0,
  costUsd: 0.25,
  durationMs: 1500,
  model,
});

function engine(name: string, complete: () => Promise<string>): AiEngine {
  return {
    name,
    frameworks: ['react'],
    complete: async () => ({ text: await complete(), usage: usage(`${name}-model`) }),
    plan: () => Promise.reject(new Error('unused')),
    generate: () => Promise.reject(new Error('unused')),
    fix: () => Promise.reject(new Error('unused')),
  };
}

const ctx = { signal: new AbortController().signal, emit: () => undefined };
const value = async (m: Metrics, name: string, labels: Record<string, string>) => {
  const metric = (await m.registry.getMetricsAsJSON()).find((x) => x.name === name);
  const found = metric?.values.find((v) =>
    Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l),
  );
  return found?.value;
};

describe('metered engines and sandbox', () => {
  it('counts each engine of a fallback chain as itself: calls, tokens, cost, errors', async () => {
    const metrics = new Metrics();
    const chain = new EngineChain([
      meteredEngine(
        engine('anthropic', () => Promise.reject(new EngineUnavailableError('anthropic', 'down'))),
        metrics,
      ),
      meteredEngine(
        engine('openai', async () => 'ok'),
        metrics,
      ),
    ]);
    await chain.complete({ prompt: 'hi' }, ctx);
    expect(await value(metrics, 'sheen_engine_errors_total', { engine: 'anthropic' })).toBe(1);
    expect(
      await value(metrics, 'sheen_engine_calls_total', { engine: 'openai', outcome: 'ok' }),
    ).toBe(1);
    expect(
      await value(metrics, 'sheen_engine_tokens_total', { engine: 'openai', kind: 'input' }),
    ).toBe(100);
    expect(await value(metrics, 'sheen_engine_cost_usd_total', { engine: 'openai' })).toBe(0.25);
    expect(chain.circuits()).toEqual([
      { engine: 'anthropic', open: true },
      { engine: 'openai', open: false },
    ]);
  });

  it('counts processes the sandbox stopped, by reason, and not those that just ended', async () => {
    const metrics = new Metrics();
    const results = [
      { timedOut: true },
      { timedOut: false, killedBy: 'memory' as const },
      { timedOut: false },
    ];
    const inner: Sandbox = {
      kind: 'process',
      limitations: [],
      run: async () => ({
        exitCode: 0,
        signal: null,
        stdout: '',
        stderr: '',
        durationMs: 1,
        ...(results.shift() ?? { timedOut: false }),
      }),
    };
    const sandbox = meteredSandbox(inner, metrics);
    for (let i = 0; i < 3; i++) {
      await sandbox.run({
        command: 'true',
        args: [],
        cwd: '/',
        workspace: '/',
        network: false,
        timeoutMs: 1,
      });
    }
    expect(await value(metrics, 'sheen_sandbox_kills_total', { reason: 'timeout' })).toBe(1);
    expect(await value(metrics, 'sheen_sandbox_kills_total', { reason: 'memory' })).toBe(1);
    const kills = (await metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'sheen_sandbox_kills_total',
    );
    expect(kills?.values).toHaveLength(2);
  });

  it('each Metrics has a registry of its own (many apps in one process)', async () => {
    const a = new Metrics();
    const b = new Metrics();
    a.quotaRefused('create');
    expect(await value(a, 'sheen_quota_refusals_total', { operation: 'create' })).toBe(1);
    expect(await value(b, 'sheen_quota_refusals_total', { operation: 'create' })).toBeUndefined();
  });
});
