/**
 * A stand-in worker for src/sandbox/process-sandbox.security.test.ts. Started (as root or as
 * an ordinary uid) with a secret in its environment and a listener on loopback, it sets up
 * the fallback runner the way the worker does, runs one hostile command in it, and prints
 * what the command could reach and which of its processes outlived the run, as JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { resolveToolchain } from '../../src/build/toolchain.js';
import { createSandbox, findExecutable } from '../../src/sandbox/create-sandbox.js';
import { UidPool, WorkerIdentity, type IdentityPool } from '../../src/sandbox/identity-pool.js';
import { ProcessSandbox } from '../../src/sandbox/process-sandbox.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';

export interface SandboxWorkerInput {
  dataDir: string;
  home: string;
  workspace: string;
  sourceFile: string;
  /** False: the plain process runner, as a control that the probes do find the holes. */
  isolated: boolean;
  marker: string;
}

const LIMITS = {
  memoryMb: 1024,
  maxProcesses: 256,
  maxOutputBytes: 1 << 20,
  maxFileBytes: 1 << 26,
};

/** The hostile build step: every read, write and connection the issue found open. */
const hostile = (input: SandboxWorkerInput, workerPid: number, port: number) => `
  const fs = require('fs'), net = require('net'), { spawn } = require('child_process');
  const read = (f) => { try { return fs.readFileSync(f, 'utf8'); } catch (e) { return 'ERR ' + e.code; } };
  const out = {
    workerEnviron: read('/proc/${workerPid}/environ'),
    anyEnviron: fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p))
      .map((p) => read('/proc/' + p + '/environ')).filter((t) => t.includes('SHEEN_WORKER_SECRET=')),
    sshKey: read(${JSON.stringify(path.join(input.home, '.ssh', 'id_rsa'))}),
    secretKey: read(${JSON.stringify(path.join(input.dataDir, 'secrets', 'hmac.key'))}),
    database: read(${JSON.stringify(path.join(input.dataDir, 'db', 'PG_VERSION'))}),
    neighbour: read(${JSON.stringify(path.join(input.dataDir, 'workspaces', 'other', 'notes.txt'))}),
    source: read(${JSON.stringify(input.sourceFile)}),
  };
  try { fs.writeFileSync(${JSON.stringify(path.join(input.dataDir, 'secrets', 'pwned.key'))}, 'x'); out.write = 'written'; }
  catch (e) { out.write = 'ERR ' + e.code; }
  spawn('/usr/bin/setsid', ['/bin/sh', '-c', 'sleep 300 &'], {
    detached: true, stdio: 'ignore', env: { ...process.env, SHEEN_TEST_MARKER: '${input.marker}' },
  }).unref();
  const socket = net.connect(${port}, '127.0.0.1');
  const done = (v) => { out.listener = v; socket.destroy(); setTimeout(() => console.log(JSON.stringify(out)), 300); };
  socket.once('data', (d) => done(String(d)));
  socket.once('error', (e) => done('ERR ' + e.code));
  socket.setTimeout(3000, () => done('ERR timeout'));
`;

/** Live processes (readable by this uid) whose environment carries the marker. */
function survivors(marker: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const state = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.[0];
        return state !== 'Z' && readFileSync(`/proc/${p}/environ`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function sandboxFor(input: SandboxWorkerInput, identities: IdentityPool): Promise<Sandbox> {
  const common = {
    limits: LIMITS,
    scratchDir: path.join(input.dataDir, 'tmp'),
    toolPaths: resolveToolchain().paths,
  };
  if (!input.isolated) {
    await mkdir(common.scratchDir, { recursive: true });
    const prlimit = findExecutable('prlimit', process.env.PATH ?? '');
    return new ProcessSandbox({
      ...common,
      identities,
      limitations: [],
      ...(prlimit ? { prlimit } : {}),
    });
  }
  return createSandbox({
    ...common,
    mode: 'process',
    systemPath: process.env.PATH ?? '/usr/bin:/bin',
    requireBwrap: false,
    identities,
  });
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '') as SandboxWorkerInput;
  const server = createServer((s) => s.end('worker-port-reached'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const root = process.getuid?.() === 0;
  const identities = root ? new UidPool({ base: 424_000, count: 4 }) : new WorkerIdentity();
  const sandbox = await sandboxFor(input, identities);
  // The build's slot, as the pipeline runner holds one for all of a build's steps.
  const lease = await identities.acquire();
  if (lease.identity) await chown(input.workspace, lease.identity.uid, lease.identity.gid);
  const result = await sandbox.run({
    command: process.execPath,
    args: ['-e', hostile(input, process.pid, port)],
    cwd: input.workspace,
    workspace: input.workspace,
    network: false,
    timeoutMs: 30_000,
    ...(lease.identity ? { identity: lease.identity } : {}),
  });
  const left = survivors(input.marker);
  for (const pid of left) process.kill(pid, 'SIGKILL');
  await lease.release();
  server.close();
  process.stdout.write(
    JSON.stringify({
      limitations: sandbox.limitations,
      result,
      seen: tryParse(result.stdout),
      survivors: left,
    }),
  );
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text.trim().split('\n').at(-1) ?? '');
  } catch {
    return undefined;
  }
}

await main();
