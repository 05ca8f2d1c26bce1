import { readFile } from 'node:fs/promises';
import { localSecretPaths } from '../auth/local-secrets.js';
import { ConfigError, loadConfig } from '../config/config.js';
import { MAX_SIGNED_LINK_SECONDS, signSigninToken } from './signin-link.js';

/**
 * `npm run console-link [-- --ttl <seconds>]`: prints a one-time console sign-in link signed
 * with the admin secret (ADMIN_HMAC_SECRETS, else DATA_DIR/secrets/admin.key), for an
 * operator who no longer has the link the worker printed at start. It needs the secret, not
 * the worker: any process holding the secret can mint one, and each works once.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const ttl = ttlFrom(process.argv.slice(2));
  const secret = config.auth.adminSecrets[0] ?? (await readAdminKey(config.dataDir));
  const host =
    config.http.host === '0.0.0.0' || config.http.host === '::' ? 'localhost' : config.http.host;
  const base = config.http.publicUrl?.replace(/\/$/, '') ?? `http://${host}:${config.http.port}`;
  const token = signSigninToken(secret, ttl);
  process.stdout.write(`${base}/console/signin?token=${token}\n`);
  process.stderr.write(`(works once, for ${ttl} s)\n`);
}

function ttlFrom(args: string[]): number {
  const at = args.indexOf('--ttl');
  if (at === -1) return 900;
  const value = Number(args[at + 1]);
  if (!Number.isInteger(value) || value < 1 || value > MAX_SIGNED_LINK_SECONDS) {
    throw new ConfigError([
      `--ttl must be a whole number of seconds from 1 to ${MAX_SIGNED_LINK_SECONDS}`,
    ]);
  }
  return value;
}

async function readAdminKey(dataDir: string): Promise<string> {
  const file = localSecretPaths(dataDir).admin;
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    throw new ConfigError([
      `ADMIN_HMAC_SECRETS: not set, and ${file} is not readable (set DATA_DIR to the worker's)`,
    ]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(err instanceof ConfigError ? 78 : 1);
});
