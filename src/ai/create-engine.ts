import path from 'node:path';
import type { Config } from '../config/config.js';
import { SANDBOX_UID } from '../sandbox/create-sandbox.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { AnthropicEngine } from './anthropic/anthropic-engine.js';
import { ClaudeCliEngine } from './claude-cli/claude-cli-engine.js';
import { EngineChain } from './engine-chain.js';
import type { AiEngine } from './engine.js';
import { OfflineEngine } from './offline/index.js';
import { OpenAiEngine } from './openai/openai-engine.js';

type Provider = Config['ai']['provider'];

/** Chooses the AI engine from config: AI_PROVIDER, then the AI_FALLBACK chain behind it. */
export function createEngine(
  config: Pick<Config, 'ai' | 'dataDir' | 'systemPath'>,
  sandbox: Sandbox,
): AiEngine {
  const { ai } = config;
  const make = (provider: Provider): AiEngine => {
    switch (provider) {
      case 'offline':
        return new OfflineEngine();
      case 'anthropic':
        return new AnthropicEngine({
          apiKey: ai.anthropic.apiKey ?? '',
          ...(ai.anthropic.baseUrl ? { baseUrl: ai.anthropic.baseUrl } : {}),
          model: ai.anthropic.model,
          maxTurns: ai.maxTurns,
          maxTokens: ai.maxTokens,
          retries: ai.retries,
        });
      case 'openai':
        return new OpenAiEngine({
          ...(ai.openai.apiKey ? { apiKey: ai.openai.apiKey } : {}),
          ...(ai.openai.baseUrl ? { baseUrl: ai.openai.baseUrl } : {}),
          model: ai.openai.model,
          maxTurns: ai.maxTurns,
          maxTokens: ai.maxTokens,
          retries: ai.retries,
        });
      case 'claude-cli':
        return new ClaudeCliEngine({
          bin: ai.claudeCli.bin,
          sandbox,
          homeRoot: path.join(config.dataDir, 'claude-homes'),
          ...(ai.anthropic.apiKey ? { apiKey: ai.anthropic.apiKey } : {}),
          ...(ai.anthropic.baseUrl ? { baseUrl: ai.anthropic.baseUrl } : {}),
          model: ai.anthropic.model,
          allowBash: ai.claudeCli.allowBash,
          idleTimeoutMs: ai.claudeCli.idleTimeoutMs,
          totalTimeoutMs: ai.claudeCli.totalTimeoutMs,
          maxTurns: ai.maxTurns,
          searchPath: config.systemPath,
          ...(process.getuid?.() === 0 ? { sandboxUid: SANDBOX_UID } : {}),
        });
    }
  };
  const engines = [ai.provider, ...ai.fallback].map(make);
  return engines.length === 1 ? (engines[0] as AiEngine) : new EngineChain(engines);
}
