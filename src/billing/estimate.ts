import { costOf } from '../ai/agent/pricing.js';
import type { UsageRepository } from '../repositories/usage.repo.js';

export type EstimatedOperation = 'create' | 'update' | 'fix';

export interface Estimate {
  /** AI time (engine wall time), whole seconds: what a reservation holds. */
  seconds: number;
  tokens: number;
  costUsd: number;
  /** Where the figures come from: this project's runs, this user's, or the defaults below. */
  basis: 'project-history' | 'user-history' | 'default';
  /** How many earlier runs the median was taken over (0 for the defaults). */
  samples: number;
}

/**
 * The defaults, used until a project or user has history with the engine and model: typical
 * agent runs of a hosted model. The offline engine answers in milliseconds and costs nothing.
 */
export const DEFAULT_ESTIMATES: Record<EstimatedOperation, { seconds: number; tokens: number }> = {
  create: { seconds: 120, tokens: 60_000 },
  update: { seconds: 90, tokens: 40_000 },
  fix: { seconds: 45, tokens: 20_000 },
};
const OFFLINE_ESTIMATE = { seconds: 1, tokens: 0 };
export interface EstimatedEngine {
  name: string;
  /** The configured model; undefined when the engine chooses (the Claude CLI). */
  model: string | undefined;
  /** The model whose price the default cost uses when `model` is unknown. */
  priceAs?: string;
}

/** The runs a median is taken over. */
const HISTORY = 20;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Estimates what a create, update or fix will spend: the median of the project's recent runs
 * of the same kind with the same engine and model, else the user's, else a default.
 */
export class Estimator {
  constructor(
    private readonly usage: UsageRepository,
    private readonly engine: EstimatedEngine,
  ) {}

  async estimate(
    operation: EstimatedOperation,
    owner: { userId: string; projectId?: string | undefined },
  ): Promise<Estimate> {
    const scopes = [
      ...(owner.projectId
        ? [{ basis: 'project-history' as const, scope: { projectId: owner.projectId } }]
        : []),
      { basis: 'user-history' as const, scope: { userId: owner.userId } },
    ];
    for (const { basis, scope } of scopes) {
      const runs = await this.usage.recentRuns({
        scope,
        kind: operation,
        engine: this.engine.name,
        model: this.engine.model,
        limit: HISTORY,
      });
      if (runs.length === 0) continue;
      return {
        seconds: Math.max(1, Math.ceil(median(runs.map((r) => r.ms)) / 1000)),
        tokens: Math.round(median(runs.map((r) => r.tokens))),
        costUsd: round6(median(runs.map((r) => r.costUsd))),
        basis,
        samples: runs.length,
      };
    }
    return this.byDefault(operation);
  }

  private byDefault(operation: EstimatedOperation): Estimate {
    const offline = this.engine.name === 'offline';
    const { seconds, tokens } = offline ? OFFLINE_ESTIMATE : DEFAULT_ESTIMATES[operation];
    // Agent runs read far more than they write: four input tokens to one output token.
    const priced = this.engine.model ?? this.engine.priceAs;
    const costUsd = priced
      ? costOf(priced, {
          inputTokens: Math.round(tokens * 0.8),
          outputTokens: Math.round(tokens * 0.2),
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
        })
      : 0;
    return { seconds, tokens, costUsd: round6(costUsd), basis: 'default', samples: 0 };
  }
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
