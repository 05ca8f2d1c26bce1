import {
  EngineUnavailableError,
  EngineUnsupportedError,
  type AiEngine,
  type EngineContext,
  type Framework,
} from './engine.js';

interface Breaker {
  openUntil: number;
}

/**
 * AI_PROVIDER followed by the AI_FALLBACK chain. An engine that reports itself unavailable
 * (after its own retries) is skipped for a cool-down (a circuit breaker, so every build does
 * not pay the same timeout again), and the call goes to the next engine; the switch is
 * announced as an event. Other errors are not the chain's business and pass through.
 */
export class EngineChain implements AiEngine {
  readonly name: string;
  readonly frameworks: readonly Framework[];
  private readonly breakers = new Map<string, Breaker>();

  constructor(
    private readonly engines: readonly AiEngine[],
    private readonly cooldownMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    const first = engines[0];
    if (!first) throw new Error('an engine chain needs at least one engine');
    this.name = first.name;
    this.frameworks = first.frameworks;
    const advisers = engines.filter((e) => e.recommend !== undefined);
    this.recommend =
      advisers.length === 0
        ? undefined
        : (input, ctx) =>
            this.run(
              ctx,
              (e) => (e.recommend as NonNullable<typeof e.recommend>)(input, ctx),
              advisers,
            );
  }

  /** Each engine of the chain and whether its breaker is open (skipped) right now. */
  circuits(): Array<{ engine: string; open: boolean }> {
    const now = this.now();
    return this.engines.map((e) => ({
      engine: e.name,
      open: (this.breakers.get(e.name)?.openUntil ?? 0) > now,
    }));
  }

  plan: AiEngine['plan'] = (input, ctx) => this.run(ctx, (e) => e.plan(input, ctx));
  generate: AiEngine['generate'] = (input, tools, ctx) =>
    this.run(ctx, (e) => e.generate(input, tools, ctx));
  fix: AiEngine['fix'] = (failure, tools, ctx) => this.run(ctx, (e) => e.fix(failure, tools, ctx));
  complete: AiEngine['complete'] = (input, ctx) => this.run(ctx, (e) => e.complete(input, ctx));
  /** Present when an engine of the chain can rank recommendations; only those are asked. */
  readonly recommend: AiEngine['recommend'];

  private async run<T>(
    ctx: Pick<EngineContext, 'emit'>,
    call: (engine: AiEngine) => Promise<T>,
    engines: readonly AiEngine[] = this.engines,
  ): Promise<T> {
    const open = engines.filter((e) => (this.breakers.get(e.name)?.openUntil ?? 0) <= this.now());
    // With every breaker open, try them all anyway rather than fail without asking.
    const candidates = open.length > 0 ? open : [...engines];
    let last: EngineUnavailableError | undefined;
    for (const [i, engine] of candidates.entries()) {
      try {
        const result = await call(engine);
        this.breakers.delete(engine.name);
        // Usage is attributed to the engine that answered, not to the chain.
        const usage = (result as { usage?: { engine?: string } }).usage;
        if (usage) usage.engine = engine.name;
        return result;
      } catch (err) {
        if (!(err instanceof EngineUnavailableError)) throw err;
        last = err;
        // A request the engine cannot do says nothing about the engine's health.
        const unsupported = err instanceof EngineUnsupportedError;
        if (!unsupported)
          this.breakers.set(engine.name, { openUntil: this.now() + this.cooldownMs });
        const next = candidates[i + 1];
        const why = unsupported ? 'cannot do this' : 'is unavailable';
        ctx.emit({
          type: 'progress',
          message: next
            ? `The ${engine.name} engine ${why} (${err.message}); switching to ${next.name}.`
            : `The ${engine.name} engine ${why} (${err.message}).`,
          data: {
            engine: engine.name,
            switchTo: next?.name ?? null,
            reason: unsupported ? 'unsupported' : 'unavailable',
          },
        });
      }
    }
    throw last ?? new EngineUnavailableError(this.name, 'no engine could take the request');
  }
}

/** The engines behind `engine` and whether each one's breaker is open now (a single engine has none). */
export function circuitsOf(engine: AiEngine): () => Array<{ engine: string; open: boolean }> {
  if (engine instanceof EngineChain) return () => engine.circuits();
  return () => [{ engine: engine.name, open: false }];
}
