import { auditTree, failsAt, type AuditReport } from '../../supply/audit.js';
import { readInstalledTree } from '../../supply/installed-tree.js';
import { RegistryUnavailable } from '../../supply/package-registry.js';
import type { BuildRun } from '../context.js';
import { StageFailure } from '../failure.js';

/** Findings kept in the event (and so in the recommendation): the worst first. */
const MAX_FINDINGS = 50;

/**
 * Audits the installed tree (from the lockfile) against the registry's advisories. The result
 * is an `audit.done` event, which the recommend step turns into upgrade advice; at or above
 * AUDIT_FAIL_LEVEL the build fails. An advisory service that cannot answer is a warning only.
 */
export async function auditDependencies(run: BuildRun): Promise<void> {
  const { supply } = run.deps;
  const tree = await readInstalledTree(run.workspace.root, run.state.dependencyDir);
  if (!tree || Object.keys(tree.installed).length === 0) {
    await run.log.emit({
      type: 'audit.skipped',
      stage: 'install',
      message: 'No lockfile to audit: the installed versions are unknown.',
    });
    return;
  }
  const { verifier } = supply;
  let report: AuditReport;
  try {
    report = await auditTree(
      tree.installed,
      verifier.registry,
      (name) => verifier.summary(name, run.signal),
      run.signal,
    );
  } catch (err) {
    if (!(err instanceof RegistryUnavailable)) throw err;
    run.log.emitSoon({
      type: 'audit.unavailable',
      stage: 'install',
      level: 'warn',
      message: `The dependency audit was skipped: ${err.message}`,
    });
    return;
  }
  await emitReport(run, report, tree.lockfile, Object.keys(tree.installed).length);
  const level = supply.settings.auditFailLevel;
  if (failsAt(level, report.worst)) {
    const worst = report.findings[0];
    throw new StageFailure(
      'DEPENDENCY_VULNERABLE',
      `An installed dependency has a ${report.worst} vulnerability: ${worst?.name}@${worst?.version} (${worst?.title}).`,
      worst?.fixVersion
        ? `Upgrade ${worst.name} to ${worst.fixVersion} or later (AUDIT_FAIL_LEVEL=${level} fails builds at this severity).`
        : `Replace ${worst?.name ?? 'the package'}; no fixed version is published (AUDIT_FAIL_LEVEL=${level} fails builds at this severity).`,
    );
  }
}

async function emitReport(
  run: BuildRun,
  report: AuditReport,
  lockfile: string,
  packages: number,
): Promise<void> {
  const total = report.findings.length;
  const counts = Object.entries(report.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  run.log.emitSoon({
    type: 'audit.done',
    stage: 'install',
    level: total > 0 ? 'warn' : 'info',
    message:
      total === 0
        ? `Audited ${packages} packages from ${lockfile}: no known vulnerabilities.`
        : `Audited ${packages} packages from ${lockfile}: ${counts}.`,
    data: {
      lockfile,
      packages,
      counts: report.counts,
      worst: report.worst ?? null,
      failLevel: run.deps.supply.settings.auditFailLevel,
      findings: report.findings.slice(0, MAX_FINDINGS),
    },
  });
}
