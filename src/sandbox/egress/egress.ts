import { chown, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEgressProxy, targetOf, type EgressProxy } from './egress-proxy.js';

/** Where the proxy socket's directory appears inside the sandbox. */
export const EGRESS_MOUNT = '/run/sheen-egress';
/** The port the in-sandbox forwarder listens on; the sandbox's network namespace is private. */
export const EGRESS_PORT = 3128;
export const EGRESS_PROXY_URL = `http://127.0.0.1:${EGRESS_PORT}`;
/** The trusted relay that runs first inside the sandbox (plain JS: it runs with bare node). */
export const FORWARDER = fileURLToPath(new URL('./forwarder.mjs', import.meta.url));

export interface EgressSession {
  /** Host directory holding the proxy socket; mount it at EGRESS_MOUNT. */
  readonly socketDir: string;
  readonly proxy: EgressProxy;
  /** The argv that runs `command` behind the forwarder inside the sandbox. */
  wrap(node: string, command: string, args: string[]): { command: string; args: string[] };
  close(): Promise<void>;
}

/**
 * Opens the egress proxy for one sandboxed run that may reach only `origins`. The socket sits
 * in a fresh directory owned by the sandbox user, so no other run can connect to it.
 */
export async function openEgress(
  runDir: string,
  origins: string[],
  owner?: { uid: number; gid: number },
): Promise<EgressSession> {
  const socketDir = await mkdtemp(path.join(runDir, 'egress-'));
  if (owner) await chown(socketDir, owner.uid, owner.gid);
  let proxy: EgressProxy;
  try {
    proxy = await startEgressProxy(path.join(socketDir, 'egress.sock'), origins.map(targetOf));
  } catch (err) {
    await rm(socketDir, { recursive: true, force: true });
    throw err;
  }
  return {
    socketDir,
    proxy,
    wrap: (node, command, args) => ({
      command: node,
      args: [FORWARDER, `${EGRESS_MOUNT}/egress.sock`, String(EGRESS_PORT), '--', command, ...args],
    }),
    close: async () => {
      await proxy.close();
      await rm(socketDir, { recursive: true, force: true });
    },
  };
}
