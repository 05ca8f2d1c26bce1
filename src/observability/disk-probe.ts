import { statfs } from 'node:fs/promises';
import type { HealthProbe, ProbeResult } from '../services/health.service.js';

const LOW_BYTES = 2 * 1024 ** 3;
const CRITICAL_BYTES = 256 * 1024 ** 2;

/** Free and total bytes of the file system holding `dir`. */
export async function diskSpace(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const stats = await statfs(dir);
  return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
}

/** Free space where builds, artifacts and the embedded database live. */
export function diskProbe(dataDir: string): HealthProbe {
  return {
    name: 'disk',
    async check(): Promise<ProbeResult> {
      const stats = await statfs(dataDir);
      const freeBytes = stats.bavail * stats.bsize;
      const totalBytes = stats.blocks * stats.bsize;
      const status =
        freeBytes < CRITICAL_BYTES ? 'down' : freeBytes < LOW_BYTES ? 'degraded' : 'ok';
      return { status, detail: { freeBytes, totalBytes } };
    },
  };
}
