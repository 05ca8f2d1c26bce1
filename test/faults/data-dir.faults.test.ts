import { chmod, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnChild, stopChild, type Child } from './support/child.js';
import { baseEnv, scenarioDirs, type Scenario } from './support/environment.js';
import { MAIN } from './support/servers.js';

/**
 * (e) Builds run as unprivileged sandbox users, which must traverse every folder above
 * DATA_DIR. A parent the sandbox user cannot enter (mode 0700, a data folder under root's
 * home for instance) made every build fail at install with a misleading hint; the server
 * must refuse to start instead, naming the folder. Only root runs builds as other users.
 */
describe.skipIf(process.getuid?.() !== 0)('a DATA_DIR the sandbox user cannot reach', () => {
  let dirs: Scenario | undefined;
  let server: Child | undefined;
  afterAll(async () => {
    if (server) await stopChild(server, 'SIGKILL');
    if (dirs && !process.env.FAULT_KEEP) await rm(dirs.root, { recursive: true, force: true });
  });

  it('refuses to start, naming the folder', async () => {
    dirs = await scenarioDirs('data-dir');
    const closed = path.join(dirs.root, 'private');
    await mkdir(closed);
    await chmod(closed, 0o700);
    const dataDir = path.join(closed, 'data');
    server = spawnChild('closed-parent', process.execPath, [MAIN], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        PORT: '0',
        ...baseEnv(dataDir, 'http://127.0.0.1:9/hooks'),
      },
      logFile: path.join(dirs.logDir, 'closed-parent.log'),
    });
    const started = await server.waitFor(/SheenApps Worker ready/, 120_000).then(
      () => true,
      () => false,
    );
    // Still running but not ready after two minutes is no refusal either: it ends here.
    const exit =
      server.process.exitCode === null ? await stopChild(server, 'SIGKILL') : await server.exited;
    expect(started, server.tail()).toBe(false);
    expect(exit.code, server.tail()).not.toBe(0);
    expect(exit.signal, server.tail()).toBeNull();
    // The folder itself, not merely some path below it (any error about DATA_DIR has those).
    const named = new RegExp(`${closed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w/.-])`);
    expect(server.tail()).toMatch(named);
  }, 180_000);
});
