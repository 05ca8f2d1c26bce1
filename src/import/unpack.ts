import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EntryGuard, type UnpackLimits } from './entry-guard.js';
import { refuse } from './import-error.js';
import { unpackTar } from './unpack-tar.js';
import { unpackZip } from './unpack-zip.js';

export type { UnpackLimits } from './entry-guard.js';
export type ArchiveKind = 'tar.gz' | 'tar' | 'zip';

export interface Unpacked {
  /** The project's folder: the unpack folder, or its single top-level folder. */
  root: string;
  kind: ArchiveKind;
  entries: number;
  bytes: number;
}

/** The kind of archive, from its first bytes (a file name or content type can say anything). */
export function archiveKind(bytes: Buffer): ArchiveKind | undefined {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'tar.gz';
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'zip';
  if (bytes.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return undefined;
}

/**
 * Unpacks an uploaded archive into `workDir` (a fresh folder the caller owns and removes),
 * refusing rather than repairing anything unsafe. Nothing is written outside `workDir/files`.
 */
export async function unpackArchive(
  archive: Buffer,
  workDir: string,
  limits: UnpackLimits,
): Promise<Unpacked> {
  const kind = archiveKind(archive);
  if (!kind) {
    throw refuse(
      'IMPORT_UNSUPPORTED_ARCHIVE',
      'The upload is not a .tar.gz, .tgz or .zip archive (its first bytes say so).',
    );
  }
  const file = path.join(workDir, kind === 'zip' ? 'upload.zip' : 'upload.tar.gz');
  await writeFile(file, archive, { mode: 0o600 });
  const target = path.join(workDir, 'files');
  await mkdir(target, { mode: 0o755 });
  const guard = new EntryGuard(target, limits, archive.length);
  if (kind === 'zip') await unpackZip(file, guard, limits.maxRatio);
  else await unpackTar(file, guard);
  const root = await projectRoot(target);
  return { root, kind, ...guard.totals };
}

/**
 * The folder the project is in: archives of a folder hold one top-level folder, stripped
 * here. The project needs a package.json or an index.html at its top.
 */
async function projectRoot(target: string): Promise<string> {
  const top = await readdir(target, { withFileTypes: true });
  const only = top.length === 1 ? top[0] : undefined;
  const root = only?.isDirectory() ? path.join(target, only.name) : target;
  for (const marker of ['package.json', 'index.html']) {
    const found = await stat(path.join(root, marker)).catch(() => undefined);
    if (found?.isFile()) return root;
  }
  throw refuse(
    'IMPORT_NOT_A_PROJECT',
    'The archive has no package.json or index.html at its top (or inside its single top-level folder).',
  );
}
