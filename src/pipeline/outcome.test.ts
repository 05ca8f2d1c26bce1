import { describe, expect, it } from 'vitest';
import {
  EngineMisconfiguredError,
  EngineNothingToChangeError,
  EngineUnavailableError,
  EngineUnsupportedError,
} from '../ai/engine.js';
import { BuildCancelled, StageFailure } from './failure.js';
import { CANCELLED, verdictFor } from './outcome.js';

function signal(reason?: 'cancel' | 'shutdown'): AbortSignal {
  const controller = new AbortController();
  if (reason) controller.abort(reason);
  return controller.signal;
}

const running = { signal: signal(), lastAttempt: false };
const lastTry = { signal: signal(), lastAttempt: true };
// BUILD_FAILED is the project's fault; SANDBOX_KILLED is an infrastructure fault.
const compileError = new StageFailure('BUILD_FAILED', 'The app does not compile.', 'Fix it.');
const sandboxKilled = new StageFailure('SANDBOX_KILLED', 'The sandbox was killed.', 'Wait.');

describe('verdictFor', () => {
  it('hands the build back on shutdown, whatever the error', () => {
    const shutdown = { signal: signal('shutdown'), lastAttempt: true };
    expect(verdictFor(new BuildCancelled(), shutdown)).toEqual({ kind: 'handback' });
    expect(verdictFor(compileError, shutdown)).toEqual({ kind: 'handback' });
  });

  it('ends a cancelled build as cancelled, for any error once the signal says cancel', () => {
    const cancelled = { kind: 'end', status: 'cancelled', error: CANCELLED, crashed: false };
    expect(verdictFor(new BuildCancelled(), running)).toEqual(cancelled);
    expect(verdictFor(new Error('killed'), { ...running, signal: signal('cancel') })).toEqual(
      cancelled,
    );
  });

  it('fails a misconfigured engine with the setting to fix, even with attempts left', () => {
    const err = new EngineMisconfiguredError('claude-cli', 'CLAUDE_BIN', 'claude not found');
    expect(verdictFor(err, running)).toMatchObject({
      kind: 'end',
      status: 'failed',
      error: {
        code: 'AI_ENGINE_MISCONFIGURED',
        message: 'The AI engine is not set up on this worker (claude-cli): claude not found',
      },
    });
    expect(verdictFor(err, running)).toHaveProperty(
      'error.hint',
      expect.stringContaining('CLAUDE_BIN'),
    );
  });

  it('fails a request the engine cannot do as AI_REQUEST_UNSUPPORTED, never retried', () => {
    const err = new EngineUnsupportedError('offline', 'it did not write this app');
    expect(verdictFor(err, running)).toMatchObject({
      kind: 'end',
      status: 'failed',
      error: {
        code: 'AI_REQUEST_UNSUPPORTED',
        message: 'The AI engine cannot do this (offline): it did not write this app',
        hint: expect.stringContaining('AI_PROVIDER'),
      },
      crashed: false,
    });
  });

  it('ends an update that changes nothing as UPDATE_NOTHING_TO_CHANGE, never retried', () => {
    const err = new EngineNothingToChangeError('offline', 'it asks for countdown', ['countdown']);
    expect(verdictFor(err, running)).toMatchObject({
      kind: 'end',
      status: 'failed',
      error: {
        code: 'UPDATE_NOTHING_TO_CHANGE',
        message: 'Nothing changed (offline): it asks for countdown',
        hint: expect.stringContaining('No new version was built'),
      },
      crashed: false,
    });
  });

  it('fails an unavailable engine as AI_UNAVAILABLE', () => {
    const err = new EngineUnavailableError('anthropic', 'overloaded');
    expect(verdictFor(err, running)).toMatchObject({
      kind: 'end',
      status: 'failed',
      error: {
        code: 'AI_UNAVAILABLE',
        message: 'The AI engine is unavailable right now (anthropic): overloaded',
      },
      crashed: false,
    });
  });

  it('ends a deterministic StageFailure with its own code, and never retries it', () => {
    expect(verdictFor(compileError, running)).toEqual({
      kind: 'end',
      status: 'failed',
      error: { code: 'BUILD_FAILED', message: 'The app does not compile.', hint: 'Fix it.' },
      crashed: false,
    });
  });

  it('retries a retryable StageFailure with attempts left, and ends it on the last', () => {
    expect(verdictFor(sandboxKilled, running)).toEqual({
      kind: 'retry',
      err: sandboxKilled,
      notice: 'The sandbox was killed. The build will be retried.',
      crashed: false,
    });
    expect(verdictFor(sandboxKilled, lastTry)).toMatchObject({
      kind: 'end',
      status: 'failed',
      error: { code: 'SANDBOX_KILLED' },
    });
  });

  it('retries an unknown error as a crash, and ends it as INTERNAL on the last attempt', () => {
    const err = new Error('connection reset');
    expect(verdictFor(err, running)).toEqual({
      kind: 'retry',
      err,
      notice: 'An internal error interrupted the build; it will be retried.',
      crashed: true,
    });
    expect(verdictFor(err, lastTry)).toMatchObject({
      kind: 'end',
      status: 'failed',
      error: { code: 'INTERNAL' },
      notice: 'An internal error stopped the build.',
      crashed: true,
    });
  });

  it('ends an unknown error that says it is not retryable as INTERNAL, without a notice', () => {
    const err = Object.assign(new Error('bad input'), { retryable: false });
    const verdict = verdictFor(err, running);
    expect(verdict).toMatchObject({ kind: 'end', status: 'failed', error: { code: 'INTERNAL' } });
    expect(verdict).not.toHaveProperty('notice');
  });
});
