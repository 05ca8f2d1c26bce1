import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import {
  ApiError,
  localKeyPath,
  networkReason,
  resolveSecretWithSource,
  UnreachableError,
  WorkerClient,
} from './client.js';
import { checkWorkerUrl } from './context.js';
import { describeFailure, type FailureContext } from './failure.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it; empty when nothing needs doing. */
  fix: string;
}

const result = (check: string, status: CheckStatus, detail: string, fix = ''): CheckResult => ({
  check,
  status,
  detail,
  fix,
});

/** The worker answers its liveness route at SHEEN_URL (no signature needed). */
export async function checkWorker(target: FailureContext['target']): Promise<CheckResult> {
  let origin: string;
  try {
    origin = checkWorkerUrl(target.url);
  } catch (err) {
    const f = describeFailure(err, { command: 'doctor', target });
    return result('worker', 'fail', f.message, f.hint);
  }
  try {
    const res = await fetch(`${origin}/myhealthz`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json().catch(() => undefined)) as { status?: string } | undefined;
    if (res.ok && body?.status === 'ok') return result('worker', 'ok', `answers at ${origin}`);
    return result(
      'worker',
      'fail',
      `${origin} answered HTTP ${res.status}, not as a SheenApps worker does`,
      'Set SHEEN_URL to the worker itself, e.g. http://127.0.0.1:8080.',
    );
  } catch (err) {
    const f = describeFailure(new UnreachableError(origin, networkReason(err)), {
      command: 'doctor',
      target,
    });
    return result('worker', 'fail', f.message, f.hint);
  }
}

interface ClaudeHealth {
  status: 'ok' | 'degraded' | 'down';
  provider: string;
  bin: string;
  version: string | null;
  message?: string;
}

/**
 * The signing key, with one signed request; its answer also says whether the Claude CLI
 * runs where builds run it.
 */
export async function checkKeyAndClaude(
  env: NodeJS.ProcessEnv,
  target: FailureContext['target'],
  workerUp: boolean,
): Promise<CheckResult[]> {
  let resolved;
  try {
    resolved = await resolveSecretWithSource(env);
  } catch (err) {
    const f = describeFailure(err, { command: 'doctor', target });
    return [result('key', 'fail', f.message, f.hint), claudeNotChecked('no signing key')];
  }
  if (!workerUp)
    return [
      result('key', 'warn', `found in ${resolved.source}; not tried: the worker is not reachable`),
      claudeNotChecked('the worker is not reachable'),
    ];
  const client = new WorkerClient({
    baseUrl: checkWorkerUrl(target.url),
    secret: resolved.secret,
    secretSource: resolved.source,
    timeoutMs: 20_000,
  });
  try {
    const claude = await client.json<ClaudeHealth>('GET', '/claude-executor/health');
    return [
      result('key', 'ok', `the worker accepts the key from ${resolved.source}`),
      claudeCheck(claude),
    ];
  } catch (err) {
    const f = describeFailure(err, { command: 'doctor', target, secretSource: resolved.source });
    const keyFailed = err instanceof ApiError && err.code.startsWith('AUTH_');
    return [
      result('key', keyFailed ? 'fail' : 'warn', f.message, f.hint),
      claudeNotChecked(keyFailed ? 'the key was refused' : 'the signed request failed'),
    ];
  }
}

const claudeNotChecked = (why: string) => result('claude-cli', 'warn', `not checked: ${why}`);

function claudeCheck(h: ClaudeHealth): CheckResult {
  const used = h.provider === 'claude-cli';
  const installed = h.version ? `${h.bin} ${h.version}` : h.bin;
  if (!used)
    return result(
      'claude-cli',
      'ok',
      `not used: the worker's AI_PROVIDER is ${h.provider}${h.status === 'ok' ? ` (${installed} is installed)` : ''}`,
    );
  if (h.status === 'ok') return result('claude-cli', 'ok', `${installed} runs in the sandbox`);
  return result(
    'claude-cli',
    h.status === 'down' ? 'fail' : 'warn',
    `${h.bin}: ${h.message ?? h.status}`,
    'Install the Claude Code CLI on the worker (npm install -g @anthropic-ai/claude-code), log it in, or set CLAUDE_BIN to its path.',
  );
}

/** Runs a program with arguments (no shell); its first output line, or why it did not run. */
function run(
  file: string,
  args: string[],
  timeout = 10_000,
): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout }, (err, stdout, stderr) => {
      const text = `${stdout}${stderr}`.trim().split('\n')[0] ?? '';
      if (!err) return resolve({ ok: true, text });
      const code = (err as NodeJS.ErrnoException).code;
      resolve({ ok: false, text: code === 'ENOENT' ? 'not found' : text || err.message });
    });
  });
}

