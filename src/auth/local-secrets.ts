import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';

export interface LocalSecretsResult {
  config: Config;
  /** Files created on this run (paths only; the values are never printed). */
  created: string[];
  /** Files read because the environment configured no secret. */
  loaded: string[];
}

export function localSecretPaths(dataDir: string) {
  const dir = path.join(dataDir, 'secrets');
  return { dir, hmac: path.join(dir, 'hmac.key'), admin: path.join(dir, 'admin.key') };
}

/**
 * Embedded first run: with no secrets in the environment, read them from DATA_DIR/secrets,
 * creating them (0600, directory 0700) if absent. Secrets from the environment always win.
 */
export async function withLocalSecrets(config: Config): Promise<LocalSecretsResult> {
  const paths = localSecretPaths(config.dataDir);
  const created: string[] = [];
  const loaded: string[] = [];

  const resolve = async (fromEnv: string[], file: string): Promise<string[]> => {
    if (fromEnv.length > 0) return fromEnv;
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    await chmod(paths.dir, 0o700);
    try {
      const existing = (await readFile(file, 'utf8')).trim();
      if (existing.length >= 32) {
        loaded.push(file);
        return [existing];
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const secret = randomBytes(32).toString('hex');
    // 'wx' fails if another process created the file meanwhile: then read theirs.
    try {
      await writeFile(file, secret + '\n', { mode: 0o600, flag: 'wx' });
      created.push(file);
      return [secret];
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      loaded.push(file);
      return [(await readFile(file, 'utf8')).trim()];
    }
  };

  const secrets = await resolve(config.auth.secrets, paths.hmac);
  const adminSecrets = await resolve(config.auth.adminSecrets, paths.admin);
  return {
    config: { ...config, auth: { ...config.auth, secrets, adminSecrets } },
    created,
    loaded,
  };
}
