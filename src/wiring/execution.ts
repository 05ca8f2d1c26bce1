import path from 'node:path';
import type { ClaudeCliRuntime } from '../ai/claude-cli/cli-runtime.js';
import { createClaudeCliRuntime, createEngine } from '../ai/create-engine.js';
import type { AiEngine } from '../ai/engine.js';
import type { Toolchain } from '../build/toolchain.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import { meteredEngine, meteredSandbox } from '../observability/metered.js';
import type { Metrics } from '../observability/metrics.js';
import { scratchParent } from '../pipeline/leftovers.js';
import { WarmBundler } from '../pipeline/warm-bundler.js';
import { createSandbox, type ProbeMemo } from '../sandbox/create-sandbox.js';
import { createIdentityPool } from '../sandbox/identities.js';
import type { IdentityPool } from '../sandbox/identity-pool.js';
import type { Sandbox } from '../sandbox/sandbox.js';

export interface Execution {
  identities: IdentityPool;
  sandbox: Sandbox;
  claudeCli: ClaudeCliRuntime;
  engine: AiEngine;
  /** A bundler started ahead for the next build (WARM_BUNDLER); none when off. */
  warmBundler?: WarmBundler;
}

/** Where generated code and AI engines run: the sandbox, its uids, and the engine (metered). */
export async function createExecution(
  config: Config,
  parts: {
    toolchain: Toolchain;
    logger: Logger;
    metrics: Metrics;
    /** An engine to use instead of the configured one (tests). */
    engine?: AiEngine;
    sandboxProbes?: ProbeMemo;
  },
): Promise<Execution> {
  const { logger, metrics } = parts;
  const identities = await createIdentityPool(config.sandbox.uids, logger);
  const unmetered = await createSandbox({
    mode: config.sandbox.mode,
    limits: config.sandbox.limits,
    scratchDir: scratchParent(config.dataDir),
    toolPaths: parts.toolchain.paths,
    systemPath: config.systemPath,
    requireBwrap: config.sandbox.requireBwrap,
    allowUnisolated: config.sandbox.allowUnisolated,
    nice: config.sandbox.nice,
    identities,
    ...(parts.sandboxProbes ? { probes: parts.sandboxProbes } : {}),
  });
  const sandbox = meteredSandbox(unmetered, metrics);
  for (const limitation of sandbox.limitations)
    logger.warn({ sandbox: sandbox.kind }, `sandbox: ${limitation}`);
  const claudeCli = createClaudeCliRuntime(config, sandbox);
  if ([config.ai.provider, ...config.ai.fallback].includes('claude-cli')) {
    await warmUpClaudeCli(claudeCli, logger);
  }
  const engine = parts.engine
    ? meteredEngine(parts.engine, metrics)
    : await createEngine(config, sandbox, claudeCli, (e) => meteredEngine(e, metrics));
  const warmBundler = config.pipeline.warmBundler
    ? new WarmBundler({ sandbox, identities, dir: path.join(config.dataDir, 'warm'), logger })
    : undefined;
  return { identities, sandbox, claudeCli, engine, ...(warmBundler && { warmBundler }) };
}

/**
 * Finds (and stages, if the sandbox user cannot reach it) the Claude Code CLI at start-up, so
 * the first build does not wait for a large copy and a bad CLAUDE_BIN shows in the log at once.
 * Not fatal: the CLI may be installed later, and until then builds fail naming CLAUDE_BIN.
 */
async function warmUpClaudeCli(claudeCli: ClaudeCliRuntime, logger: Logger): Promise<void> {
  try {
    const cli = await claudeCli.resolve();
    logger.info(
      { bin: claudeCli.bin, path: cli.command, source: cli.source, staged: cli.staged },
      cli.staged ? 'Claude Code CLI staged for the sandbox user' : 'Claude Code CLI found',
    );
  } catch (err) {
    logger.error({ bin: claudeCli.bin }, (err as Error).message);
  }
}
