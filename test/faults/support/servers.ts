import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_NODE_FLAGS } from '../../../src/node-flags.js';
import { spawnChild, stopChild, type Child, type Exit } from './child.js';
import { descendantsOf, type ProcessInfo } from './processes.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MAIN = path.join(ROOT, 'dist/main.js');

/** One real server process (`node dist/main.js`), as production runs it. */
export interface Server {
  name: string;
  child: Child;
  baseUrl: string;
}

/**
 * The server processes of one scenario. Every process it SIGKILLs has its descendants noted
 * first: whatever of them still runs at the end was left behind by the kill.
 */
export class Fleet {
  private readonly running = new Map<string, Server>();
  private starts = 0;
  readonly orphanCandidates: ProcessInfo[] = [];
  /** How each stopped process ended, by name and start. */
  readonly exits: Array<{ name: string; exit: Exit; how: string }> = [];

  constructor(
    private readonly baseEnv: Record<string, string>,
    private readonly logDir: string,
  ) {}

  /** Starts `name` with the fleet's environment and `env`; resolves once it serves HTTP. */
  async start(name: string, env: Record<string, string>, timeoutMs = 120_000): Promise<Server> {
    this.starts += 1;
    const child = spawnChild(name, process.execPath, [...SERVER_NODE_FLAGS, MAIN], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        // Machines behind a TLS-inspecting proxy need its CA to reach the registry.
        ...(process.env.NODE_EXTRA_CA_CERTS
          ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS }
          : {}),
        PORT: '0',
        ...this.baseEnv,
        ...env,
      },
      logFile: path.join(this.logDir, `${name}.${this.starts}.log`),
    });
    try {
      await child.waitFor(/SheenApps Worker ready/, timeoutMs);
    } catch (err) {
      child.process.kill('SIGKILL');
      throw err;
    }
    const url = /Server listening at (http:\/\/[^"\s]+)/.exec(child.tail())?.[1];
    if (!url) throw new Error(`${name}: no listening address in its log`);
    const server = { name, child, baseUrl: url };
    this.running.set(name, server);
    return server;
  }

  get(name: string): Server {
    const server = this.running.get(name);
    if (!server) throw new Error(`${name} is not running`);
    return server;
  }

  names(): string[] {
    return [...this.running.keys()];
  }

  /** SIGKILL, after noting the process tree it leaves. */
  async kill(name: string): Promise<Exit> {
    const server = this.get(name);
    this.orphanCandidates.push(...(await descendantsOf(server.child.pid)));
    this.running.delete(name);
    const exit = await stopChild(server.child, 'SIGKILL');
    this.exits.push({ name, exit, how: 'SIGKILL' });
    return exit;
  }

  /** SIGTERM and wait for the process to end by itself. */
  async terminate(name: string): Promise<Exit> {
    const server = this.get(name);
    this.running.delete(name);
    const exit = await stopChild(server.child, 'SIGTERM');
    this.exits.push({ name, exit, how: 'SIGTERM' });
    return exit;
  }

  /** Ends every process: SIGTERM with a grace period, then SIGKILL. */
  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all(
      [...this.running.values()].map(async (server) => {
        const timer = setTimeout(() => server.child.process.kill('SIGKILL'), graceMs);
        await stopChild(server.child, 'SIGTERM');
        clearTimeout(timer);
      }),
    );
    this.running.clear();
  }

  pids(): number[] {
    return [...this.running.values()].map((s) => s.child.pid);
  }
}
