import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SandboxWorkerInput } from '../../test/support/sandbox-worker.js';
import { chownTree } from '../workspace/chown-tree.js';
import { findNamespaceTools } from './namespaces.js';

// A fake key's header, assembled so no key-shaped text sits in the repository.
const KEY_LABEL = ['PRIVATE', 'KEY'].join(' ');

/**
 * Hole 6: the fallback runner (no bubblewrap) let a build read the worker's environment,
 * ~/.ssh, DATA_DIR's secrets, database and other workspaces and the worker's source; write
 * into DATA_DIR/secrets; reach a listener on the host's loopback; and leave a detached
 * process running. Each case starts a stand-in worker (test/support/sandbox-worker.ts), as
 * root or as an ordinary uid, with a secret in its environment, and runs the hostile step.
 */
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'sk-' + 'ant-fallback-runner-secret-0123456789';
const root = process.getuid?.() === 0;
const tools = findNamespaceTools(process.env.PATH ?? '/usr/bin:/bin');
const skip = 'missing' in tools ? `no namespaces here (${tools.missing.join(', ')})` : undefined;
if (skip) console.warn(`Skipping the fallback runner isolation tests: ${skip}`);
/** An ordinary uid for the worker when the test itself runs as root. */
const WORKER_UID = 424_600;

interface WorkerReport {
  limitations: string[];
  result: { exitCode: number | null; stdout: string; stderr: string };
  seen: Record<string, unknown> | undefined;
  survivors: number[];
}

const bases: string[] = [];
afterAll(async () => {
  await Promise.all(bases.map((b) => rm(b, { recursive: true, force: true })));
});

/**
 * The worker's files, world-readable and (secrets) world-writable, so that nothing but the
 * sandbox's own isolation stands between the build and them.
 */
async function workerFiles(owner: number | undefined) {
  const base = await mkdtemp(path.join(tmpdir(), 'sheen-fallback-'));
  bases.push(base);
  const dataDir = path.join(base, 'data');
  const home = path.join(base, 'home');
  const put = async (file: string, text: string) => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o777 });
    await writeFile(file, text, { mode: 0o644 });
  };
  await put(path.join(home, '.ssh', 'id_rsa'), `-----BEGIN OPENSSH ${KEY_LABEL}-----\n`);
  await put(path.join(dataDir, 'secrets', 'hmac.key'), 'hmac-key-material-0123456789');
  await put(path.join(dataDir, 'db', 'PG_VERSION'), '17\n');
  await put(path.join(dataDir, 'workspaces', 'other', 'notes.txt'), 'another tenant');
  const workspace = path.join(dataDir, 'workspaces', 'build');
  await mkdir(workspace, { recursive: true });
  for (const dir of [base, dataDir, path.join(dataDir, 'secrets')]) await chmod(dir, 0o777);
  if (owner !== undefined) await chownTree(base, { uid: owner, gid: owner });
  return { dataDir, home, workspace };
}

async function runWorker(isolated: boolean, uid: number | undefined): Promise<WorkerReport> {
  const files = await workerFiles(uid);
  const input: SandboxWorkerInput = {
    ...files,
    sourceFile: path.join(REPO, 'package.json'),
    isolated,
    marker: `sheen-fallback-${Date.now()}-${Math.random()}`,
  };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/sandbox-worker.ts', JSON.stringify(input)],
    {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: files.home,
        SHEEN_WORKER_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid, gid: uid }),
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  if (code !== 0) throw new Error(`the stand-in worker failed (${code}): ${stderr}`);
  return JSON.parse(stdout) as WorkerReport;
}

const workers = root
  ? [
      { name: 'a root worker (builds get uids of their own)', uid: undefined },
      { name: 'a worker that is not root', uid: WORKER_UID },
    ]
  : [{ name: 'a worker that is not root', uid: undefined }];

describe.skipIf(skip !== undefined).each(workers)('the fallback runner under $name', ({ uid }) => {
  it("keeps the worker's secrets, files, network and processes out of reach", async () => {
    const report = await runWorker(true, uid);
    expect(report.limitations.join(' ')).toMatch(/namespaces set up by unshare/);
    expect(report.result.exitCode).toBe(0);
    const seen = report.seen ?? {};
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(seen.anyEnviron).toEqual([]);
    for (const probe of [
      'workerEnviron',
      'sshKey',
      'secretKey',
      'database',
      'neighbour',
      'source',
      'write',
      'listener',
    ]) {
      expect({ probe, seen: String(seen[probe]) }).toMatchObject({
        probe,
        seen: expect.stringMatching(/^ERR /) as unknown,
      });
    }
    expect(report.survivors).toEqual([]);
  });
});

describe.skipIf(skip !== undefined)('the same probes without namespaces (control)', () => {
  it('do find every hole in the plain process runner', async () => {
    const report = await runWorker(false, root ? WORKER_UID : undefined);
    const seen = report.seen ?? {};
    expect(String(seen.workerEnviron)).toContain(SECRET);
    expect(String(seen.sshKey)).toContain(KEY_LABEL);
    expect(String(seen.secretKey)).toContain('hmac-key-material');
    expect(String(seen.source)).toContain('sheenapps-worker');
    expect(seen.write).toBe('written');
    expect(seen.listener).toBe('worker-port-reached');
    expect(report.survivors.length).toBeGreaterThan(0);
  });
});
