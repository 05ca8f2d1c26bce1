import { describe, expect, it } from 'vitest';
import type { QueueCounts } from '../queue/job-queue.js';
import { Metrics } from './metrics.js';

const counts = (waiting: number): QueueCounts => ({
  waiting,
  active: 1,
  completed: 0,
  failed: 0,
  delayed: 0,
});

describe('gauges read on scrape', () => {
  it('reads the queue once per scrape for both queue gauges, and the breakers', async () => {
    const metrics = new Metrics();
    let reads = 0;
    metrics.collectFrom({
      queue: {
        counts: async () => {
          reads += 1;
          return { builds: counts(4) };
        },
        oldestWaitingMs: async () => ({ builds: 2500 }),
      },
      circuits: () => [{ engine: 'anthropic', open: true }],
    });
    const text = await metrics.render();
    expect(reads).toBe(1);
    expect(text).toContain('sheen_queue_jobs{queue="builds",state="waiting"} 4');
    expect(text).toContain('sheen_queue_jobs{queue="builds",state="active"} 1');
    expect(text).toContain('sheen_queue_oldest_waiting_seconds{queue="builds"} 2.5');
    expect(text).toContain('sheen_engine_circuit_open{engine="anthropic"} 1');
  });

  it('a queue it cannot read leaves the queue gauges empty, not stale, and says why', async () => {
    const metrics = new Metrics();
    let down = false;
    const errors: unknown[] = [];
    metrics.collectFrom({
      queue: {
        counts: async () => {
          if (down) throw new Error('redis is down');
          return { builds: counts(3) };
        },
        oldestWaitingMs: async () => ({ builds: 0 }),
      },
      circuits: () => [],
      onCollectError: (err) => errors.push(err),
    });
    expect(await metrics.render()).toContain('state="waiting"} 3');
    down = true;
    const text = await metrics.render();
    expect(text).not.toContain('sheen_queue_jobs{');
    expect(text).not.toContain('sheen_queue_oldest_waiting_seconds{');
    expect(errors).toHaveLength(1);
  });
});
