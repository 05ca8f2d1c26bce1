import { chmod, chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config.js';
import { assertBuildsCanReach, pathsBuildsNeed, unreachableByBuilds } from './reach-check.js';

const NOBODY = { uid: 65534, gid: 65534 };
const isRoot = process.getuid?.() === 0;

describe('what builds need to reach', () => {
  let root: string;
  let toolchain: {
    node: string;
    scripts: Record<'npm' | 'pnpm' | 'yarn', string>;
    paths: string[];
  };

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'sheen-reach-'));
    await chmod(root, 0o755);
    // A toolchain of its own, so the result does not depend on where this machine keeps Node.
    const tools = path.join(root, 'tools');
    await mkdir(path.join(tools, 'bin'), { recursive: true });
    await writeFile(path.join(tools, 'bin', 'node'), '', { mode: 0o755 });
    for (const name of ['npm', 'pnpm', 'yarn'])
      await writeFile(path.join(tools, `${name}.js`), '', { mode: 0o644 });
    toolchain = {
      node: path.join(tools, 'bin', 'node'),
      scripts: {
        npm: path.join(tools, 'npm.js'),
        pnpm: path.join(tools, 'pnpm.js'),
        yarn: path.join(tools, 'yarn.js'),
      },
      paths: [tools],
    };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const problemsFor = (dataDir: string, user = NOBODY) =>
    unreachableByBuilds(pathsBuildsNeed(dataDir, toolchain), [user]);

  it('names a 0700 parent of DATA_DIR and the chmod that fixes it', async () => {
    const home = path.join(root, 'home');
    await mkdir(path.join(home, 'data'), { recursive: true });
    await chmod(home, 0o700);
    const problems = await problemsFor(path.join(home, 'data'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`DATA_DIR: builds run as the sandbox user (uid 65534)`);
    expect(problems[0]).toContain(`${home} is mode 0700`);
    expect(problems[0]).toContain(`chmod o+x ${home}`);
    expect(problems[0]).toContain(`set DATA_DIR to a folder outside ${home}`);

    await chmod(home, 0o711);
    expect(await problemsFor(path.join(home, 'data'))).toEqual([]);
  });

  it('walks the real path of a DATA_DIR reached through a symlink', async () => {
    const hidden = path.join(root, 'hidden');
    await mkdir(path.join(hidden, 'data'), { recursive: true });
    await chmod(hidden, 0o700);
    await symlink(path.join(hidden, 'data'), path.join(root, 'link'));
    const problems = await problemsFor(path.join(root, 'link'));
    expect(problems.join('\n')).toContain(`chmod o+x ${hidden}`);
  });

  it('names a build folder inside DATA_DIR without sending DATA_DIR elsewhere', async () => {
    const data = path.join(root, 'data');
    await mkdir(path.join(data, 'cache'), { recursive: true });
    await chmod(path.join(data, 'cache'), 0o700);
    const [problem, ...rest] = await problemsFor(data);
    expect(rest).toEqual([]);
    expect(problem).toContain(`chmod o+x ${path.join(data, 'cache')}`);
    expect(problem).not.toContain('set DATA_DIR');
  });

  it('names a Node.js install the sandbox user cannot reach', async () => {
    await chmod(path.dirname(toolchain.node), 0o700);
    const problems = await problemsFor(path.join(root, 'data'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^toolchain: .*the Node\.js binary builds run/);
    expect(problems[0]).toContain(`chmod o+x ${path.dirname(toolchain.node)}`);
  });

  it.skipIf(!isRoot)(
    'lets the group bit count for a folder of the sandbox user’s group',
    async () => {
      const shared = path.join(root, 'shared');
      await mkdir(path.join(shared, 'data'), { recursive: true });
      await chown(shared, 0, NOBODY.gid);
      await chmod(shared, 0o710);
      expect(await problemsFor(path.join(shared, 'data'))).toEqual([]);
      // Another uid with its own group falls under "other", which has nothing.
      const other = await problemsFor(path.join(shared, 'data'), { uid: 200_000, gid: 200_000 });
      expect(other.join('\n')).toContain(`chmod o+x ${shared}`);
    },
  );

  it.skipIf(!isRoot)('refuses to start as root with a ConfigError naming the folder', async () => {
    const home = path.join(root, 'home');
    await mkdir(path.join(home, 'data'), { recursive: true });
    await chmod(home, 0o700);
    const check = assertBuildsCanReach(path.join(home, 'data'), toolchain, { base: 200_000 });
    await expect(check).rejects.toBeInstanceOf(ConfigError);
    await expect(check).rejects.toThrow(`chmod o+x ${home}`);
  });
});
