import { EngineMisconfiguredError, EngineUnavailableError, type EngineUsage } from '../engine.js';
import type { CliOutcome } from './run-cli.js';

const ENGINE = 'claude-cli';

const AUTH_FAILURE =
  /invalid api key|invalid x-api-key|authentication_error|authentication_failed|please run \/login|not logged in|oauth token (has )?expired/i;
// The CLI never started: the sandbox could not find, mount or execute it (bwrap says
// "Can't find source path …: Permission denied" for a path the sandbox user cannot reach).
const MISSING_BINARY =
  /could not start the process \((ENOENT|EACCES)\)|execvp .*(no such file|permission denied|exec format error)|failed to execute .*(no such file|permission denied)|bwrap: can't find source path/i;
const SESSION_NOT_FOUND = /no conversation found with session id/i;

/** One line of at most `max` characters, for an error message. */
export function excerpt(text: string, max = 300): string {
  // Control characters (a binary's bytes echoed by a shell) would garble logs and JSON readers.
  const line = text
    .replace(/\s+/g, ' ')
    .replace(/\p{Cc}/gu, '?')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The stored conversation could not be resumed (the CLI then does nothing else). */
export function sessionNotFound(outcome: CliOutcome): boolean {
  return (
    SESSION_NOT_FOUND.test(outcome.run.stderr) ||
    SESSION_NOT_FOUND.test(outcome.run.stdout) ||
    (outcome.summary.sawResult && SESSION_NOT_FOUND.test(outcome.summary.text))
  );
}

export interface CheckOptions {
  bin: string;
  idleTimeoutMs: number;
  totalTimeoutMs: number;
  /** generate/fix: a run that hit the turn limit still wrote files; the build decides. */
  allowMaxTurns: boolean;
}

/**
 * Turns a finished run into nothing (usable) or the error to throw. A run that printed its
 * result counts even if a watchdog killed it afterwards; a run that exited 0 without a result
 * (a known CLI defect) counts with the text rebuilt from the assistant's messages.
 */
export function failureOf(outcome: CliOutcome, options: CheckOptions): Error | undefined {
  const { summary, run, stoppedBy } = outcome;
  const unavailable = (message: string) => new EngineUnavailableError(ENGINE, message);
  const said = `${summary.sawResult ? summary.text : ''}\n${run.stderr}`;
  if (
    stoppedBy === 'auth' ||
    (summary.isError && AUTH_FAILURE.test(said)) ||
    (!summary.sawResult && AUTH_FAILURE.test(run.stderr))
  ) {
    return unavailable(
      'The Anthropic API refused the Claude CLI’s credentials: check ANTHROPIC_API_KEY' +
        ' (and ANTHROPIC_BASE_URL if set).',
    );
  }
  if (summary.sawResult) {
    if (summary.subtype === 'error_max_turns' && options.allowMaxTurns) return undefined;
    if (!summary.isError) return undefined;
    const what =
      summary.subtype === 'error_max_turns'
        ? 'stopped at the turn limit (AI_MAX_TURNS)'
        : 'reported an error';
    const detail = excerpt(summary.errors.join('; ') || summary.text || run.stderr);
    return unavailable(`The Claude CLI ${what}${detail ? `: ${detail}` : ''}.`);
  }
  if (stoppedBy === 'idle') {
    return unavailable(
      `The Claude CLI produced no output for ${Math.round(options.idleTimeoutMs / 1000)} s and was stopped (CLAUDE_IDLE_TIMEOUT_MS).`,
    );
  }
  if (run.timedOut) {
    return unavailable(
      `The Claude CLI did not finish within ${Math.round(options.totalTimeoutMs / 1000)} s and was stopped (CLAUDE_TOTAL_TIMEOUT_MS).`,
    );
  }
  if (run.killedBy === 'output') {
    return unavailable(
      'The Claude CLI printed more output than the sandbox allows (SANDBOX_MAX_OUTPUT_BYTES).',
    );
  }
  if (MISSING_BINARY.test(run.stderr)) {
    return new EngineMisconfiguredError(
      ENGINE,
      'CLAUDE_BIN',
      `The Claude Code CLI could not be started in the sandbox: CLAUDE_BIN=${options.bin}` +
        ` (${excerpt(run.stderr, 160)}). Set CLAUDE_BIN to a claude binary the sandbox user can` +
        ' run, and check GET /claude-executor/health.',
    );
  }
  if (run.exitCode !== 0) {
    const how =
      run.exitCode === null
        ? `was killed (${run.signal ?? 'signal'})`
        : `exited with code ${run.exitCode}`;
    const detail = excerpt(lastLines(run.stderr) || lastLines(run.stdout));
    return unavailable(`The Claude CLI ${how} without a result${detail ? `: ${detail}` : ''}.`);
  }
  if (!summary.sessionId && summary.text === '') {
    return unavailable(
      `The Claude CLI exited without any output${run.stderr ? `: ${excerpt(run.stderr)}` : ''}.`,
    );
  }
  return undefined;
}

function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' ');
}

/** Usage of one or more runs of a call, each result's cost counted once. */
export function usageOf(outcomes: CliOutcome[], fallbackModel: string): EngineUsage {
  const usage: EngineUsage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    durationMs: 0,
    model: fallbackModel,
  };
  let model: string | undefined;
  for (const { summary, run } of outcomes) {
    usage.inputTokens += summary.usage.inputTokens;
    usage.outputTokens += summary.usage.outputTokens;
    usage.cacheReadTokens += summary.usage.cacheReadTokens;
    usage.cacheWriteTokens += summary.usage.cacheWriteTokens;
    usage.costUsd += summary.costUsd;
    usage.durationMs += summary.durationMs || run.durationMs;
    model ??= summary.model;
  }
  // The CLI reports e.g. `claude-sonnet-4-5[1m]` for a 1M-context session.
  if (model) usage.model = model.replace(/\[[^\]]*\]$/, '');
  usage.costUsd = Math.round(usage.costUsd * 1e6) / 1e6;
  return usage;
}
