import type { Logger } from '../observability/logger.js';
import type { QuotaService } from '../services/quota.service.js';

/**
 * Runs the quota sweep on a timer: settles reservations whose build ended or died and writes
 * expire rows for ended grants. Every worker may run one; the ledger functions lock per user,
 * so two sweeps at once settle each reservation once.
 */
export class QuotaSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly quota: QuotaService,
    private readonly logger: Logger,
    private readonly options: { intervalMs: number; staleMs: number },
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
    if (this.running) return; // the last sweep is still going
    this.running = this.quota
      .sweep(this.options.staleMs)
      .catch((err: unknown) => this.logger.warn({ err }, 'quota sweep failed; next run retries'))
      .finally(() => {
        this.running = undefined;
      });
  }
}