/** bubblewrap on this machine: installed, and able to make a sandbox here. */
export async function checkBubblewrap(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const required = env.SANDBOX === 'bwrap' || env.NODE_ENV === 'production';
  const missing = required ? 'fail' : 'warn';
  const version = await run('bwrap', ['--version']);
  if (!version.ok)
    return result(
      'bubblewrap',
      missing,
      `bwrap: ${version.text}; builds would run without its isolation`,
      'Install it: apt-get install bubblewrap (or dnf install bubblewrap).',
    );
  const sandbox = await run('bwrap', ['--ro-bind', '/', '/', '--unshare-all', '--', 'true']);
  if (!sandbox.ok)
    return result(
      'bubblewrap',
      missing,
      `${version.text} is installed but cannot create a sandbox here: ${sandbox.text}`,
      'Allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 or the AppArmor rule for bwrap), or in a container run with --security-opt seccomp=unconfined.',
    );
  return result('bubblewrap', 'ok', `${version.text} makes sandboxes on this machine`);
}

/** chromium for the browser check of recommendations (optional: the check is skipped). */
export async function checkChromium(env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const bin = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  const version = await run(bin, ['--version'], 15_000);
  if (version.ok) return result('chromium', 'ok', version.text);
  return result(
    'chromium',
    'warn',
    `${bin}: ${version.text}; recommendations skip their browser check`,
    'Install it (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.',
  );
}

interface SystemHealth {
  checks: Array<{
    name: string;
    status: string;
    message?: string;
    detail?: Record<string, unknown>;
  }>;
}

/** The admin secret: SHEEN_ADMIN_SECRET, ADMIN_HMAC_SECRETS, or a local worker's admin.key. */
async function adminSecret(
  env: NodeJS.ProcessEnv,
): Promise<{ secret: string; source: string } | undefined> {
  if (env.SHEEN_ADMIN_SECRET)
    return { secret: env.SHEEN_ADMIN_SECRET, source: 'SHEEN_ADMIN_SECRET' };
  const first = env.ADMIN_HMAC_SECRETS?.split(',')[0]?.trim();
  if (first) return { secret: first, source: 'ADMIN_HMAC_SECRETS' };
  const file = localKeyPath(env, 'admin.key');
  const secret = (await readFile(file, 'utf8').catch(() => '')).trim();
  return secret ? { secret, source: file } : undefined;
}

/** PostgreSQL and Redis as the worker sees them (its admin health route). */
export async function checkDataServices(
  env: NodeJS.ProcessEnv,
  target: FailureContext['target'],
  workerUp: boolean,
): Promise<CheckResult[]> {
  const admin = await adminSecret(env);
  const why = !workerUp ? 'the worker is not reachable' : !admin ? 'needs the admin secret' : '';
  const fix = admin ? '' : "Set SHEEN_ADMIN_SECRET to one of the worker's ADMIN_HMAC_SECRETS.";
  if (why || !admin)
    return [
      result('postgresql', 'warn', `not checked: ${why}`, fix),
      result('redis', 'warn', `not checked: ${why}`, fix),
    ];
  const client = new WorkerClient({
    baseUrl: checkWorkerUrl(target.url),
    secret: admin.secret,
    timeoutMs: 20_000,
  });
  let health: SystemHealth;
  try {
    health = await client.json<SystemHealth>('GET', '/v1/admin/system-health');
  } catch (err) {
    const f = describeFailure(err, { command: 'doctor', target, secretSource: admin.source });
    const detail = `not checked: ${f.message}`;
    const adminFix = "Set SHEEN_ADMIN_SECRET to one of the worker's ADMIN_HMAC_SECRETS.";
    return [
      result('postgresql', 'warn', detail, adminFix),
      result('redis', 'warn', detail, adminFix),
    ];
  }
  return [databaseCheck(health), redisCheck(health)];
}

function databaseCheck(health: SystemHealth): CheckResult {
  const probe = health.checks.find((c) => c.name === 'database');
  if (probe?.detail?.kind === 'pglite')
    return result(
      'postgresql',
      'ok',
      'not configured: the worker uses its embedded database (PGlite)',
    );
  if (probe?.status === 'ok') return result('postgresql', 'ok', 'the worker reaches its database');
  return result(
    'postgresql',
    'fail',
    `the worker's database: ${probe?.message ?? probe?.status ?? 'no report'}`,
    'Start PostgreSQL or fix DATABASE_URL on the worker.',
  );
}

function redisCheck(health: SystemHealth): CheckResult {
  const probe = health.checks.find((c) => c.name === 'redis');
  if (!probe)
    return result('redis', 'ok', 'not configured: the worker queues jobs in its database');
  if (probe.status === 'ok') return result('redis', 'ok', 'the worker reaches Redis');
  return result(
    'redis',
    'fail',
    `the worker's Redis: ${probe.message ?? probe.status}`,
    'Start Redis or fix REDIS_URL on the worker.',
  );
}
