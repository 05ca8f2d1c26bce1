import { describe, expect, it } from 'vitest';
import { JOBS, jobId, type JobCatalog } from './catalog.js';
import { backoffDelay, InvalidJobError, JobRules } from './job-rules.js';

const BUILD_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('job rules', () => {
  const rules = new JobRules({ attempts: 3, backoffMs: 1000 });

  it('resolves a job from the catalog: queue, id, configured attempts, default backoff', () => {
    expect(rules.prepare({ name: 'build.generate', payload: { buildId: BUILD_ID } })).toEqual({
      id: `build-generate-${BUILD_ID}`,
      name: 'build.generate',
      queue: 'ai',
      payload: { buildId: BUILD_ID },
      attempts: 3,
      backoff: { type: 'exponential', delayMs: 1000 },
    });
  });

  it("takes a job's own options over the configured ones", () => {
    const catalog: JobCatalog = {
      ...JOBS,
      'build.run': { ...JOBS['build.run'], attempts: 5, backoff: { type: 'fixed', delayMs: 50 } },
    };
    const job = new JobRules({ attempts: 3, backoffMs: 1000 }, catalog).prepare({
      name: 'build.run',
      payload: { buildId: BUILD_ID },
    });
    expect(job).toMatchObject({ attempts: 5, backoff: { type: 'fixed', delayMs: 50 } });
  });

  it('stores the payload as parsed: keys outside the schema are dropped', () => {
    const request = { name: 'build.run', payload: { buildId: BUILD_ID, extra: 'x' } } as const;
    expect(rules.prepare(request).payload).toEqual({ buildId: BUILD_ID });
  });

  it('names the field that does not fit', () => {
    expect(() => rules.prepare({ name: 'build.run', payload: { buildId: 'lower' } })).toThrow(
      InvalidJobError,
    );
    expect(() => rules.prepare({ name: 'build.run', payload: { buildId: 'lower' } })).toThrow(
      /build\.run: invalid payload: buildId: must be a 26-character ULID/,
    );
  });

  it('dedupes by the payload, or not at all for a job without a dedupe key', () => {
    const request = { name: 'build.run', payload: { buildId: BUILD_ID } } as const;
    expect(jobId(request)).toBe(jobId(request));
    const catalog: JobCatalog = {
      ...JOBS,
      'build.run': { ...JOBS['build.run'], dedupeKey: undefined },
    };
    expect(jobId(request, catalog)).not.toBe(jobId(request, catalog));
    expect(jobId(request, catalog)).toMatch(/^build-run-[0-9A-Z]{26}$/);
  });

  it('backs off as BullMQ does', () => {
    const exponential = { type: 'exponential', delayMs: 100 } as const;
    expect([1, 2, 3].map((n) => backoffDelay(exponential, n))).toEqual([100, 200, 400]);
    expect(backoffDelay({ type: 'fixed', delayMs: 100 }, 3)).toBe(100);
  });
});
