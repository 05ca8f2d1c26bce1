import type { Logger } from '../observability/logger.js';
import type { ArtifactCleanupService } from '../services/artifact-cleanup.service.js';

/**
 * Runs artifact cleanup on a timer on worker processes. Every worker may run one: runs take
 * an advisory lock, so two at once are serial and the second finds the work done.
 */
export class ArtifactCleanupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly cleanup: ArtifactCleanupService,
    private readonly logger: Logger,
    private readonly options: { intervalMs: number },
  ) {}

  start(): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return; // the last run is still going
    this.running = this.cleanup
      .run({ dryRun: false })
      .catch((err: unknown) =>
        this.logger.warn({ err }, 'artifact cleanup failed; the next run retries'),
      )
      .finally(() => {
        this.running = undefined;
      });
  }
}
