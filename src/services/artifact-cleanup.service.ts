import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Logger } from '../observability/logger.js';
import type {
  ArtifactRetentionRepository,
  CleanupRun,
  ExpiredArtifact,
} from '../repositories/artifact-retention.repo.js';
import type { Transaction } from './release.service.js';

const DAY_MS = 86_400_000;
/** Artifacts looked at per run; a backlog larger than this clears over the next runs. */
const BATCH = 500;
/** Artifacts listed in a report (the counts cover them all). */
export const MAX_LISTED = 200;

export interface CleanupItem {
  artifactId: string;
  sha256: string;
  sizeBytes: number;
  action: 'delete' | 'keep';
  reason: string;
}

export interface CleanupReport extends Omit<CleanupRun, 'startedAt' | 'finishedAt'> {
  artifacts: CleanupItem[];
}

export interface ArtifactCleanupDeps {
  transaction: Transaction;
  retention: ArtifactRetentionRepository;
  /** Reaches every store an artifact may be in (rows recorded under an earlier ARTIFACT_STORE). */
  store: ArtifactStore;
  retentionDays: number;
  logger: Logger;
  now?: () => Date;
}

/**
 * Deletes expired artifacts (build outputs and source snapshots) unless something live uses
 * them. A kept artifact's expiry moves a full retention period ahead, so it is not rescanned
 * every run and, once nothing live uses it, it still lasts one more period (time to roll back).
 * Every run, dry or not, writes one r2_cleanup_logs row.
 */
export class ArtifactCleanupService {
  constructor(private readonly deps: ArtifactCleanupDeps) {}

  async run(options: { dryRun: boolean }): Promise<CleanupReport> {
    const { deps } = this;
    const startedAt = deps.now?.() ?? new Date();
    const found = await deps.transaction(async (tx) => {
      await deps.retention.lock(tx);
      const expired = await deps.retention.expired(tx, {
        now: startedAt,
        retentionDays: deps.retentionDays,
        limit: BATCH,
      });
      if (!options.dryRun) {
        const until = new Date(startedAt.getTime() + deps.retentionDays * DAY_MS);
        await deps.retention.extend(tx, idsOf(expired, true), until);
        // Before the bytes go: from here on nothing serves or deploys them.
        await deps.retention.markDeleted(tx, idsOf(expired, false), startedAt);
      }
      return expired;
    });
    const doomed = found.filter((a) => !a.keepReason);
    const errors = options.dryRun ? [] : await this.deleteObjects(doomed);
    const failed = new Set(errors.map((e) => e.artifactId));
    // In a dry run: what would be deleted.
    const deleted = doomed.filter((a) => !failed.has(a.id));
    if (!options.dryRun) await deps.retention.retireVersions(deleted.map((a) => a.id));
    const counts = {
      dryRun: options.dryRun,
      scanned: found.length,
      deleted: deleted.length,
      kept: found.length - doomed.length,
      bytesFreed: deleted.reduce((sum, a) => sum + a.sizeBytes, 0),
      errors,
    };
    await deps.retention.logRun({ ...counts, startedAt, finishedAt: new Date() });
    if (counts.scanned > 0) deps.logger.info(counts, 'artifact cleanup finished');
    return { ...counts, artifacts: found.slice(0, MAX_LISTED).map((a) => item(a, failed)) };
  }

  /** Deletes each object; one the store refuses is unmarked, reported and retried next run. */
  private async deleteObjects(doomed: ExpiredArtifact[]): Promise<CleanupRun['errors']> {
    const errors: CleanupRun['errors'] = [];
    for (const artifact of doomed) {
      try {
        await this.deps.store.delete(artifact.storageKey);
      } catch (err) {
        await this.deps.retention.unmarkDeleted(artifact.id);
        errors.push({ artifactId: artifact.id, message: (err as Error).message });
        this.deps.logger.warn({ err, artifactId: artifact.id }, 'artifact cleanup: delete failed');
      }
    }
    return errors;
  }
}

function idsOf(artifacts: ExpiredArtifact[], kept: boolean): string[] {
  return artifacts.filter((a) => Boolean(a.keepReason) === kept).map((a) => a.id);
}

function item(a: ExpiredArtifact, failed: Set<string>): CleanupItem {
  const base = { artifactId: a.id, sha256: a.sha256, sizeBytes: a.sizeBytes };
  if (a.keepReason) return { ...base, action: 'keep', reason: a.keepReason };
  if (failed.has(a.id))
    return { ...base, action: 'keep', reason: 'delete failed; retried next run' };
  return { ...base, action: 'delete', reason: 'expired' };
}
