import { readdir } from 'node:fs/promises';
import path from 'node:path';

const list = (dir: string) => readdir(dir).catch(() => [] as string[]);

/**
 * Everything under DATA_DIR that a finished build must not leave behind: its workspace,
 * scratch directories, preview staging, artifact copies and dependency-cache staging.
 */
export async function leftovers(dataDir: string): Promise<string[]> {
  const at = (...parts: string[]) => path.join(dataDir, ...parts);
  const artifactDirs = await list(at('artifacts', 'sha256'));
  const artifactTmp = (
    await Promise.all(
      artifactDirs.map(async (d) =>
        (await list(at('artifacts', 'sha256', d))).map((f) => `artifacts/sha256/${d}/${f}`),
      ),
    )
  )
    .flat()
    .filter((f) => f.endsWith('.tmp'));
  return [
    ...(await list(at('workspaces'))).map((w) => `workspaces/${w}`),
    ...(await list(at('tmp'))).map((t) => `tmp/${t}`),
    ...(await list(at('previews'))).filter((p) => p.startsWith('.')).map((p) => `previews/${p}`),
    ...(await list(at('cache', 'deps')))
      .filter((d) => d.includes('.tmp-'))
      .map((d) => `cache/deps/${d}`),
    ...artifactTmp,
  ];
}
