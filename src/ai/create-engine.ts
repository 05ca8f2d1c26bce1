import type { Config } from '../config/config.js';
import type { AiEngine } from './engine.js';
import { OfflineEngine } from './offline/index.js';

/** Chooses the AI engine from config. */
export function createEngine(ai: Config['ai']): AiEngine {
  switch (ai.provider) {
    case 'offline':
      return new OfflineEngine();
    default:
      throw new Error(
        `AI_PROVIDER: the ${ai.provider} engine is not available in this version; use AI_PROVIDER=offline`,
      );
  }
}
