import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsRecorder } from '../observability/recorder.js';
import { QuotaRepository } from '../repositories/quota.repo.js';
import type { UsageRepository } from '../repositories/usage.repo.js';
import { QuotaService } from '../services/quota.service.js';
import type { EstimatedEngine } from './estimate.js';

/** AI-time metering for the configured engine. */
export function createQuota(
  config: Config,
  deps: {
    db: Db;
    usage: UsageRepository;
    engineName: string;
    logger: Logger;
    metrics?: MetricsRecorder;
  },
): QuotaService {
  return new QuotaService({
    quota: new QuotaRepository(deps.db),
    usage: deps.usage,
    engine: estimatedEngine(config, deps.engineName),
    settings: config.quota,
    logger: deps.logger,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
}

/**
 * The engine and model estimates are kept per (the model only where the worker picks it, and
 * only while every task runs on it: with AI_MODEL_<TASK> set, a run's calls use several, so
 * history is matched by engine and defaults are priced like the engine's model).
 */
function estimatedEngine(config: Config, name: string): EstimatedEngine {
  const perTask = Object.keys(config.ai.taskModels[name] ?? {}).length > 0;
  const model = (priceAs: string) => (perTask ? { model: undefined, priceAs } : { model: priceAs });
  if (name === 'anthropic') return { name, ...model(config.ai.anthropic.model) };
  if (name === 'openai') return { name, ...model(config.ai.openai.model) };
  // The Claude CLI picks its own model; a default estimate is priced like Sonnet.
  if (name === 'claude-cli') return { name, model: undefined, priceAs: 'claude-sonnet-4' };
  return { name, model: undefined };
}
