/**
 * The init of the fallback runner's namespaces: started by `unshare` as PID 1 of a new PID
 * namespace, root of a new user namespace that owns a new mount namespace. It builds the
 * build's filesystem on an empty tmpfs (the same view bubblewrap gives), verifies every mount
 * in /proc/self/mountinfo, pivots into it, detaches the host's root, and runs the command in
 * a nested user namespace, where it has no capability over these mounts. It exits with the
 * command's status (128 + signal number when killed, as bubblewrap does); when it exits, the
 * kernel kills whatever else is left in the PID namespace.
 *
 * Trusted code, run as a plain script (it imports nothing but Node's own modules); the plan
 * comes from the worker as one argument. Argv only, never a shell.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmdirSync, statSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import type { NsMount, NsPlan } from './ns-plan.js';

/** Exit status for a sandbox that could not be set up (the command never ran). */
const SETUP_FAILED = 125;
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'];
/** Per-mount flags a user namespace may not drop from a bind mount, kept on a read-only remount. */
const LOCKED_FLAGS = new Set(['nosuid', 'nodev', 'noexec', 'noatime', 'nodiratime', 'relatime']);

class SetupError extends Error {}

interface MountEntry {
  fstype: string;
  options: string[];
}

function sh(file: string, args: string[]): void {
  try {
    execFileSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = String((err as { stderr?: Buffer }).stderr ?? '').trim();
    throw new SetupError(
      `${path.basename(file)} ${args.join(' ')} failed: ${stderr || (err as Error).message}`,
    );
  }
}

/** The mount table of this namespace, last (topmost) entry per mount point. */
function mountTable(): Map<string, MountEntry> {
  const table = new Map<string, MountEntry>();
  const unescape = (s: string) =>
    s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fields = left.split(' ');
    const point = fields[4];
    if (point === undefined) continue;
    table.set(unescape(point), {
      fstype: right.split(' ')[0] ?? '',
      options: (fields[5] ?? '').split(','),
    });
  }
  return table;
}

function verify(at: string, what: string, ok: (entry: MountEntry) => boolean): void {
  const entry = mountTable().get(at);
  if (!entry || !ok(entry)) throw new SetupError(`${what} at ${at} did not take effect`);
}

function mountPoint(at: string, file: boolean): void {
  try {
    if (file) {
      mkdirSync(path.dirname(at), { recursive: true });
      writeFileSync(at, '', { flag: 'a' });
    } else {
      mkdirSync(at, { recursive: true });
    }
  } catch (err) {
    throw new SetupError(`cannot create the mount point ${at}: ${(err as Error).message}`);
  }
}

function tmpfs(plan: NsPlan, at: string, mode: string, sizeBytes?: number): void {
  mountPoint(at, false);
  const size = sizeBytes ? `,size=${sizeBytes}` : '';
  sh(plan.tools.mount, ['-t', 'tmpfs', '-o', `mode=${mode},nosuid,nodev${size}`, 'tmpfs', at]);
  verify(at, 'tmpfs', (e) => e.fstype === 'tmpfs');
}

function bind(plan: NsPlan, source: string, at: string, writable: boolean): void {
  let isDir: boolean;
  try {
    isDir = statSync(source).isDirectory();
  } catch (err) {
    throw new SetupError(`cannot bind ${source}: ${(err as Error).message}`);
  }
  mountPoint(at, !isDir);
  sh(plan.tools.mount, ['--bind', source, at]);
  verify(at, `bind mount of ${source}`, () => true);
  if (writable) return;
  const kept = (mountTable().get(at)?.options ?? []).filter((o) => LOCKED_FLAGS.has(o));
  sh(plan.tools.mount, ['-o', ['remount', 'bind', 'ro', ...kept].join(','), at]);
  verify(at, `read-only bind mount of ${source}`, (e) => e.options.includes('ro'));
}

