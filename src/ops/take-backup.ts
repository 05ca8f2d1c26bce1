import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArtifactNotFoundError } from '../artifacts/artifact-store.js';
import { createArtifactStore } from '../artifacts/create-artifact-store.js';
import { localSecretPaths } from '../auth/local-secrets.js';
import { signRequest } from '../auth/signing.js';
import type { Config } from '../config/config.js';
import { openPglite } from '../db/pglite.js';
import { openPostgres } from '../db/postgres.js';
import { BackupRepository, type BackupArtifact } from '../repositories/backup.repo.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  DATABASE_FILES,
  MANIFEST_FILE,
  SECRET_FILES,
  artifactFile,
  sha256File,
  type BackupManifest,
} from './backup-format.js';
import { adminSecret } from './ops-cli.js';
import { pgDump, pgTarget } from './pg-tools.js';

export interface BackupOptions {
  config: Config;
  /** The backup directory to create; it must not exist yet. */
  out: string;
  /** Also copy the embedded worker's generated signing keys (DATA_DIR/secrets). */
  withSecrets: boolean;
  /** The running embedded worker (its admin route dumps the database). */
  workerUrl: string;
  say: (line: string) => void;
}

/** What the database step found in its dump: the schema level and every artifact it names. */
interface DumpContents {
  schemaVersion: number;
  artifacts: BackupArtifact[];
}

const repo = new BackupRepository();
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

/**
 * Database first, then artifacts. Artifacts are immutable files named by their hash, and a
 * build records an artifact's row only after its bytes are stored, so every artifact the dump
 * names is already in the store when the copy starts; builds that finish meanwhile add rows
 * the dump does not hold and files the copy does not need. Written to a staging directory and
 * renamed at the end, so a backup cut short never looks whole.
 */
export async function takeBackup(options: BackupOptions): Promise<BackupManifest> {
  const out = path.resolve(options.out);
  if (await exists(out)) throw new Error(`${out} already exists: name a new directory`);
  const work = `${out}.partial-${process.pid}`;
  await mkdir(work, { recursive: true, mode: 0o700 });
  try {
    const manifest = await fillBackup(work, options);
    await writeFile(path.join(work, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    await rename(work, out);
    return manifest;
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function fillBackup(work: string, options: BackupOptions): Promise<BackupManifest> {
  const { config, say } = options;
  // The moment of the dump: what a restore brings back is the state as of this time.
  const createdAt = new Date().toISOString();
  const profile = config.database.kind === 'postgres' ? 'postgres' : 'embedded';
  const dbFile = path.join(work, DATABASE_FILES[profile]);
  say(`database: dumping the ${profile} database`);
  const contents =
    config.database.kind === 'postgres'
      ? await dumpPostgres(config, config.database.url, dbFile)
      : await dumpEmbedded(config, options.workerUrl, dbFile);
  const database = await entry(work, dbFile);
  say(`database: ${database.sizeBytes} bytes, schema version ${contents.schemaVersion}`);

  const artifacts = await copyArtifacts(config, work, contents.artifacts);
  say(`artifacts: ${artifacts.items.length} copied, ${artifacts.totalBytes} bytes`);
  for (const gone of artifacts.missing) {
    say(`artifacts: ${gone.sha256} was deleted by retention before it was copied`);
  }
  const secrets = options.withSecrets
    ? await copySecrets(config, work)
    : { included: false, files: [] };
  say(
    secrets.included
      ? `secrets: ${secrets.files.length} key files included: keep this backup as secret as the keys`
      : 'secrets: not included (signing keys stay with the operator)',
  );
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    profile,
    createdAt,
    workerVersion: VERSION,
    schemaVersion: contents.schemaVersion,
    database,
    artifacts: { count: artifacts.items.length, ...artifacts },
    secrets,
  };
}

/**
 * pg_dump runs on a snapshot this transaction exports, and the artifact list is read in the
 * same transaction: both see one committed state however many builds write meanwhile.
 */
async function dumpPostgres(config: Config, url: string, file: string): Promise<DumpContents> {
  const db = openPostgres({ url, poolMax: 1 });
  try {
    return await db.transaction(async (tx) => {
      const snapshot = await repo.exportSnapshot(tx);
      await pgDump(pgTarget(url, config.systemPath), snapshot, file);
      return {
        schemaVersion: await repo.migrationLevel(tx),
        artifacts: await repo.liveArtifacts(tx),
      };
    });
  } finally {
    await db.close();
  }
}

/**
 * PGlite's data directory belongs to the running worker: ask it for a dump (taken between
 * transactions), then open the dump here, in memory, to read what it holds.
 */
async function dumpEmbedded(
  config: Config,
  workerUrl: string,
  file: string,
): Promise<DumpContents> {
  const route = '/v1/admin/backup/database';
  const secret = await adminSecret(config);
  const res = await fetch(new URL(route, workerUrl), {
    headers: signRequest({ secret, method: 'GET', pathWithQuery: route }),
  }).catch((err: Error) => {
    throw new Error(
      `cannot reach the worker at ${workerUrl} (${err.message}); the embedded database is backed up through the running worker: start it, or pass --url`,
    );
  });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => undefined)) as
      { error?: { code: string; message: string } } | undefined;
    throw new Error(
      `the worker refused the dump: ${res.status} ${body?.error?.code ?? ''} ${body?.error?.message ?? ''}`.trim(),
    );
  }
  await pipeline(Readable.fromWeb(res.body), createWriteStream(file));
  const db = await openPglite(undefined, { loadDataDir: new Blob([await readFile(file)]) });
  try {
    return {
      schemaVersion: await repo.migrationLevel(db),
      artifacts: await repo.liveArtifacts(db),
    };
  } finally {
    await db.close();
  }
}

