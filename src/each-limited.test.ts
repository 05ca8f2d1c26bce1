import { describe, expect, it } from 'vitest';
import { eachLimited } from './each-limited.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eachLimited', () => {
  it('runs every item, never more than the lanes at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await eachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running++;
      most = Math.max(most, running);
      await tick(item % 3);
      running--;
      done.push(item);
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('starts nothing after a failure and throws the first error once started tasks end', async () => {
    const started: number[] = [];
    let ended = 0;
    const result = eachLimited([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      await tick(item === 1 ? 1 : 20);
      ended++;
      if (item <= 2) throw new Error(`item ${item} failed`);
    });
    await expect(result).rejects.toThrow('item 1 failed');
    expect(started).toEqual([1, 2]);
    expect(ended).toBe(2);
  });

  it('does nothing for no items', async () => {
    await expect(eachLimited([], 4, () => Promise.reject(new Error('never')))).resolves.toBe(
      undefined,
    );
  });
});
