import type { Logger } from './logger.js';
import { knownOutageMessage, type DependencyName } from './dependency-errors.js';

/**
 * Which dependencies this process currently cannot reach, fed by connection events (Redis)
 * and by failed calls (PostgreSQL). Routes and probes read it to answer at once instead of
 * waiting on a connection that is known to be gone. Each change is logged once, not per request.
 */
export class DependencyState {
  private readonly down = new Map<DependencyName, { since: number; reason: string }>();

  constructor(private readonly logger?: Logger) {}

  markDown(name: DependencyName, reason: string): void {
    if (this.down.has(name)) return;
    this.down.set(name, { since: Date.now(), reason });
    this.logger?.error({ dependency: name, reason }, `${name} is unavailable`);
  }

  markUp(name: DependencyName): void {
    const was = this.down.get(name);
    if (!was) return;
    this.down.delete(name);
    this.logger?.info(
      { dependency: name, downMs: Date.now() - was.since },
      `${name} is available again`,
    );
  }

  isDown(name: DependencyName): boolean {
    return this.down.has(name);
  }

  /** The reason a dependency is down (a short code such as ECONNREFUSED), if it is. */
  reason(name: DependencyName): string | undefined {
    return this.down.get(name)?.reason;
  }
}

/**
 * A short, safe reason for the log and health report: the error code, or one of the fixed
 * driver messages outageOf knows; never any other message (it can carry hosts).
 */
export function reasonOf(err: unknown): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  if (err instanceof Error) return knownOutageMessage(err) ?? err.name;
  return 'unknown';
}
