import { randomInt } from 'node:crypto';

/** How many jobs the SIGKILL scenarios run in all (build jobs plus the deliveries they cause). */
export const FAULT_JOBS = Number(process.env.FAULT_JOBS ?? 500);
if (!Number.isInteger(FAULT_JOBS) || FAULT_JOBS < 1) {
  throw new Error(`FAULT_JOBS must be a positive whole number, not ${process.env.FAULT_JOBS}`);
}

/** The SIGKILL share of each profile: PostgreSQL + BullMQ runs most, embedded the rest. */
export const PRODUCTION_KILL_JOBS = Math.ceil(FAULT_JOBS * 0.8);
export const EMBEDDED_KILL_JOBS = Math.max(1, FAULT_JOBS - PRODUCTION_KILL_JOBS);

/**
 * Jobs per build: the build job and two delivery jobs for each of its three webhooks
 * (version.created, build.started, its end): the receiver fails every first attempt.
 */
export const JOBS_PER_BUILD = 7;

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A whole number in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/**
 * The run's random source: FAULT_SEED replays a run, otherwise a fresh seed. The seed is
 * printed so a failing run can be replayed with the same kill delays.
 */
export function seededRandom(scenario: string): SeededRandom {
  const given = process.env.FAULT_SEED;
  const seed = given ? Number(given) : randomInt(1, 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`FAULT_SEED must be a whole number, not ${given}`);
  process.stdout.write(`[faults] ${scenario}: seed ${seed} (replay with FAULT_SEED=${seed})\n`);
  return new SeededRandom(seed);
}
