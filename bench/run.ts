/**
 * Runs every bench/*.bench.ts in turn (a new bench joins by existing), passes this script's
 * arguments on (`npm run bench -- --short`), collects each one's `BENCH_RESULT <json>` line
 * and writes bench/results/<timestamp>.{json,md} and bench/results/latest.{json,md}.
 * A bench that exits non-zero or prints no result line fails the run after the others ran.
 * `--only=scale,quota` runs those benches alone (the flag is not passed on).
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX } from './support/report.js';
import {
  calibrate,
  machineInfo,
  writeReport,
  type BenchRun,
  type RunReport,
} from './support/results-report.js';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = path.resolve(BENCH_DIR, '..');

/** Runs one bench with its output passed through; keeps the last result line it printed. */
function runBench(file: string, args: string[]): Promise<BenchRun> {
  const name = path.basename(file).replace(/\.bench\.ts$/, '');
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let pending = '';
    let resultLine: string | undefined;
    child.stdout.on('data', (d: Buffer) => {
      process.stdout.write(d);
      const lines = (pending + d.toString()).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith(RESULT_PREFIX)) resultLine = line;
    });
    const finish = (exitCode: number | null, error?: string) => {
      if (pending.startsWith(RESULT_PREFIX)) resultLine = pending;
      const run: BenchRun = {
        name,
        file: path.relative(ROOT, file),
        ok: false,
        exitCode,
        durationMs: Math.round(performance.now() - t0),
      };
      try {
        if (resultLine)
          run.result = JSON.parse(resultLine.slice(RESULT_PREFIX.length)) as Record<
            string,
            unknown
          >;
      } catch (err) {
        error ??= `unreadable BENCH_RESULT line: ${(err as Error).message}`;
      }
      run.ok = exitCode === 0 && run.result !== undefined && !error;
      if (!run.ok) run.error = error ?? (run.result ? `exit ${exitCode}` : 'no BENCH_RESULT line');
      resolve(run);
    };
    child.once('error', (err) => finish(null, err.message));
    child.once('exit', (code, signal) => finish(code, signal ? `killed by ${signal}` : undefined));
  });
}

async function main() {
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--only='));
  const files = (await readdir(BENCH_DIR))
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || only.includes(f.replace(/\.bench\.ts$/, '')))
    .sort()
    .map((f) => path.join(BENCH_DIR, f));
  const report: RunReport = {
    startedAt: new Date().toISOString(),
    args,
    machine: await machineInfo(ROOT),
    benches: [],
  };
  for (const file of files) {
    console.log(`\n===== ${path.basename(file)} ${args.join(' ')}`);
    const run = await runBench(file, args);
    report.benches.push(run);
    console.log(`===== ${run.name}: ${run.ok ? 'ok' : `FAILED (${run.error})`}`);
  }
  report.machine.calibrationMs.end = calibrate();
  const written = await writeReport(path.join(BENCH_DIR, 'results'), report);
  console.log(`\nwrote ${written.join(', ')}`);
  const failed = report.benches.filter((b) => !b.ok).map((b) => b.name);
  if (failed.length > 0) {
    console.error(`benches failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
