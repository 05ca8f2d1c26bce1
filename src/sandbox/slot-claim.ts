import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';

export interface SlotClaim {
  close(): Promise<void>;
}

/**
 * Claims a slot host-wide by binding the abstract unix socket named after its uid: the
 * kernel frees the name when the holder exits, so a crashed worker leaves no stale claim.
 * A build with host network could bind the name first to starve the pool; a holder running
 * as a slot uid (`isSandboxUid`) is such a squatter, and is killed. Elsewhere than Linux,
 * claims are per process only.
 */
export async function claimSlot(
  uid: number,
  isSandboxUid: (uid: number) => boolean,
): Promise<SlotClaim | undefined> {
  if (process.platform !== 'linux') return { close: async () => undefined };
  const name = `sheen-sandbox-uid-${uid}`;
  const claim = await bind(name);
  if (claim) return claim;
  const holders = await socketHolders(name);
  if (holders.length === 0 || !holders.every((h) => isSandboxUid(h.uid))) return undefined;
  for (const h of holders) {
    try {
      process.kill(h.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  await new Promise((r) => setTimeout(r, 50));
  return bind(name);
}

function bind(name: string): Promise<SlotClaim | undefined> {
  const server = createServer((socket) => socket.destroy());
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen({ path: `\0${name}`, exclusive: true }, () => {
      server.unref();
      resolve({ close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}

/** The processes holding the abstract socket `name` open, from /proc/net/unix and fd links. */
async function socketHolders(name: string): Promise<Array<{ pid: number; uid: number }>> {
  const table = await readFile('/proc/net/unix', 'utf8').catch(() => '');
  const inodes = new Set(
    table
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      // Node binds abstract names padded with NULs, which the table shows as '@'.
      .filter((f) => f[7]?.replace(/@+$/, '') === `@${name}`)
      .map((f) => `socket:[${f[6]}]`),
  );
  if (inodes.size === 0) return [];
  const holders: Array<{ pid: number; uid: number }> = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      if (!inodes.has(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ''))) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
      holders.push({ pid: Number(pid), uid });
      break;
    }
  }
  return holders;
}
