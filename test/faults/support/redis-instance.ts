import path from 'node:path';
import { freePort, spawnChild, stopChild, type Child } from './child.js';

/**
 * A redis-server of the suite's own on a free port, without persistence: killing it loses
 * every key, as a Redis without AOF, a flush or a failover to an empty replica would.
 */
export interface RedisInstance {
  url: string;
  start(): Promise<void>;
  /** kill -9: nothing is saved, the next start is empty. */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startRedis(logDir: string): Promise<RedisInstance> {
  const port = await freePort();
  let server: Child | undefined;
  const instance: RedisInstance = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      server = spawnChild(
        'redis',
        process.env.REDIS_SERVER_BIN ?? 'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
        ],
        {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
          logFile: path.join(logDir, 'redis.log'),
        },
      );
      await server.waitFor(/Ready to accept connections/, 15_000);
    },
    async kill() {
      if (server) await stopChild(server, 'SIGKILL');
      server = undefined;
    },
    async destroy() {
      await instance.kill();
    },
  };
  await instance.start();
  return instance;
}
