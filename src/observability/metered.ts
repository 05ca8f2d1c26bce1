import {
  EngineMisconfiguredError,
  EngineUnavailableError,
  type AiEngine,
  type EngineUsage,
} from '../ai/engine.js';
import type { RunResult, Sandbox } from '../sandbox/sandbox.js';
import type { EngineErrorKind, MetricsRecorder } from './recorder.js';

type Operation = 'plan' | 'generate' | 'fix' | 'complete' | 'recommend';

/**
 * The engine with every call counted: calls, tokens and cost from the usage the engine
 * reports, errors by kind. Wraps each engine of a fallback chain, so an engine that fails
 * over is counted as itself, not as the chain.
 */
export function meteredEngine(engine: AiEngine, metrics: MetricsRecorder): AiEngine {
  const timed = async <T extends { usage: EngineUsage }>(
    operation: Operation,
    signal: AbortSignal,
    call: () => Promise<T>,
  ): Promise<T> => {
    try {
      const result = await call();
      metrics.engineCall(engine.name, operation, result.usage);
      return result;
    } catch (err) {
      metrics.engineError(engine.name, operation, errorKind(err, signal));
      throw err;
    }
  };
  const recommend = engine.recommend?.bind(engine);
  return {
    name: engine.name,
    frameworks: engine.frameworks,
    plan: (input, ctx) => timed('plan', ctx.signal, () => engine.plan(input, ctx)),
    generate: (input, tools, ctx) =>
      timed('generate', ctx.signal, () => engine.generate(input, tools, ctx)),
    fix: (failure, tools, ctx) => timed('fix', ctx.signal, () => engine.fix(failure, tools, ctx)),
    complete: (input, ctx) => timed('complete', ctx.signal, () => engine.complete(input, ctx)),
    ...(recommend
      ? { recommend: (input, ctx) => timed('recommend', ctx.signal, () => recommend(input, ctx)) }
      : {}),
  } satisfies AiEngine;
}

function errorKind(err: unknown, signal: AbortSignal): EngineErrorKind {
  if (err instanceof EngineMisconfiguredError) return 'misconfigured';
  if (err instanceof EngineUnavailableError) return 'unavailable';
  return signal.aborted ? 'cancelled' : 'error';
}

/**
 * The sandbox with every process it stopped counted by reason: a limit (output, memory, disk),
 * the time limit, a signal, or a cancel.
 */
export function meteredSandbox(sandbox: Sandbox, metrics: MetricsRecorder): Sandbox {
  const count = (result: RunResult | undefined) => {
    const reason = result?.timedOut ? 'timeout' : result?.killedBy;
    if (reason) metrics.sandboxKill(reason);
    return result;
  };
  const startNode = sandbox.startNode?.bind(sandbox);
  return {
    kind: sandbox.kind,
    limitations: sandbox.limitations,
    run: async (spec) => count(await sandbox.run(spec)) as RunResult,
    ...(startNode && {
      startNode(spec) {
        const node = startNode(spec);
        return {
          get ended() {
            return node.ended;
          },
          finished: node.finished,
          adopt: (workspace) => node.adopt(workspace),
          run: async (work) => count(await node.run(work)),
          discard: () => node.discard(),
          wait: (ms) => node.wait(ms),
        };
      },
    }),
  };
}
