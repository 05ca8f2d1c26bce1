import type { Logger } from './observability/logger.js';

/**
 * Runs `run` now and then every `intervalMs` in this process, never two at once (a tick that
 * finds the last run still going is skipped). A failed run is logged; the next tick retries.
 * The timer does not keep the process alive; `stop` waits for a run in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly options: {
      /** Named in the log line of a failed run. */
      name: string;
      intervalMs: number;
      run: () => Promise<unknown>;
      logger: Logger;
    },
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
    if (this.running) return;
    const { name, run, logger } = this.options;
    this.running = run()
      .catch((err: unknown) => logger.warn({ err }, `${name} failed; the next run retries`))
      .finally(() => {
        this.running = undefined;
      });
  }
}
