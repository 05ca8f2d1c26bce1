import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import * as tar from 'tar';

/** Never sent: installed dependencies and version-control internals (the worker refuses .git). */
const ALWAYS_LEFT_OUT = new Set(['node_modules', '.git']);

/**
 * Packs a local project folder as a .tar.gz in memory, under one top-level folder named after
 * it, leaving out node_modules, .git and what the root .gitignore ignores. Symbolic links
 * are left out too: the worker imports only files and folders.
 */
export async function packProject(dir: string): Promise<{ bytes: Buffer; files: number }> {
  const root = path.resolve(dir);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const rules = ignore();
  const gitignore = await readFile(path.join(root, '.gitignore'), 'utf8').catch(() => '');
  rules.add(gitignore);
  let files = 0;
  const chunks: Buffer[] = [];
  const stream = tar.create(
    {
      gzip: true,
      cwd: root,
      portable: true,
      prefix: path.basename(root) || 'project',
      filter: (rel, entry) => {
        if (rel.split('/').some((part) => ALWAYS_LEFT_OUT.has(part))) return false;
        const isDir = 'isDirectory' in entry && entry.isDirectory();
        if ('isSymbolicLink' in entry && entry.isSymbolicLink()) return false;
        if (rules.ignores(isDir ? `${rel}/` : rel)) return false;
        if (!isDir) files++;
        return true;
      },
    },
    await readdir(root),
  );
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return { bytes: Buffer.concat(chunks), files };
}
