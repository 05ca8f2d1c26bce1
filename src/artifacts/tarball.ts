import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import * as tar from 'tar';

/**
 * Packs a directory into a gzipped tarball of regular files and directories only: symlinks,
 * devices and the like never enter an artifact, so nothing served later can point outside it.
 */
export async function packDirectory(
  dir: string,
  outFile: string,
  exclude: (relPath: string) => boolean = () => false,
): Promise<{ sha256: string; sizeBytes: number }> {
  await tar.create(
    {
      gzip: { level: 6 },
      file: outFile,
      cwd: dir,
      portable: true,
      noMtime: true,
      follow: false,
      filter: (p, entry) => {
        const rel = p.replace(/^\.\//, '');
        if (rel !== '.' && exclude(rel)) return false;
        const s = entry as { isFile?: () => boolean; isDirectory?: () => boolean };
        return Boolean(s.isFile?.() || s.isDirectory?.());
      },
    },
    ['.'],
  );
  return { sha256: await sha256File(outFile), sizeBytes: (await stat(outFile)).size };
}

/** Extracts only files and directories, never outside `dest` (node-tar refuses `..` paths). */
export async function extractTarball(file: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  await tar.extract({
    file,
    cwd: dest,
    strict: true,
    preserveOwner: false,
    filter: (_p, entry) => {
      const type = (entry as { type?: string }).type;
      return type === 'File' || type === 'Directory' || type === 'OldFile';
    },
  });
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
