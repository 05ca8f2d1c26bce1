import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { contentPath } from '../artifacts/artifact-store.js';

/**
 * The layout of a backup directory. Everything in it is named in manifest.json with its
 * SHA-256, which restore checks before it changes anything:
 *
 *   manifest.json
 *   database.tar.gz | database.pgdump   the embedded data directory, or pg_dump's custom format
 *   artifacts/sha256/<ab>/<sha256>.tar.gz
 *   secrets/hmac.key, secrets/admin.key  only with --with-secrets (embedded profile)
 */
export const BACKUP_FORMAT = 'sheenapps-worker-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const DATABASE_FILES = { embedded: 'database.tar.gz', postgres: 'database.pgdump' } as const;
export const SECRET_FILES = ['hmac.key', 'admin.key'] as const;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const fileEntry = z.object({
  file: z.string().min(1),
  sha256,
  sizeBytes: z.number().int().nonnegative(),
});

export const manifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  profile: z.enum(['embedded', 'postgres']),
  createdAt: z.iso.datetime(),
  workerVersion: z.string(),
  /** The highest migration applied to the database in the dump. */
  schemaVersion: z.number().int().nonnegative(),
  database: fileEntry,
  artifacts: z.object({
    count: z.number().int().nonnegative(),
    totalBytes: z.number().int().nonnegative(),
    items: z.array(
      fileEntry.extend({
        id: z.string(),
        storageKind: z.enum(['fs', 's3']),
        storageKey: z.string(),
      }),
    ),
    /** Artifacts the dump names that retention deleted before they could be copied. */
    missing: z.array(z.object({ id: z.string(), sha256 })),
  }),
  secrets: z.object({
    included: z.boolean(),
    files: z.array(fileEntry),
  }),
});

export type BackupManifest = z.infer<typeof manifestSchema>;

/** Where an artifact's bytes sit inside a backup (the same content path as the stores). */
export function artifactFile(sha: string): string {
  return path.join('artifacts', contentPath(sha));
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
  } catch (err) {
    throw new Error(`${dir} holds no readable ${MANIFEST_FILE}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${MANIFEST_FILE} is not a backup this worker reads (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data;
}

/**
 * Every file the manifest names, hashed again. Returns the problems (empty when the backup is
 * whole); paths are checked to stay inside the backup.
 */
export async function verifyBackup(dir: string, manifest: BackupManifest): Promise<string[]> {
  const entries = [manifest.database, ...manifest.artifacts.items, ...manifest.secrets.files];
  const problems: string[] = [];
  const root = path.resolve(dir);
  for (const entry of entries) {
    const file = path.resolve(root, entry.file);
    if (!file.startsWith(root + path.sep)) {
      problems.push(`${entry.file}: outside the backup`);
      continue;
    }
    const actual = await sha256File(file).catch((err: NodeJS.ErrnoException) => err.code ?? 'ERR');
    if (actual !== entry.sha256) {
      problems.push(
        `${entry.file}: ${/^[0-9a-f]{64}$/.test(actual) ? 'checksum mismatch' : actual}`,
      );
    }
  }
  return problems;
}
