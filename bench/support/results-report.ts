import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { goalChecks } from './goals.js';

/** The report `npm run bench` writes: one JSON and one Markdown file per run, plus latest.*. */

export interface BenchRun {
  name: string;
  file: string;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  result?: Record<string, unknown>;
  error?: string;
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  loadAverage: number[];
  platform: string;
  node: string;
  commit: string;
  dirty: boolean;
  /**
   * The same fixed work timed at the start and at the end of the run (ms, lower is faster).
   * This VM's speed changes by about 2× from one stretch to the next, and within a run: read
   * every time in the report against these.
   */
  calibrationMs: { start: number; end?: number };
}

export interface RunReport {
  startedAt: string;
  args: string[];
  machine: Machine;
  benches: BenchRun[];
}

const git = async (root: string, args: string[]) =>
  (await promisify(execFile)('git', args, { cwd: root })).stdout.trim();

export async function machineInfo(root: string): Promise<Machine> {
  const cpus = os.cpus();
  const commit = await git(root, ['rev-parse', 'HEAD']).catch(() => 'unknown');
  const status = await git(root, ['status', '--porcelain']).catch(() => '');
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    commit,
    dirty: status.length > 0,
    calibrationMs: { start: calibrate() },
  };
}

/**
 * A fixed single-threaded JS workload (what most of a build's and the worker's time is made
 * of: parsing, allocating, sorting): the median of five runs, in ms.
 */
export function calibrate(): number {
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const items = Array.from({ length: 25_000 }, (_, i) => ({
      id: `item-${(i * 7919) % 25_000}`,
      n: (i * 31) % 997,
      tags: ['a', 'b', String(i % 13)],
    }));
    const copy = JSON.parse(JSON.stringify(items)) as typeof items;
    copy.sort((a, b) => a.n - b.n || a.id.localeCompare(b.id));
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[2] as number);
}

/** Nested result fields as `a.b.c` rows; arrays and leaves as compact JSON. */
function flatten(value: unknown, prefix = ''): Array<[string, string]> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return [[prefix, '{}']];
    return entries.flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, typeof value === 'string' ? value : JSON.stringify(value)]];
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdown(report: RunReport): string {
  const m = report.machine;
  const lines = [
    `# Benchmarks ${report.startedAt}${report.args.length ? ` (${report.args.join(' ')})` : ''}`,
    '',
    `- machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, ${m.platform}, load ${m.loadAverage.join(' ')} at start`,
    `- node ${m.node}, commit ${m.commit}${m.dirty ? ' (uncommitted changes)' : ''}`,
    `- calibration (the same fixed work, lower is faster; this VM's speed varies about 2×): ` +
      `${m.calibrationMs.start} ms at the start, ${m.calibrationMs.end ?? '?'} ms at the end`,
    '',
    '| bench | status | time |',
    '| --- | --- | --- |',
    ...report.benches.map(
      (b) => `| ${b.name} | ${b.ok ? 'ok' : 'FAILED'} | ${(b.durationMs / 1000).toFixed(1)} s |`,
    ),
  ];
  const goals = goalChecks(report.benches);
  if (goals.length > 0) {
    lines.push('', '## Goals', '', '| goal | measured | met |', '| --- | --- | --- |');
    for (const g of goals) lines.push(`| ${g.goal} | ${g.measured} | ${g.met ? 'yes' : 'NO'} |`);
  }
  for (const b of report.benches) {
    lines.push('', `## ${b.name}`, '');
    if (!b.ok)
      lines.push(`Failed (exit ${b.exitCode}): ${cell(b.error ?? 'no BENCH_RESULT line')}`, '');
    if (!b.result) continue;
    lines.push('| metric | value |', '| --- | --- |');
    for (const [k, v] of flatten(b.result)) lines.push(`| ${cell(k)} | ${cell(v)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes <stamp>.json and <stamp>.md, and the same as latest.json and latest.md. */
export async function writeReport(dir: string, report: RunReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const json = `${JSON.stringify({ ...report, goals: goalChecks(report.benches) }, null, 2)}\n`;
  const md = markdown(report);
  const files: Array<[string, string]> = [
    [`${stamp}.json`, json],
    [`${stamp}.md`, md],
    ['latest.json', json],
    ['latest.md', md],
  ];
  for (const [name, text] of files) await writeFile(path.join(dir, name), text);
  return files.map(([name]) => path.join(dir, name));
}
