import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** The newest modification time of any file under `dir` (0 when it does not exist). */
async function newest(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  const times = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map((e) => stat(path.join(e.parentPath, e.name)).then((s) => s.mtimeMs)),
  );
  return Math.max(0, ...times);
}

/**
 * The suite runs the built server (`node dist/main.js`), as production does. CI builds before
 * its tests, so this usually finds dist/ current; after a source change it runs the build.
 */
export default async function setup(): Promise<void> {
  const built = await stat(path.join(ROOT, 'dist/main.js')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built > 0 && built >= (await newest(path.join(ROOT, 'src')))) return;
  process.stdout.write('[faults] dist/ is missing or older than src/: running npm run build\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  await run(npm, ['run', 'build'], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 });
}