/** Each artifact through the ArtifactStore port, so its bytes are checked as they are read. */
async function copyArtifacts(config: Config, work: string, artifacts: BackupArtifact[]) {
  const { store, s3 } = await createArtifactStore(config);
  const items: BackupManifest['artifacts']['items'] = [];
  const missing: BackupManifest['artifacts']['missing'] = [];
  let totalBytes = 0;
  try {
    for (const artifact of artifacts) {
      const file = artifactFile(artifact.sha256);
      await mkdir(path.dirname(path.join(work, file)), { recursive: true });
      try {
        await store.fetch(artifact, path.join(work, file));
      } catch (err) {
        if (!(err instanceof ArtifactNotFoundError)) throw err;
        missing.push({ id: artifact.id, sha256: artifact.sha256 });
        continue;
      }
      const { sizeBytes, id, sha256, storageKind, storageKey } = artifact;
      items.push({ file, sha256, sizeBytes, id, storageKind, storageKey });
      totalBytes += sizeBytes;
    }
  } finally {
    s3?.close();
  }
  return { items, missing, totalBytes };
}

async function copySecrets(config: Config, work: string): Promise<BackupManifest['secrets']> {
  const from = localSecretPaths(config.dataDir).dir;
  await mkdir(path.join(work, 'secrets'), { mode: 0o700 });
  const files: BackupManifest['secrets']['files'] = [];
  for (const name of SECRET_FILES) {
    const source = path.join(from, name);
    if (!(await exists(source))) continue;
    const target = path.join(work, 'secrets', name);
    await copyFile(source, target);
    await chmod(target, 0o600);
    files.push(await entry(work, target));
  }
  if (files.length === 0) {
    throw new Error(
      `--with-secrets: ${from} holds no key files; secrets set in the environment stay in the operator's secret store`,
    );
  }
  return { included: true, files };
}

async function entry(root: string, file: string) {
  const info = await stat(file);
  return { file: path.relative(root, file), sha256: await sha256File(file), sizeBytes: info.size };
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}
