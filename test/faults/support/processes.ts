import { readdir, readFile, readlink } from 'node:fs/promises';

/** A process as /proc shows it; `started` (clock ticks since boot) tells a reused pid apart. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  started: string;
  uids: number[];
  zombie: boolean;
  command: string;
}

async function readProcess(pid: number): Promise<ProcessInfo | undefined> {
  try {
    const [stat, status, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    // The command name (field 2) may hold spaces and parentheses: fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[1]),
      started: fields[19] ?? '',
      uids: (/^Uid:\s+(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).map(Number),
      zombie: fields[0] === 'Z' || fields[0] === 'X',
      command: cmdline.replaceAll('\0', ' ').trim(),
    };
  } catch {
    return undefined; // exited meanwhile
  }
}

export async function allProcesses(): Promise<ProcessInfo[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e)).map(Number);
  const found = await Promise.all(pids.map(readProcess));
  return found.filter((p): p is ProcessInfo => p !== undefined);
}

/** Every live descendant of `pid` (children, their children, …), from one scan. */
export async function descendantsOf(pid: number): Promise<ProcessInfo[]> {
  const all = await allProcesses();
  const out: ProcessInfo[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const next = all.filter((p) => parents.has(p.ppid) && !p.zombie);
    out.push(...next);
    parents = new Set(next.map((p) => p.pid));
  }
  return out;
}

/** Which of `processes` still run: the same pid with the same start time, not a zombie. */
export async function stillRunning(processes: ProcessInfo[]): Promise<ProcessInfo[]> {
  const now = await Promise.all(processes.map((p) => readProcess(p.pid)));
  return processes.filter((p, i) => {
    const current = now[i];
    return current !== undefined && current.started === p.started && !current.zombie;
  });
}

/** Live processes running under a uid in [base, base + count), in any of their uids. */
export async function processesInUidRange(base: number, count: number): Promise<ProcessInfo[]> {
  return (await allProcesses()).filter(
    (p) => !p.zombie && p.uids.some((uid) => uid >= base && uid < base + count),
  );
}

/** Live processes whose working directory or command line lies under `root`. */
export async function processesUnder(root: string, except: number[] = []): Promise<ProcessInfo[]> {
  const all = (await allProcesses()).filter((p) => !p.zombie && !except.includes(p.pid));
  const cwds = await Promise.all(all.map((p) => readlink(`/proc/${p.pid}/cwd`).catch(() => '')));
  return all.filter(
    (p, i) => p.pid !== process.pid && (cwds[i]?.startsWith(root) || p.command.includes(root)),
  );
}

export const describeProcesses = (list: ProcessInfo[]) =>
  list.map((p) => `${p.pid} (uids ${p.uids.join('/')}): ${p.command.slice(0, 160)}`).join('\n');
