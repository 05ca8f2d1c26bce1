import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UID_BASE, UID_COUNT } from './environment.js';
import type { FlakyReceiver } from './flaky-receiver.js';
import {
  deliveredMessageIds,
  deploymentsNotOnce,
  outboxNotOnce,
  quotaNotSettledOnce,
  unfinishedOrWronglyFailed,
  versionsNotOnce,
  type Query,
} from './invariants.js';
import {
  describeProcesses,
  processesInUidRange,
  processesUnder,
  stillRunning,
  type ProcessInfo,
} from './processes.js';

export interface CheckScope {
  query: Query;
  dataDir: string;
  /** The scenario's folder: no process may be left working in it. */
  root: string;
  receiver: FlakyReceiver;
  /** QUEUE_ATTEMPTS of the servers: a build may fail only once the faults used them up. */
  maxAttempts: number;
  /** Descendants of SIGKILLed servers, noted at the kill. */
  orphanCandidates: ProcessInfo[];
  /** Server processes still running (their own pids are not leftovers). */
  serverPids: number[];
}

/** Each check by name, with one line per violation: all must be empty. */
export type Report = Record<string, string[]>;

/** Everything the suite asserts after a scenario, for the builds it made. */
export async function checkAfterFaults(scope: CheckScope, buildIds: string[]): Promise<Report> {
  const { query } = scope;
  const unfinished = await unfinishedOrWronglyFailed(query, buildIds, scope.maxAttempts);
  const stillRunning = unfinished.some((line) => / still (queued|running) /.test(line));
  return {
    'every build ended: succeeded, or failed with a reason once the faults used up its attempts':
      unfinished,
    'exactly one version row per build': await versionsNotOnce(query, buildIds),
    'exactly one deployment row per succeeded build': await deploymentsNotOnce(query, buildIds),
    'AI time reserved and settled exactly once': await quotaNotSettledOnce(query, buildIds),
    'each webhook event in the outbox once, delivered once': await outboxNotOnce(query, buildIds),
    'the receiver got every delivered message (repeats dropped by webhook-id)':
      await receiverProblems(scope, buildIds),
    'no workspace left for an ended build': await workspacesLeft(scope, buildIds),
    // Processes of builds that still run are no leftovers: looked for only once all ended.
    'no sandbox process left': stillRunning
      ? ['not looked for: builds still running']
      : await processesLeft(scope),
  };
}

/** The receiver may see a message more than once (at-least-once), never miss or invent one. */
async function receiverProblems(scope: CheckScope, buildIds: string[]): Promise<string[]> {
  const wanted = new Set(buildIds);
  const seen = new Map<string, number>();
  for (const r of scope.receiver.received) {
    const buildId = r.json?.data?.buildId as string | undefined;
    if (r.status !== 200 || !buildId || !wanted.has(buildId)) continue;
    const id = r.headers['webhook-id'] ?? '(no webhook-id)';
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  const delivered = await deliveredMessageIds(scope.query, buildIds);
  const problems = delivered
    .filter((id) => !seen.has(id))
    .map((id) => `${id}: recorded as delivered, never received`);
  const known = new Set(delivered);
  for (const id of seen.keys()) {
    if (!known.has(id)) problems.push(`${id}: received, not recorded as delivered`);
  }
  const repeats = [...seen.values()].filter((n) => n > 1).length;
  if (repeats > 0) {
    process.stdout.write(`[faults] ${repeats} messages reached the receiver more than once\n`);
  }
  return problems;
}

/** Workspace folders (named after the build id in lower case) of builds that have ended. */
async function workspacesLeft(scope: CheckScope, buildIds: string[]): Promise<string[]> {
  const names = await readdir(path.join(scope.dataDir, 'workspaces')).catch(() => [] as string[]);
  const mine = names.filter((n) => buildIds.includes(n.toUpperCase()));
  if (mine.length === 0) return [];
  const rows = await scope.query(
    `SELECT id, status, stage, attempts FROM builds WHERE id = ANY($1::text[])
     AND status NOT IN ('queued', 'running')`,
    [mine.map((n) => n.toUpperCase())],
  );
  return rows.map(
    (r) => `workspaces/${String(r.id).toLowerCase()}: build ${r.status} (stage ${r.stage})`,
  );
}

/**
 * Nothing runs under the run's sandbox uids, nothing a killed server started is still alive,
 * and no process works in the scenario's folder (installs run as a shared uid: this finds them).
 */
async function processesLeft(scope: CheckScope): Promise<string[]> {
  const inRange = await processesInUidRange(UID_BASE, UID_COUNT);
  const orphans = await stillRunning(scope.orphanCandidates);
  const inFolder = await processesUnder(scope.root, scope.serverPids);
  const lines = (label: string, list: ProcessInfo[]) =>
    list.length === 0 ? [] : [`${label}:\n${describeProcesses(list)}`];
  return [
    ...lines(`under sandbox uids ${UID_BASE}-${UID_BASE + UID_COUNT - 1}`, inRange),
    ...lines('left by a killed server', orphans),
    ...lines(`working in ${scope.root}`, inFolder),
  ];
}

/** At most `max` lines per check, so a failure message stays readable. */
export function trimReport(report: Report, max = 15): Report {
  return Object.fromEntries(
    Object.entries(report).map(([check, lines]) => [
      check,
      lines.length > max ? [...lines.slice(0, max), `… and ${lines.length - max} more`] : lines,
    ]),
  );
}

/** A report with every list empty: what a run with nothing lost looks like. */
export function cleanReport(report: Report): Report {
  return Object.fromEntries(Object.keys(report).map((k) => [k, []]));
}
