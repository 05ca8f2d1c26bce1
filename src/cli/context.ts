import { resolveSecretWithSource, WorkerClient } from './client.js';
import { ConfigError, type CommandContext } from './commands/shared.js';

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** The worker URL the CLI talks to and where it came from. */
export function targetOf(env: NodeJS.ProcessEnv): { url: string; source: string } {
  const fromEnv = env.SHEEN_URL?.trim();
  return fromEnv ? { url: fromEnv, source: 'SHEEN_URL' } : { url: DEFAULT_URL, source: 'default' };
}

/** SHEEN_URL as an origin the client can sign paths against, or a ConfigError naming the fix. */
export function checkWorkerUrl(url: string): string {
  const example = "Set SHEEN_URL to the worker's address, e.g. SHEEN_URL=http://127.0.0.1:8080.";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`SHEEN_URL is not a URL: "${url}".`, example);
  }
  if (!url.includes('://'))
    throw new ConfigError(
      `SHEEN_URL has no scheme: "${url}".`,
      `Write it with http:// or https://, e.g. SHEEN_URL=http://${url}.`,
    );
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new ConfigError(
      `SHEEN_URL must start with http:// or https://, not ${parsed.protocol}//.`,
      example,
    );
  if (parsed.username || parsed.password)
    throw new ConfigError(
      'SHEEN_URL must not carry a user name or password: requests are signed with SHEEN_SECRET.',
      example,
    );
  if (parsed.pathname !== '/' || parsed.search)
    throw new ConfigError(
      `SHEEN_URL must be the worker's origin, without a path or query (got "${url}").`,
      `Use ${parsed.origin}.`,
    );
  return parsed.origin;
}

export function createContext(
  env: NodeJS.ProcessEnv,
  values: Record<string, string | boolean | undefined>,
): CommandContext & { secretSource(): string | undefined } {
  const target = targetOf(env);
  let client: Promise<WorkerClient> | undefined;
  let secretSource: string | undefined;
  const make = async () => {
    const baseUrl = checkWorkerUrl(target.url);
    const { secret, source } = await resolveSecretWithSource(env);
    secretSource = source;
    return new WorkerClient({ baseUrl, secret, secretSource: source });
  };
  return {
    client: () => (client ??= make()),
    secretSource: () => secretSource,
    target,
    env,
    userId: typeof values.user === 'string' ? values.user : (env.SHEEN_USER ?? 'local'),
    json: values.json === true,
    out: process.stdout,
    interactive: Boolean(process.stdout.isTTY) && values.json !== true,
  };
}
