import path from 'node:path';
import type { Config } from '../config/config.js';
import { fixedSandboxIdentity, SANDBOX_UID } from '../sandbox/create-sandbox.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { ClaudeCliEngine } from './claude-cli/claude-cli-engine.js';
import { ClaudeCliRuntime } from './claude-cli/cli-runtime.js';
import { EngineChain } from './engine-chain.js';
import type { AiEngine } from './engine.js';
import { OfflineEngine } from './offline/index.js';

type Provider = Config['ai']['provider'];

type EngineConfig = Pick<Config, 'ai' | 'dataDir' | 'systemPath'>;

/**
 * What runs the Claude Code CLI (CLAUDE_BIN, staged under DATA_DIR/tools/claude when the
 * sandbox user cannot reach it): one per process, shared by the engine and the health route.
 */
export function createClaudeCliRuntime(config: EngineConfig, sandbox: Sandbox): ClaudeCliRuntime {
  return new ClaudeCliRuntime({
    bin: config.ai.claudeCli.bin,
    searchPath: config.systemPath,
    sandbox,
    toolsDir: path.join(config.dataDir, 'tools', 'claude'),
    scratchRoot: path.join(config.dataDir, 'claude-homes'),
    sandboxUser: fixedSandboxIdentity(),
  });
}

/**
 * Chooses the AI engine from config: AI_PROVIDER, then the AI_FALLBACK chain behind it.
 * `wrap` decorates each engine on its own (metrics count a fallback as the engine it is).
 * An API engine's SDK is loaded only when that engine is configured: importing the Anthropic
 * and OpenAI SDKs costs every process and test that does not use them.
 */
export async function createEngine(
  config: EngineConfig,
  sandbox: Sandbox,
  claudeCli: ClaudeCliRuntime = createClaudeCliRuntime(config, sandbox),
  wrap: (engine: AiEngine) => AiEngine = (engine) => engine,
): Promise<AiEngine> {
  const { ai } = config;
  const make = async (provider: Provider): Promise<AiEngine> => {
    switch (provider) {
      case 'offline':
        return new OfflineEngine();
      case 'anthropic': {
        const { AnthropicEngine } = await import('./anthropic/anthropic-engine.js');
        return new AnthropicEngine({
          apiKey: ai.anthropic.apiKey ?? '',
          ...(ai.anthropic.baseUrl ? { baseUrl: ai.anthropic.baseUrl } : {}),
          model: ai.anthropic.model,
          models: ai.taskModels[provider] ?? {},
          maxTurns: ai.maxTurns,
          maxTokens: ai.maxTokens,
          retries: ai.retries,
        });
      }
      case 'openai': {
        const { OpenAiEngine } = await import('./openai/openai-engine.js');
        return new OpenAiEngine({
          ...(ai.openai.apiKey ? { apiKey: ai.openai.apiKey } : {}),
          ...(ai.openai.baseUrl ? { baseUrl: ai.openai.baseUrl } : {}),
          model: ai.openai.model,
          models: ai.taskModels[provider] ?? {},
          maxTurns: ai.maxTurns,
          maxTokens: ai.maxTokens,
          retries: ai.retries,
        });
      }
      case 'claude-cli':
        return new ClaudeCliEngine({
          bin: ai.claudeCli.bin,
          sandbox,
          homeRoot: path.join(config.dataDir, 'claude-homes'),
          ...(ai.anthropic.apiKey ? { apiKey: ai.anthropic.apiKey } : {}),
          ...(ai.anthropic.baseUrl ? { baseUrl: ai.anthropic.baseUrl } : {}),
          model: ai.anthropic.model,
          models: ai.taskModels[provider] ?? {},
          allowBash: ai.claudeCli.allowBash,
          idleTimeoutMs: ai.claudeCli.idleTimeoutMs,
          totalTimeoutMs: ai.claudeCli.totalTimeoutMs,
          maxTurns: ai.maxTurns,
          searchPath: config.systemPath,
          runtime: claudeCli,
          ...(process.getuid?.() === 0 ? { sandboxUid: SANDBOX_UID } : {}),
        });
    }
  };
  // One after another, in chain order: the first engine that is misconfigured is the one named.
  const engines: AiEngine[] = [];
  for (const provider of [ai.provider, ...ai.fallback]) engines.push(wrap(await make(provider)));
  return engines.length === 1 ? (engines[0] as AiEngine) : new EngineChain(engines);
}