/** A minimal /dev like bubblewrap's: the harmless devices, std streams, a private shm. */
function dev(plan: NsPlan, at: string): void {
  tmpfs(plan, at, '0755');
  for (const name of DEVICES) bind(plan, `/dev/${name}`, path.join(at, name), true);
  symlinkSync('/proc/self/fd', path.join(at, 'fd'));
  ['stdin', 'stdout', 'stderr'].forEach((name, fd) =>
    symlinkSync(`/proc/self/fd/${fd}`, path.join(at, name)),
  );
  tmpfs(plan, path.join(at, 'shm'), '1777');
}

function apply(plan: NsPlan, m: NsMount): void {
  const at = path.join(plan.root, m.target);
  switch (m.kind) {
    case 'bind':
      return bind(plan, m.source, at, m.writable);
    case 'tmpfs':
      return tmpfs(plan, at, '0755', m.sizeBytes);
    case 'symlink':
      mkdirSync(path.dirname(at), { recursive: true });
      symlinkSync(m.link, at);
      return;
    case 'proc':
      mountPoint(at, false);
      sh(plan.tools.mount, ['-t', 'proc', '-o', 'nosuid,nodev,noexec', 'proc', at]);
      return verify(at, 'proc', (e) => e.fstype === 'proc');
    case 'dev':
      return dev(plan, at);
  }
}

/** Makes the new tree the root and detaches the host's, so nothing outside stays reachable. */
function pivot(plan: NsPlan): void {
  const old = path.join(plan.root, '.host-root');
  mkdirSync(old);
  sh(plan.tools.pivotRoot, [plan.root, old]);
  process.chdir('/');
  // The host's umount, reached through the old root that it is about to detach.
  sh(path.join('/.host-root', plan.tools.umount), ['-l', '/.host-root']);
  rmdirSync('/.host-root');
  const table = mountTable();
  if ([...table.keys()].some((p) => p === '/.host-root' || p.startsWith('/.host-root/')))
    throw new SetupError('the host root is still mounted after pivot_root');
  if (table.get('/')?.fstype !== 'tmpfs') throw new SetupError('the new root is not in place');
  for (const m of plan.mounts) {
    if (m.kind !== 'symlink' && !table.has(m.target))
      throw new SetupError(`${m.target} is missing after pivot_root`);
  }
}

function setup(plan: NsPlan): void {
  if (plan.ownNetwork && plan.tools.ip) sh(plan.tools.ip, ['link', 'set', 'lo', 'up']);
  tmpfs(plan, plan.root, '0755');
  for (const m of plan.mounts) apply(plan, m);
  pivot(plan);
  try {
    process.chdir(plan.cwd);
  } catch (err) {
    throw new SetupError(`cannot enter ${plan.cwd}: ${(err as Error).message}`);
  }
}

function start(plan: NsPlan): void {
  const as = plan.inner
    ? [`--map-user=${plan.inner.uid}`, `--map-group=${plan.inner.gid}`]
    : ['--map-root-user'];
  const child = spawn(plan.tools.unshare, ['--user', ...as, '--', ...plan.argv], {
    cwd: plan.cwd,
    env: plan.env,
    stdio: 'inherit',
  });
  child.once('error', (err) => {
    process.stderr.write(`sandbox: could not start ${plan.argv[0]}: ${err.message}\n`);
    process.exit(127);
  });
  child.once('exit', (code, signal) => {
    const number = signal ? (constants.signals[signal] ?? 9) : 0;
    process.exit(code ?? 128 + number);
  });
}

function main(): void {
  let plan: NsPlan;
  try {
    plan = JSON.parse(process.argv[2] ?? '') as NsPlan;
    setup(plan);
  } catch (err) {
    const message = err instanceof SetupError ? err.message : String(err);
    process.stderr.write(`sandbox: refusing to run, the namespace setup failed: ${message}\n`);
    process.exit(SETUP_FAILED);
  }
  start(plan);
}

main();
