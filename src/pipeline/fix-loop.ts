import type { WorkspaceTools } from '../ai/engine.js';
import type { BuildRun } from './context.js';
import { StageFailure } from './failure.js';
import { runDeterministicFixers, truncatedFiles, type FixResult } from './fixers.js';
import { engineContext, noteUsage, reserveAiTime, settleAiTime } from './stages/engine-context.js';

const FIXABLE = new Set(['typescript', 'dependency', 'build']);

export interface FixSettings {
  maxAttempts: number;
  tokenBudget: number;
  costBudgetUsd: number;
  /** Engine wall time one build may spend, in seconds (BUILD_AI_SECONDS_BUDGET). */
  aiSecondsBudget: number;
}

/**
 * Repairs validate and build failures within bounds: cheap deterministic fixers first, then
 * the engine with the classified error and the files it names. Stops at the attempt limit,
 * when the token or cost budget is spent (failing closed), and as soon as an error with the
 * same normalised fingerprint comes back (a fix that did not help will not help twice).
 */
export class FixLoop {
  private attempts = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly settings: FixSettings) {}

  async attempt(run: BuildRun, failure: StageFailure): Promise<FixResult | undefined> {
    const detail = failure.detail;
    if (!detail || !FIXABLE.has(detail.category)) return undefined;
    const stop = async (reason: string) => {
      await run.log.emit({
        type: 'fix.stopped',
        level: 'warn',
        message: reason,
        data: { attempts: this.attempts },
      });
      return undefined;
    };
    if (this.seen.has(detail.fingerprint))
      return stop('The same error came back after a fix; not trying again.');
    this.seen.add(detail.fingerprint);
    if (this.attempts >= this.settings.maxAttempts) {
      return stop(`Fix attempts used up (${this.settings.maxAttempts}).`);
    }
    this.attempts += 1;
    await run.log.emit({
      type: 'fix.started',
      message: `Fix attempt ${this.attempts}: ${detail.message}`,
      data: { attempt: this.attempts, category: detail.category, fingerprint: detail.fingerprint },
    });
    const tools = run.workspace.tools();
    const result =
      (await runDeterministicFixers(failure.output ?? detail.excerpt, tools)) ??
      (await this.engineFix(run, failure, detail, tools));
    if (!result) return stop(`The ${run.deps.engine.name} engine found nothing to change.`);
    await run.log.emit({
      type: 'fix.applied',
      message: result.description,
      data: {
        attempt: this.attempts,
        changed: result.changed,
        dependenciesChanged: result.dependenciesChanged,
      },
    });
    return result;
  }

  /**
   * Asks the engine to repair the failure, within the budget and with AI time reserved; the
   * files it names, and any the output shows were cut off mid-way, go with it. Undefined when
   * the engine changed nothing.
   */
  private async engineFix(
    run: BuildRun,
    failure: StageFailure,
    detail: NonNullable<StageFailure['detail']>,
    tools: WorkspaceTools,
  ): Promise<FixResult | undefined> {
    this.assertBudget(run);
    await reserveAiTime(run, this.attempts);
    const truncated = await truncatedFiles(failure.output ?? detail.excerpt, tools);
    if (truncated.length > 0) {
      await run.log.emit({
        type: 'fix.truncated',
        level: 'warn',
        message: `Cut off mid-way: ${truncated.join(', ')}.`,
        data: { files: truncated },
      });
    }
    const message =
      truncated.length > 0
        ? `These files end mid-way (the output was cut off): ${truncated.join(', ')}. Rewrite each of them completely. ${detail.message}`
        : detail.message;
    const started = performance.now();
    const { changed, usage } = await run.deps.engine.fix(
      {
        category: detail.category,
        message,
        output: detail.excerpt,
        files: [...new Set([...truncated, ...detail.files])],
      },
      tools,
      engineContext(run, 'fix'),
    );
    await noteUsage(run, 'fix', usage);
    await settleAiTime(run, this.attempts);
    if (changed.length === 0) return undefined;
    return {
      changed,
      dependenciesChanged: changed.includes('package.json'),
      description: `The ${run.deps.engine.name} engine changed ${changed.join(', ')} in ${Math.round(performance.now() - started)} ms.`,
    };
  }

  /** Fails closed: no engine call once the build's AI spend reaches any budget. */
  private assertBudget(run: BuildRun): void {
    const tokens = run.state.usage.reduce((n, u) => n + u.inputTokens + u.outputTokens, 0);
    const cost = run.state.usage.reduce((n, u) => n + u.costUsd, 0);
    const seconds = run.state.usage.reduce((n, u) => n + u.durationMs, 0) / 1000;
    const { tokenBudget, costBudgetUsd, aiSecondsBudget } = this.settings;
    if (tokens >= tokenBudget || cost >= costBudgetUsd || seconds >= aiSecondsBudget) {
      throw new StageFailure(
        'AI_BUDGET_EXCEEDED',
        `This build spent its AI budget (${tokens} tokens, $${cost.toFixed(2)}, ${Math.round(seconds)} s of AI time) before the app compiled.`,
        'Simplify the request, or raise BUILD_TOKEN_BUDGET / BUILD_COST_BUDGET_USD / BUILD_AI_SECONDS_BUDGET.',
      );
    }
  }
}
