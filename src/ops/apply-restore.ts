import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { StoredArtifact } from '../artifacts/artifact-store.js';
import { FsArtifactStore } from '../artifacts/fs-artifact-store.js';
import { S3ArtifactStore } from '../artifacts/s3-artifact-store.js';
import { localSecretPaths } from '../auth/local-secrets.js';
import type { Config } from '../config/config.js';
import type { Db } from '../db/db.js';
import { loadMigrations } from '../db/migrate.js';
import { hasDatabase, openPglite } from '../db/pglite.js';
import { openPostgres } from '../db/postgres.js';
import { BackupRepository } from '../repositories/backup.repo.js';
import { readManifest, verifyBackup, type BackupManifest } from './backup-format.js';
import { pgRestore, pgTarget } from './pg-tools.js';

export interface RestoreOptions {
  config: Config;
  /** A directory `takeBackup` wrote. */
  from: string;
  /** Replace a database that already holds data. */
  force: boolean;
  /** Put the backup's signing keys back under DATA_DIR/secrets. */
  withSecrets: boolean;
  say: (line: string) => void;
}

const repo = new BackupRepository();

/**
 * Checks everything before it changes anything (format, profile, schema level, every checksum,
 * an empty target or --force), then restores artifacts before the database, so the restored
 * database never names an artifact that is not in the store yet. The worker must be stopped.
 */
export async function applyRestore(options: RestoreOptions): Promise<BackupManifest> {
  const { config, say } = options;
  const from = path.resolve(options.from);
  const manifest = await readManifest(from);
  await checkCompatible(config, manifest);
  if (options.withSecrets && !manifest.secrets.included) {
    throw new Error('--with-secrets: this backup holds no secrets (it was taken without them)');
  }
  say(`verifying ${1 + manifest.artifacts.count + manifest.secrets.files.length} checksums`);
  const problems = await verifyBackup(from, manifest);
  if (problems.length > 0) {
    throw new Error(`the backup is damaged; nothing was changed:\n  ${problems.join('\n  ')}`);
  }
  await clearTarget(config, manifest, options.force, say);

  await restoreArtifacts(config, from, manifest);
  say(`artifacts: ${manifest.artifacts.count} restored`);
  await restoreDatabase(config, from, manifest);
  say(`database: restored at schema version ${manifest.schemaVersion}`);
  if (manifest.artifacts.missing.length > 0) {
    say(
      `artifacts: ${manifest.artifacts.missing.length} missing from the backup, their versions marked deleted`,
    );
  }
  if (options.withSecrets) {
    await restoreSecrets(config, from, manifest);
    say(`secrets: ${manifest.secrets.files.length} key files restored under DATA_DIR/secrets`);
  } else {
    say(
      'secrets: not restored. Signing keys come from the operator: set HMAC_SECRETS and ADMIN_HMAC_SECRETS ' +
        '(an embedded worker without them generates new keys under DATA_DIR/secrets, which clients must then be given), ' +
        'or restore with --with-secrets from a backup taken with --with-secrets.',
    );
  }
  return manifest;
}

async function checkCompatible(config: Config, manifest: BackupManifest): Promise<void> {
  const profile = config.database.kind === 'postgres' ? 'postgres' : 'embedded';
  if (manifest.profile !== profile) {
    throw new Error(
      `this backup holds a ${manifest.profile} database and the target is ${profile}: ` +
        (manifest.profile === 'postgres' ? 'set DATABASE_URL' : 'unset DATABASE_URL'),
    );
  }
  const known = Math.max(0, ...(await loadMigrations()).map((m) => m.version));
  if (manifest.schemaVersion > known) {
    throw new Error(
      `the backup is at schema version ${manifest.schemaVersion}, newer than this worker knows (${known}): restore with the worker version that took it (${manifest.workerVersion}) or newer`,
    );
  }
}

/** Refuses a target holding data unless forced; forced, clears what the restore replaces. */
async function clearTarget(
  config: Config,
  manifest: BackupManifest,
  force: boolean,
  say: (line: string) => void,
): Promise<void> {
  if (config.database.kind === 'pglite') {
    if (!hasDatabase(config.database.dir)) return;
    if (!force) {
      throw new Error(
        `${config.database.dir} already holds a database: stop the worker and pass --force to replace it`,
      );
    }
    say(`database: removing the database in ${config.database.dir} (--force)`);
    await rm(config.database.dir, { recursive: true, force: true });
    // Unpacked previews belong to the old data; they fill again from the artifact store.
    await rm(path.join(config.dataDir, 'previews'), { recursive: true, force: true });
    return;
  }
  await withPostgres(config.database.url, async (db) => {
    if (!(await repo.hasSchema(db))) return;
    if (!force) {
      throw new Error('the target database already holds a schema: pass --force to replace it');
    }
    const level = await repo.migrationLevel(db);
    if (level > manifest.schemaVersion) {
      // pg_restore --clean drops only what the dump holds: tables of later migrations would stay.
      throw new Error(
        `the target database is at schema version ${level}, newer than the backup's ${manifest.schemaVersion}: restore into an empty database`,
      );
    }
    say('database: replacing the objects of the target database (--force)');
  });
}

async function restoreArtifacts(config: Config, from: string, manifest: BackupManifest) {
  const fsStore = new FsArtifactStore(path.join(config.dataDir, 'artifacts'));
  const store = config.artifacts.store;
  const s3 = store.kind === 's3' ? new S3ArtifactStore(store) : undefined;
  try {
    for (const item of manifest.artifacts.items) {
      const target = item.storageKind === 'fs' ? fsStore : s3;
      if (!target) {
        throw new Error(
          `artifact ${item.sha256} was in S3: set ARTIFACT_STORE=s3 and the S3_* settings`,
        );
      }
      const stored: StoredArtifact = await target.put(
        path.join(from, item.file),
        item.sha256,
        item.sizeBytes,
      );
      if (stored.storageKey !== item.storageKey) {
        throw new Error(
          `artifact ${item.sha256} stored as ${stored.storageKey}, the database names ${item.storageKey}`,
        );
      }
    }
  } finally {
    s3?.close();
  }
}

async function restoreDatabase(config: Config, from: string, manifest: BackupManifest) {
  const file = path.join(from, manifest.database.file);
  const missing = manifest.artifacts.missing.map((m) => m.id);
  if (config.database.kind === 'pglite') {
    const dump = new Blob([await readFile(file)]);
    const db = await openPglite(config.database.dir, { loadDataDir: dump });
    try {
      await repo.retire(db, missing);
    } finally {
      await db.close();
    }
    return;
  }
  await pgRestore(pgTarget(config.database.url, config.systemPath), file);
  await withPostgres(config.database.url, (db) => repo.retire(db, missing));
}

async function restoreSecrets(config: Config, from: string, manifest: BackupManifest) {
  const dir = localSecretPaths(config.dataDir).dir;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  for (const entry of manifest.secrets.files) {
    const target = path.join(dir, path.basename(entry.file));
    await copyFile(path.join(from, entry.file), target);
    await chmod(target, 0o600);
  }
}

async function withPostgres<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = openPostgres({ url, poolMax: 1 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}
