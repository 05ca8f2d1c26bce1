import { ApiError, MissingSecretError, UnreachableError } from './client.js';
import { ConfigError, UsageError } from './commands/shared.js';

/** The CLI's exit codes: a stable contract for scripts (also in `sheen --help` and the README). */
export const EXIT = {
  ok: 0,
  /** The operation ran and failed: a build failed or was cancelled, the worker refused it. */
  failed: 1,
  usage: 2,
  /** The worker cannot be reached or the CLI is set up wrong (SHEEN_URL, no secret). */
  unreachable: 3,
  /** The worker rejected the signature: wrong SHEEN_SECRET, or the clock is off. */
  auth: 4,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  ok
  1  the operation failed (build failed or cancelled, the worker refused the request)
  2  usage error (unknown command or option, missing argument)
  3  cannot reach the worker, or the CLI is set up wrong (SHEEN_URL, no secret)
  4  the worker rejected the signature (SHEEN_SECRET, clock)`;

/**
 * Codes of failures the CLI finds itself, before or instead of an answer from the worker (the
 * worker's own codes, from its error catalog, pass through as they are).
 */
export const CLI_ERROR_CODES = [
  'USAGE',
  'CONFIG',
  'NO_SECRET',
  'WORKER_UNREACHABLE',
  'NOT_A_WORKER',
  'ERROR',
] as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[number];

export interface Failure {
  exitCode: number;
  /** A CliErrorCode, or the worker's error code. */
  code: CliErrorCode | (string & {});
  message: string;
  hint: string;
}

export interface FailureContext {
  command: string;
  target: { url: string; source: string };
  secretSource?: string;
}

/** What went wrong, in words that name the cause and the fix. */
export function describeFailure(err: unknown, ctx: FailureContext): Failure {
  if (err instanceof UsageError) {
    const hint = ctx.command
      ? `Run \`sheen ${ctx.command} --help\` for its arguments and options.`
      : 'Run `sheen --help` for the list of commands.';
    return { exitCode: EXIT.usage, code: 'USAGE', message: err.message, hint };
  }
  if (err instanceof ConfigError)
    return { exitCode: EXIT.unreachable, code: 'CONFIG', message: err.message, hint: err.hint };
  if (err instanceof MissingSecretError)
    return {
      exitCode: EXIT.unreachable,
      code: 'NO_SECRET',
      message: err.message,
      hint: "Start the worker here once (`npm start`) so it creates its key, set DATA_DIR to the local worker's data folder, or set SHEEN_SECRET to one of the worker's HMAC_SECRETS.",
    };
  if (err instanceof UnreachableError) return unreachable(err, ctx);
  if (err instanceof ApiError) return apiFailure(err, ctx);
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: EXIT.failed, code: 'ERROR', message, hint: '' };
}

function unreachable(err: UnreachableError, ctx: FailureContext): Failure {
  const { url, source } = ctx.target;
  const from =
    source === 'SHEEN_URL' ? 'from SHEEN_URL' : 'the default; set SHEEN_URL to change it';
  const doctor = ctx.command === 'doctor' ? '' : ' (`sheen doctor` checks what it needs)';
  const start = `Start the worker with \`npm start\` in its folder${doctor}, or set SHEEN_URL to where it runs.`;
  const byReason: Record<string, [string, string]> = {
    ECONNREFUSED: [`nothing listens at ${url} (${from})`, start],
    ENOTFOUND: [
      `the host of ${url} (${from}) does not resolve`,
      'Check the host name in SHEEN_URL.',
    ],
    EAI_AGAIN: [
      `the host of ${url} (${from}) could not be looked up`,
      'Check the host name in SHEEN_URL and your DNS.',
    ],
    'timed out': [`${url} (${from}) did not answer in time`, start],
    'bad port': [
      `fetch refuses the port of ${url} (${from}): browsers and Node block it`,
      'Run the worker on another port (PORT) and point SHEEN_URL at it.',
    ],
  };
  const [what, hint] = byReason[err.reason] ?? [
    `the connection to ${url} (${from}) failed: ${err.reason}`,
    start,
  ];
  return {
    exitCode: EXIT.unreachable,
    code: 'WORKER_UNREACHABLE',
    message: `Cannot reach the worker: ${what}.`,
    hint,
  };
}

function apiFailure(err: ApiError, ctx: FailureContext): Failure {
  const { url } = ctx.target;
  if (err.code === 'AUTH_INVALID_SIGNATURE' || err.code === 'AUTH_MISSING')
    return {
      exitCode: EXIT.auth,
      code: err.code,
      message: `The worker at ${url} rejected the signature: the secret from ${ctx.secretSource ?? 'SHEEN_SECRET'} is not one it accepts.`,
      hint: "Set SHEEN_SECRET to one of the worker's HMAC_SECRETS (a local worker keeps its key in DATA_DIR/secrets/hmac.key; point DATA_DIR at its data folder).",
    };
  if (err.code.startsWith('AUTH_'))
    return { exitCode: EXIT.auth, code: err.code, message: err.message, hint: err.hint };
  if (err.code === 'HTTP_ERROR')
    return {
      exitCode: EXIT.unreachable,
      code: 'NOT_A_WORKER',
      message: `${url} answered HTTP ${err.status}, not as a SheenApps worker answers.`,
      hint: 'Check SHEEN_URL: it must be the worker itself (e.g. http://127.0.0.1:8080), not a page or proxy in front of something else.',
    };
  return { exitCode: EXIT.failed, code: err.code, message: err.message, hint: err.hint };
}

/** Writes a failure: JSON on stdout with --json, else text on stderr. */
export function reportFailure(failure: Failure, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ error: failure }, null, 2) + '\n');
    return;
  }
  process.stderr.write(
    `Error ${failure.code}: ${failure.message}\n${failure.hint ? `Hint: ${failure.hint}\n` : ''}`,
  );
}
