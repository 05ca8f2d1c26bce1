import type { HealthProbe, ProbeResult } from '../services/health.service.js';
import type { JobQueue } from './job-queue.js';

export function queueProbe(queue: JobQueue): HealthProbe {
  return {
    name: 'queue',
    async check(): Promise<ProbeResult> {
      const counts = await queue.counts();
      return { status: 'ok', detail: { kind: queue.kind, queues: counts } };
    },
  };
}
