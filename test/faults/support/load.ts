import type { WorkerClient } from '../../../src/cli/client.js';
import { sleep } from './child.js';

/** Prompts the offline engine turns into small React apps: quick to build, all valid. */
const PROMPTS = [
  (n: number) => `A portfolio for "Ada ${n}", mathematician`,
  (n: number) => `An event page for "Harvest Fair ${n}" with a schedule`,
  (n: number) => `A todo list app called "Chores ${n}"`,
  (n: number) => `A menu for "Cafe ${n}" with coffee and cakes`,
];

export const USERS = ['faults-a', 'faults-b', 'faults-c', 'faults-d'];

/**
 * Creates `count` builds over signed HTTP, a few requests at a time, and returns their ids.
 * Only the API process is up for sure while this runs: it never waits for a worker.
 */
export async function submitBuilds(
  client: WorkerClient,
  count: number,
  label: string,
  parallel = 8,
): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      const prompt = PROMPTS[n % PROMPTS.length] ?? PROMPTS[0];
      const created = await client.json<{ buildId: string }>(
        'POST',
        '/v1/create-preview-for-new-project',
        {
          userId: USERS[n % USERS.length],
          prompt: prompt ? prompt(n) : '',
          idempotencyKey: `${label}-${n}`,
        },
      );
      ids.push(created.buildId);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return ids;
}

/**
 * Waits until `remaining` says nothing is left to do, or `timeoutMs` passes. Returns whether
 * it got there: a scenario then checks what it finds either way, so a stranded build is
 * reported as such rather than as a timeout.
 */
export async function waitForQuiet(
  remaining: () => Promise<number>,
  timeoutMs: number,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const left = await remaining().catch(() => Number.POSITIVE_INFINITY);
    if (left === 0) return true;
    await sleep(500);
  }
  return false;
}
