import { readdirSync, readFileSync } from 'node:fs';

export interface UidProcesses {
  /** Processes still running (or stopped) under the uid. */
  live: number[];
  /** Exited but not yet reaped: they hold no memory, but count against the uid's process limit. */
  zombies: number[];
}

/** Entries of /proc read between two turns of the event loop (a few milliseconds). */
const YIELD_EVERY = 100;

interface ProcessEntry {
  pid: number;
  /** Real, effective, saved and filesystem uid. */
  uids: number[];
  zombie: boolean;
}

/**
 * Every process on the host with its uids, read from `/proc/<pid>/status` (the owner of
 * `/proc/<pid>` is not enough: a process that makes itself non-dumpable shows as root there).
 * Read synchronously: /proc is generated from kernel memory and never waits on a disk, and a
 * scan of a hundred processes takes a few milliseconds this way against tens through the
 * thread pool (four round trips per file), on the path of every build's start. On a host
 * with thousands of processes the scan yields now and then, so requests are not held up.
 */
async function scan(): Promise<ProcessEntry[]> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: ProcessEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
    if (!/^\d+$/.test(entry)) continue;
    let status: string;
    try {
      status = readFileSync(`/proc/${entry}/status`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const uids = (/^Uid:\s+(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).map(Number);
    found.push({ pid: Number(entry), uids, zombie: /^State:\s+[ZX]/m.test(status) });
  }
  return found;
}

/** The processes running under `uid` in any of their uids. */
export async function processesOf(uid: number): Promise<UidProcesses> {
  const found: UidProcesses = { live: [], zombies: [] };
  for (const p of await scan()) {
    if (!p.uids.includes(uid)) continue;
    (p.zombie ? found.zombies : found.live).push(p.pid);
  }
  return found;
}

/** The uids in [from, from + count) that own at least one live process, from one scan. */
export async function busyUids(from: number, count: number): Promise<number[]> {
  const busy = new Set<number>();
  for (const p of await scan()) {
    if (p.zombie) continue;
    for (const uid of p.uids) if (uid >= from && uid < from + count) busy.add(uid);
  }
  return [...busy].sort((a, b) => a - b);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGKILLs every process of `uid` until none is left, then waits (briefly) for their zombies
 * to be reaped. Repeats the scan because a process may fork between two passes. Returns what
 * is left when `timeoutMs` runs out: an empty `live` list means the uid is safe to reuse.
 */
export async function killProcessesOf(uid: number, timeoutMs = 5000): Promise<UidProcesses> {
  const until = Date.now() + timeoutMs;
  let found = await processesOf(uid);
  for (
    let delay = 5;
    found.live.length > 0 && Date.now() < until;
    delay = Math.min(delay * 2, 100)
  ) {
    for (const pid of found.live) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    await pause(delay);
    found = await processesOf(uid);
  }
  // Zombies of a killed tree are reaped by their parent or PID 1 within moments; they are
  // waited for only briefly, since they hold nothing a later build could reach.
  const zombieUntil = Math.min(until, Date.now() + 1000);
  while (found.live.length === 0 && found.zombies.length > 0 && Date.now() < zombieUntil) {
    await pause(25);
    found = await processesOf(uid);
  }
  return found;
}
