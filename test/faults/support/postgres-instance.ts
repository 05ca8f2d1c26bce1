import { execFile } from 'node:child_process';
import { chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, spawnChild, stopChild, type Child } from './child.js';

const run = promisify(execFile);
const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of the suite's own, in a temporary directory on a free port, so the
 * suite can stop and start it without touching the shared one. Root may not run PostgreSQL:
 * it runs as the `postgres` account.
 */
export interface PostgresInstance {
  url: string;
  port: number;
  /** Starts the server (again, after stop or kill): the data survives. */
  start(): Promise<void>;
  /** A fast shutdown (SIGINT to the postmaster: clients are disconnected, no crash recovery). */
  stopFast(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

async function postgresAccount(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error('no postgres account: install PostgreSQL (apt-get install postgresql)');
  }
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(logDir: string): Promise<PostgresInstance> {
  const account = process.getuid?.() === 0 ? await postgresAccount() : undefined;
  const root = await mkdtemp(path.join(tmpdir(), 'sheen-faults-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  await mkdir(socketDir);
  if (account) {
    for (const p of [root, socketDir]) await chown(p, account.uid, account.gid);
  }
  const asAccount = account ? { uid: account.uid, gid: account.gid } : {};
  const env = { PATH: '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
  await run(
    path.join(BIN, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    { cwd: root, env, ...asAccount },
  );
  const port = await freePort();
  let server: Child | undefined;
  const instance: PostgresInstance = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      server = spawnChild(
        'postgres',
        path.join(BIN, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-k',
          socketDir,
          '-c',
          'listen_addresses=127.0.0.1',
          // Durability is not what this suite tests, and the machine is small.
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
          '-c',
          'max_connections=200',
        ],
        { env, cwd: root, logFile: path.join(logDir, 'postgres.log'), ...asAccount },
      );
      await server.waitFor(/database system is ready to accept connections/, 30_000);
    },
    async stopFast() {
      if (server) await stopChild(server, 'SIGINT');
      server = undefined;
    },
    async destroy() {
      await instance.stopFast();
      await rm(root, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
