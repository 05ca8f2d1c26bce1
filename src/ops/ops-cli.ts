import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { localSecretPaths } from '../auth/local-secrets.js';
import { ConfigError, loadConfig, secretValues, type Config } from '../config/config.js';
import { createRedactor, type Redactor } from '../observability/redact.js';

/** What `npm run backup` and `npm run restore` share: config, arguments, output, exit codes. */

export class UsageError extends Error {}

export interface OpsContext {
  config: Config;
  redact: Redactor;
  /** One line of progress for the operator (stdout). */
  say: (line: string) => void;
}

export function opsContext(env: Record<string, string | undefined>): OpsContext {
  const config = loadConfig(env);
  const redact = createRedactor(secretValues(config));
  return { config, redact, say: (line) => process.stdout.write(`${redact(line)}\n`) };
}

/**
 * The directory (positional, or the `dirFlag` option, else `fallback`) plus the flags given;
 * unknown flags are a usage error.
 */
export function parseOpsArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  usage: string,
  dirFlag: keyof O & string,
  fallback?: string,
): {
  dir: string;
  values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true }>>['values'];
} {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  const [positional, ...rest] = parsed.positionals;
  const flag = (parsed.values as Record<string, unknown>)[dirFlag];
  const dir = positional ?? (typeof flag === 'string' ? flag : fallback);
  if (!dir || rest.length > 0 || (positional && typeof flag === 'string')) {
    throw new UsageError(usage);
  }
  return { dir, values: parsed.values };
}

/** The admin secret to sign with: ADMIN_HMAC_SECRETS, else the embedded worker's own key. */
export async function adminSecret(config: Config): Promise<string> {
  return signingSecret(config, 'admin');
}

/**
 * The first secret of HMAC_SECRETS (`app`) or ADMIN_HMAC_SECRETS (`admin`), else the key the
 * embedded worker generated: during a rotation, put the one to sign with first.
 */
export async function signingSecret(config: Config, level: 'app' | 'admin'): Promise<string> {
  const fromEnv = (level === 'admin' ? config.auth.adminSecrets : config.auth.secrets)[0];
  if (fromEnv) return fromEnv;
  const paths = localSecretPaths(config.dataDir);
  const file = level === 'admin' ? paths.admin : paths.hmac;
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    throw new Error(
      `no admin secret: set ADMIN_HMAC_SECRETS, or DATA_DIR to the worker's (${file} is unreadable)`,
    );
  }
}

/**
 * Runs a command's main, mapping failures to exit codes: 2 usage, 78 config, 1 the rest. The
 * message is scrubbed with the redactor `main` hands over once config is parsed (before that,
 * by shape only: URL passwords and the like).
 */
export function runCommand(
  name: string,
  main: (useRedactor: (redact: Redactor) => void) => Promise<void>,
): void {
  let redact = createRedactor([]);
  main((r) => (redact = r)).then(
    () => process.exit(0),
    (err: unknown) => {
      const code = err instanceof UsageError ? 2 : err instanceof ConfigError ? 78 : 1;
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`${name} failed: ${redact(message)}\n`);
      process.exit(code);
    },
  );
}
