/**
 * Token accounting for one engine call (plan, generate, fix or complete), which may span many
 * model requests and retries: counts are summed, and the cost is computed once at the end from
 * the model that actually answered.
 */
import type { EngineUsage } from '../engine.js';
import { costOf, type TokenCounts } from './pricing.js';

export class UsageMeter {
  private readonly started = performance.now();
  private readonly counts: TokenCounts = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
  };

  constructor(private model: string) {}

  add(counts: Partial<TokenCounts>): void {
    this.counts.inputTokens += counts.inputTokens ?? 0;
    this.counts.outputTokens += counts.outputTokens ?? 0;
    this.counts.cacheReadTokens += counts.cacheReadTokens ?? 0;
    this.counts.cacheWriteTokens += counts.cacheWriteTokens ?? 0;
  }

  /** The model the API reports (a dated snapshot is priced more precisely than an alias). */
  setModel(model: string | undefined): void {
    if (model) this.model = model;
  }

  result(): EngineUsage {
    return {
      ...this.counts,
      costUsd: costOf(this.model, this.counts),
      durationMs: Math.round(performance.now() - this.started),
      model: this.model,
    };
  }
}
