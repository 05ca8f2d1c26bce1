import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A child process whose output goes to a log file, with its tail kept for failure messages. */
export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  /** The last part of what it printed (the whole output is in `logFile`). */
  tail(): string;
  /** Resolves once `pattern` appears in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  logFile: string;
}

export interface SpawnOptions {
  env: Record<string, string>;
  logFile: string;
  cwd?: string;
  uid?: number;
  gid?: number;
}

const TAIL_CHARS = 16_000;

export function spawnChild(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // Everything since start, for waitFor; trimmed to a tail once the process is ready.
  let seen = '';
  let ready = false;
  const onData = (d: Buffer) => {
    log.write(d);
    seen += d.toString();
    if (ready && seen.length > 2 * TAIL_CHARS) seen = seen.slice(-TAIL_CHARS);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal });
    }),
  );
  void exited.then(() => log.end());
  return {
    name,
    process: child,
    pid: child.pid ?? -1,
    exited,
    logFile: options.logFile,
    tail: () => seen.slice(-TAIL_CHARS),
    async waitFor(pattern, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(seen);
        if (match) {
          ready = true;
          return match;
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${name} exited before it was ready:\n${seen.slice(-TAIL_CHARS)}`);
        }
        if (Date.now() > until) {
          throw new Error(`${name} not ready after ${timeoutMs} ms:\n${seen.slice(-TAIL_CHARS)}`);
        }
        await sleep(50);
      }
    },
  };
}

/** Sends `signal` unless the process has ended, then waits for it to end. */
export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  if (child.process.exitCode === null && child.process.signalCode === null) {
    child.process.kill(signal);
  }
  return child.exited;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
