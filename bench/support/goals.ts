import type { BenchRun } from './results-report.js';

/** One of the performance goals (issue 11), checked against a bench's result. */
export interface GoalCheck {
  goal: string;
  measured: string;
  met: boolean;
}

type Result = Record<string, unknown>;

/** The value at a dotted path of a result, when it is a number. */
function num(result: Result, dotted: string): number | undefined {
  let value: unknown = result;
  for (const key of dotted.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Result)[key];
  }
  return typeof value === 'number' ? value : undefined;
}

/** `value <= limit`, as a row; no row when the bench did not report the value. */
function check(goal: string, value: number | undefined, limit: number, unit: string): GoalCheck[] {
  if (value === undefined) return [];
  return [{ goal, measured: `${value}${unit}`, met: value <= limit }];
}

/** What each of the reads bench's ratios sets against what; its goal comes with the result. */
const READS: Record<string, (percent: number) => string> = {
  production: (p) => `signed reads, production profile, ≥ ${p}% of the floor`,
  embedded: (p) => `signed reads, embedded profile, ≥ ${p}% of the floor`,
  liveness: (p) => `liveness ≥ ${p}% of bare Fastify`,
};

function readsGoals(r: Result): GoalCheck[] {
  return Object.entries(READS).flatMap(([name, label]) => {
    const ratio = num(r, `ratios.${name}.ratio`);
    const goal = num(r, `ratios.${name}.goal`);
    if (ratio === undefined || goal === undefined) return [];
    const percent = (x: number) => Math.round(x * 100);
    return [{ goal: label(percent(goal)), measured: `${percent(ratio)}%`, met: ratio >= goal }];
  });
}

function pipelineGoals(r: Result): GoalCheck[] {
  return [
    ...check('warm prompt → live preview p50 ≤ 600 ms', num(r, 'warm.liveP50Ms'), 600, ' ms'),
    ...check('pipeline overhead p50 ≤ 100 ms', num(r, 'warm.overheadP50Ms'), 100, ' ms'),
    ...check(
      `the same, prompts ${num(r, 'paused.pauseMs') ?? 1000} ms apart: live preview p50 ≤ 600 ms`,
      num(r, 'paused.liveP50Ms'),
      600,
      ' ms',
    ),
    ...check(
      `the same, prompts ${num(r, 'paused.pauseMs') ?? 1000} ms apart: overhead p50 ≤ 100 ms`,
      num(r, 'paused.overheadP50Ms'),
      100,
      ' ms',
    ),
    ...check('cold build ≤ 30 s', num(r, 'cold.ms'), 30_000, ' ms'),
  ];
}

function scaleGoals(r: Result): GoalCheck[] {
  return ['postgres', 'embedded'].flatMap((profile) => {
    const accepted = num(r, `${profile}.creates.accepted`);
    const requested = num(r, `${profile}.creates.requested`);
    const lost = num(r, `${profile}.lost`);
    const terminal = (r[profile] as Result | undefined)?.allTerminal === true;
    const acceptMs = num(r, `${profile}.creates.acceptMs`);
    const accepting = `${profile}: 1,000 creates accepted in ≤ 10 s`;
    return [
      // The goal is about 1,000 creates: a run asked for another number measured another thing.
      ...(requested !== 1000
        ? []
        : accepted !== requested
          ? [{ goal: accepting, measured: `${accepted} of ${requested} accepted`, met: false }]
          : check(accepting, acceptMs, 10_000, ' ms')),
      ...(lost === undefined
        ? []
        : [
            {
              goal: `${profile}: none lost, every build terminal`,
              measured: `${lost} lost, ${terminal ? 'all' : 'not all'} terminal`,
              met: lost === 0 && terminal,
            },
          ]),
      ...check(
        `${profile}: API p99 ≤ 100 ms while 20 builds run`,
        num(r, `${profile}.apiWhileBuilding.p99Ms`),
        100,
        ' ms',
      ),
    ];
  });
}

const BY_BENCH: Record<string, (result: Result) => GoalCheck[]> = {
  reads: readsGoals,
  pipeline: pipelineGoals,
  scale: scaleGoals,
};

/** The goals the benches of a full run measured; none from a short run (no measurement). */
export function goalChecks(benches: readonly BenchRun[]): GoalCheck[] {
  return benches.flatMap((b) => {
    const goals = BY_BENCH[b.name];
    if (!goals || !b.ok || !b.result || b.result.short === true) return [];
    return goals(b.result);
  });
}
