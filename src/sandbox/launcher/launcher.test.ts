import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runChild } from '../child.js';
import { Launcher } from './client.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const launcher = new Launcher();
afterAll(() => launcher.close());

const base = { cwd: '/', env: { PATH: '/usr/bin:/bin' }, timeoutMs: 20_000 };
const node = (code: string) => ({ ...base, file: process.execPath, args: ['-e', code] });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pids: number[], withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (!pids.some(alive)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('the process launcher', () => {
  it('runs a process with its input, and reports its output and exit code', async () => {
    const result = await runChild(
      {
        ...node(
          'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{console.log(s.toUpperCase());console.error("é".repeat(3));process.exit(7)})',
        ),
        maxOutputBytes: 1 << 20,
        stdin: 'prompt text',
      },
      launcher,
    );
    expect(result).toMatchObject({ exitCode: 7, signal: null, timedOut: false });
    expect(result.stdout).toBe('PROMPT TEXT\n');
    expect(result.stderr).toBe('ééé\n');
  });

  it('delivers a large output whole and in order', async () => {
    const chunks: string[] = [];
    const code =
      'const c=require("crypto");for(let i=0;i<400;i++)process.stdout.write(c.createHash("sha256").update(String(i)).digest("hex").repeat(200)+"\\n")';
    const result = await runChild(
      { ...node(code), maxOutputBytes: 64 << 20, onOutput: (_s, text) => chunks.push(text) },
      launcher,
    );
    expect(result.exitCode).toBe(0);
    const expected = Array.from(
      { length: 400 },
      (_, i) => createHash('sha256').update(String(i)).digest('hex').repeat(200) + '\n',
    ).join('');
    expect(chunks.join('')).toBe(expected);
  });

  it('reports a program that cannot start', async () => {
    const result = await runChild(
      { ...base, file: '/nonexistent/program', args: [], maxOutputBytes: 1024 },
      launcher,
    );
    expect(result).toMatchObject({ exitCode: null, killedBy: 'signal' });
    expect(result.stderr).toContain('ENOENT');
  });

  it('keeps none of the worker environment', async () => {
    launcher.warm();
    const pid = launcher.pid as number;
    // Wait for the process to exec the launcher (its environ is the fork's until then).
    await runChild({ ...node('0'), maxOutputBytes: 1024 }, launcher);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    // Node's own channel settings aside, PATH alone.
    const names = environ
      .map((e) => e.split('=')[0])
      .filter((n) => !n?.startsWith('NODE_CHANNEL_'));
    expect(names).toEqual(['PATH']);
  });

  it('gives a run no descriptor of the launcher channel (it could ask for runs outside the sandbox)', async () => {
    const list =
      'const fs=require("fs");console.log(JSON.stringify(fs.readdirSync("/proc/self/fd").map(f=>{try{return [f,fs.readlinkSync("/proc/self/fd/"+f)]}catch{return [f,""]}})))';
    const result = await runChild({ ...node(list), maxOutputBytes: 1 << 16 }, launcher);
    const fds = JSON.parse(result.stdout) as Array<[string, string]>;
    const sockets = fds.filter(([fd, target]) => Number(fd) > 2 && target.startsWith('socket:'));
    expect(fds.length).toBeGreaterThan(2);
    expect(sockets).toEqual([]);
  });

  it('stops a run whose time ran out before it had started', async () => {
    const started = Date.now();
    const result = await runChild(
      { ...base, file: '/bin/sleep', args: ['30'], timeoutMs: 1, maxOutputBytes: 1024 },
      launcher,
    );
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('hears how a timed-out run ended in a process that holds nothing else open', async () => {
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>(
      (resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', path.join(REPO, 'test/support/launcher-parent.ts'), 'timeout'],
          { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.once('close', (exit) => resolve({ stdout: out, code: exit }));
      },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });

  it('kills its runs when it dies, reports them, and is started again', async () => {
    const closed: Array<NodeJS.Signals | null> = [];
    const runPid = await new Promise<number>((resolve) =>
      launcher.launch(
        { ...base, file: '/bin/sleep', args: ['60'] },
        {
          spawned: resolve,
          output: () => undefined,
          failed: () => undefined,
          closed: (_code, signal) => closed.push(signal),
        },
      ),
    );
    const lost: Array<[string, number]> = [];
    launcher.onLost = (how, runs) => lost.push([how, runs]);
    const before = launcher.pid as number;
    process.kill(before, 'SIGKILL');
    expect(await gone([runPid], 5000)).toBe(true);
    expect(closed).toEqual(['SIGKILL']);
    expect(lost).toEqual([['SIGKILL', 1]]);
    const again = await runChild({ ...node('console.log(1)'), maxOutputBytes: 1024 }, launcher);
    expect(again.stdout).toBe('1\n');
    expect(launcher.pid).not.toBe(before);
  });

  it('ends, with every run it started, when the worker dies', async () => {
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'test/support/launcher-parent.ts')],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const line = await new Promise<string>((resolve) => {
      let text = '';
      parent.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('\n')) resolve(text.split('\n')[0] as string);
      });
    });
    const pids = JSON.parse(line) as { launcher: number; run: number };
    expect(alive(pids.launcher) && alive(pids.run)).toBe(true);
    parent.kill('SIGKILL');
    expect(await gone([pids.launcher, pids.run], 5000)).toBe(true);
  });
});
