import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BACKUP_FORMAT,
  MANIFEST_FILE,
  readManifest,
  sha256File,
  verifyBackup,
  type BackupManifest,
} from './backup-format.js';

describe('backup directory checks', () => {
  let dir: string;
  let manifest: BackupManifest;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sheen-format-'));
    await writeFile(path.join(dir, 'database.tar.gz'), 'database bytes');
    await mkdir(path.join(dir, 'secrets'));
    await writeFile(path.join(dir, 'secrets', 'hmac.key'), 'k'.repeat(64));
    const entry = async (file: string) => ({
      file,
      sha256: await sha256File(path.join(dir, file)),
      sizeBytes: 1,
    });
    manifest = {
      format: BACKUP_FORMAT,
      formatVersion: 1,
      profile: 'embedded',
      createdAt: new Date().toISOString(),
      workerVersion: '0.1.0',
      schemaVersion: 9,
      database: await entry('database.tar.gz'),
      artifacts: { count: 0, totalBytes: 0, items: [], missing: [] },
      secrets: { included: true, files: [await entry('secrets/hmac.key')] },
    };
    await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a manifest and finds the backup whole', async () => {
    expect(await readManifest(dir)).toEqual(manifest);
    expect(await verifyBackup(dir, manifest)).toEqual([]);
  });

  it('names a changed file, a missing one and one outside the backup', async () => {
    await writeFile(path.join(dir, 'database.tar.gz'), 'other bytes');
    await rm(path.join(dir, 'secrets', 'hmac.key'));
    const escaping = { ...manifest.database, file: '../outside' };
    const problems = await verifyBackup(dir, {
      ...manifest,
      artifacts: {
        ...manifest.artifacts,
        items: [{ ...escaping, id: 'x', storageKind: 'fs', storageKey: 'k' }],
      },
    });
    expect(problems).toEqual([
      'database.tar.gz: checksum mismatch',
      '../outside: outside the backup',
      'secrets/hmac.key: ENOENT',
    ]);
  });

  it('refuses a manifest of another format or version', async () => {
    await writeFile(
      path.join(dir, MANIFEST_FILE),
      JSON.stringify({ ...manifest, formatVersion: 2 }),
    );
    await expect(readManifest(dir)).rejects.toThrow(/formatVersion/);
    await rm(path.join(dir, MANIFEST_FILE));
    await expect(readManifest(dir)).rejects.toThrow(/no readable manifest.json/);
  });
});
