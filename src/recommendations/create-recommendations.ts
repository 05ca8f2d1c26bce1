import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { RecommendationsRepository } from '../repositories/recommendations.repo.js';
import type { IdentityPool } from '../sandbox/identity-pool.js';
import { ChromiumPageChecker } from './browser-check.js';
import { RecommendationsService, type RecommendationsDeps } from './recommendations.service.js';

/** How long the routes wait for an engine's ranking before answering without it. */
const ENGINE_ADVICE_TIMEOUT_MS = 60_000;

/** The recommendations service with its repository and the Chromium page check, from config. */
export function createRecommendations(
  config: Config,
  db: Db,
  identities: IdentityPool,
  deps: Omit<
    RecommendationsDeps,
    'recommendations' | 'pageChecker' | 'engineTimeoutMs' | 'dataDir' | 'bundleBudgetBytes'
  >,
): RecommendationsService {
  return new RecommendationsService({
    ...deps,
    recommendations: new RecommendationsRepository(db),
    pageChecker: new ChromiumPageChecker({
      chromiumPath: config.recommendations.chromiumPath,
      dataDir: config.dataDir,
      systemPath: config.systemPath,
      identities,
    }),
    engineTimeoutMs: ENGINE_ADVICE_TIMEOUT_MS,
    dataDir: config.dataDir,
    bundleBudgetBytes: config.recommendations.bundleBudgetBytes,
  });
}
