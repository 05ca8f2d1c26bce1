/**
 * The Claude Code releases the tests drive: the pinned devDependency and the current one
 * (installed as the npm alias `claude-code-current`). For each, the native binary its npm
 * wrapper runs: `bin/claude.exe` once the postinstall has replaced the stub, else the
 * per-platform package's binary (install scripts do not always run).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ClaudeRelease {
  label: 'pinned' | 'current';
  /** The wrapper package's directory. */
  packageDir: string;
  version: string;
  /** The native binary; empty when `problem` says why there is none that runs. */
  native: string;
  problem?: string;
}

function isElfOrMachO(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    const head = Buffer.alloc(4);
    try {
      readSync(fd, head, 0, 4, 0);
    } finally {
      closeSync(fd);
    }
    const magic = head.readUInt32BE(0);
    return [0x7f454c46, 0xfeedfacf, 0xcffaedfe, 0xcafebabe].includes(magic);
  } catch {
    return false;
  }
}

function nativeOf(packageDir: string, version: string): string | undefined {
  const placed = path.join(packageDir, 'bin', 'claude.exe');
  if (isElfOrMachO(placed)) return placed;
  const platform = `@anthropic-ai/claude-code-${process.platform}-${process.arch}`;
  for (const dir of [
    path.join(packageDir, 'node_modules', platform),
    path.join(REPO, 'node_modules', platform),
  ]) {
    const manifest = path.join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { version: found } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    if (found === version && isElfOrMachO(path.join(dir, 'claude')))
      return path.join(dir, 'claude');
  }
  return undefined;
}

function release(label: ClaudeRelease['label'], packageDir: string): ClaudeRelease {
  const manifest = path.join(packageDir, 'package.json');
  if (!existsSync(manifest)) {
    return { label, packageDir, version: '', native: '', problem: `${packageDir} is missing` };
  }
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const native = nativeOf(packageDir, version);
  if (!native) {
    return { label, packageDir, version, native: '', problem: `no native binary for ${version}` };
  }
  try {
    const printed = execFileSync(native, ['--version'], {
      env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), DISABLE_AUTOUPDATER: '1' },
      timeout: 30_000,
      encoding: 'utf8',
    });
    if (printed.includes(version)) return { label, packageDir, version, native };
    return { label, packageDir, version, native: '', problem: `--version printed ${printed}` };
  } catch (err) {
    const problem = `${native} does not start: ${(err as Error).message.split('\n')[0]}`;
    return { label, packageDir, version, native: '', problem };
  }
}

/** Both releases, each with the reason it cannot be driven here (if any). */
export function claudeReleases(): ClaudeRelease[] {
  return [
    release('pinned', path.join(REPO, 'node_modules', '@anthropic-ai', 'claude-code')),
    release('current', path.join(REPO, 'node_modules', 'claude-code-current')),
  ];
}
