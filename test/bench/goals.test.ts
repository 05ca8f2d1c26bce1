import { describe, expect, it } from 'vitest';
import { goalChecks } from '../../bench/support/goals.js';
import { markdown, type BenchRun } from '../../bench/support/results-report.js';

const run = (name: string, result: Record<string, unknown>, ok = true): BenchRun => ({
  name,
  file: `bench/${name}.bench.ts`,
  ok,
  exitCode: ok ? 0 : 1,
  durationMs: 1000,
  result,
});

const reads = run('reads', {
  short: false,
  ratios: {
    production: { ratio: 0.812, goal: 0.8 },
    embedded: { ratio: 0.39, goal: 0.4 },
    liveness: { ratio: 0.7, goal: 0.7 },
  },
});
const pipeline = run('pipeline', {
  short: false,
  cold: { ms: 6000 },
  warm: { liveP50Ms: 990, overheadP50Ms: 100 },
});
const scale = run('scale', {
  short: false,
  postgres: {
    creates: { requested: 1000, accepted: 1000, acceptMs: 4300 },
    lost: 0,
    allTerminal: true,
    apiWhileBuilding: { p99Ms: 31.9 },
  },
  embedded: {
    creates: { requested: 1000, accepted: 998, acceptMs: 1800 },
    lost: 2,
    allTerminal: true,
    apiWhileBuilding: { p99Ms: 120 },
  },
});

describe('the goals of a bench run', () => {
  it('checks each measured value against its goal, limits included', () => {
    const met = Object.fromEntries(
      goalChecks([reads, pipeline, scale]).map((g) => [g.goal, g.met]),
    );
    expect(met).toEqual({
      'signed reads, production profile, ≥ 80% of the floor': true,
      'signed reads, embedded profile, ≥ 40% of the floor': false,
      'liveness ≥ 70% of bare Fastify': true,
      'warm prompt → live preview p50 ≤ 600 ms': false,
      'pipeline overhead p50 ≤ 100 ms': true,
      'cold build ≤ 30 s': true,
      'postgres: 1,000 creates accepted in ≤ 10 s': true,
      'postgres: none lost, every build terminal': true,
      'postgres: API p99 ≤ 100 ms while 20 builds run': true,
      // Two of the thousand not accepted, however fast the rest were.
      'embedded: 1,000 creates accepted in ≤ 10 s': false,
      'embedded: none lost, every build terminal': false,
      'embedded: API p99 ≤ 100 ms while 20 builds run': false,
    });
  });

  it('claims nothing from a short run or a failed bench', () => {
    const short = run('reads', { ...reads.result, short: true });
    const failed = { ...pipeline, ok: false };
    expect(goalChecks([short, failed])).toEqual([]);
  });

  it('puts them in the Markdown report', () => {
    const md = markdown({
      startedAt: '2026-12-07T00:00:00.000Z',
      args: [],
      machine: {
        cpus: 2,
        cpuModel: 'cpu',
        memoryGb: 24,
        loadAverage: [0],
        platform: 'linux',
        node: 'v20',
        commit: 'abc',
        dirty: false,
        calibrationMs: { start: 41, end: 83 },
      },
      benches: [pipeline],
    });
    expect(md).toContain('41 ms at the start, 83 ms at the end');
    expect(md).toContain('| warm prompt → live preview p50 ≤ 600 ms | 990 ms | NO |');
    expect(md).toContain('| cold build ≤ 30 s | 6000 ms | yes |');
  });
});
