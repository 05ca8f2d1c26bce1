import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackageManager } from '../build/detect.js';
import type { Toolchain } from '../build/toolchain.js';

export interface Command {
  command: string;
  args: string[];
}

// Characters that need a shell to mean what they say: such scripts run through the package
// manager (whose shell then runs inside the sandbox), everything else runs directly as argv.
const NEEDS_SHELL = /[|;<>$`()'"*?{}\\]|\|\||&(?!&)/;

/**
 * Turns a package.json script into argv commands. `tsc -b && vite build` becomes two commands,
 * each resolved to the package's JS entry (`node node_modules/vite/bin/vite.js build`).
 */
export async function commandsFor(
  script: string,
  root: string,
  toolchain: Toolchain,
  manager: PackageManager,
): Promise<Command[]> {
  if (NEEDS_SHELL.test(script)) {
    return [{ command: toolchain.node, args: [toolchain.scripts[manager], 'run', 'build'] }];
  }
  const viaManager = [
    { command: toolchain.node, args: [toolchain.scripts[manager], 'run', 'build'] },
  ];
  const commands: Command[] = [];
  for (const part of script.split('&&')) {
    const [bin, ...args] = part.trim().split(/\s+/).filter(Boolean);
    if (!bin) continue;
    if (bin === 'node') {
      commands.push({ command: toolchain.node, args });
      continue;
    }
    const entry = await binEntry(root, bin);
    // Anything we cannot resolve to a package's JS entry runs the way npm would run it.
    if (!entry) return viaManager;
    commands.push({ command: toolchain.node, args: [entry, ...args] });
  }
  return commands;
}

const KNOWN_BINS: Record<string, string> = {
  tsc: 'typescript',
  vite: 'vite',
  next: 'next',
  'vue-tsc': 'vue-tsc',
  'svelte-kit': '@sveltejs/kit',
  'react-scripts': 'react-scripts',
  astro: 'astro',
};

/** The JS file a bin name runs, from its package's `bin` field. */
async function binEntry(root: string, bin: string): Promise<string | undefined> {
  const pkgName = KNOWN_BINS[bin] ?? bin;
  if (!/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/.test(pkgName)) return undefined;
  const dir = path.join(root, 'node_modules', pkgName);
  try {
    const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
      bin?: string | Record<string, string>;
    };
    const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.[bin];
    if (!rel) return undefined;
    const entry = path.resolve(dir, rel);
    return entry.startsWith(dir + path.sep) ? entry : undefined;
  } catch {
    return undefined;
  }
}
