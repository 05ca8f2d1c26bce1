/**
 * What every bench shares with the runner (bench/run.ts): the `--short` flag and the one
 * machine-readable line the runner collects from a bench's output.
 */

/** `--short`: a small run for CI that proves the bench still works; its times mean nothing. */
export const SHORT = process.argv.includes('--short');

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Prints the bench's summary as the line the runner looks for (the last one wins). */
export function printResult(result: Record<string, unknown>): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify({ short: SHORT, ...result })}`);
}

/** The p-th percentile (nearest rank) of xs; NaN when xs is empty. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
