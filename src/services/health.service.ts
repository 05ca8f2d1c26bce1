/**
 * Aggregates dependency probes into one report. Each probe is a small adapter-owned check
 * (database, Redis, disk, AI engine); the service only times them out and rolls them up.
 */
export type ProbeStatus = 'ok' | 'degraded' | 'down';

export interface ProbeResult {
  status: ProbeStatus;
  detail?: Record<string, unknown>;
  /** Safe, short, human text; never raw driver errors (they can carry hosts or credentials). */
  message?: string;
}

export interface HealthProbe {
  readonly name: string;
  check(): Promise<ProbeResult>;
}

export interface ProbeReport extends ProbeResult {
  name: string;
  latencyMs: number;
}

export interface HealthReport {
  status: ProbeStatus;
  version: string;
  uptimeSeconds: number;
  checks: ProbeReport[];
}

export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly probes: readonly HealthProbe[],
    private readonly version: string,
    private readonly timeoutMs = 3000,
  ) {}

  async report(only?: readonly string[]): Promise<HealthReport> {
    const selected = only ? this.probes.filter((p) => only.includes(p.name)) : this.probes;
    const checks = await Promise.all(selected.map((p) => this.run(p)));
    return {
      status: worst(checks.map((c) => c.status)),
      version: this.version,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      checks,
    };
  }

  private async run(probe: HealthProbe): Promise<ProbeReport> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ProbeResult>((resolve) => {
      timer = setTimeout(
        () => resolve({ status: 'down', message: `no answer within ${this.timeoutMs} ms` }),
        this.timeoutMs,
      );
    });
    try {
      const result = await Promise.race([
        probe.check().catch((): ProbeResult => ({ status: 'down', message: 'check failed' })),
        timeout,
      ]);
      return { name: probe.name, latencyMs: Math.round(performance.now() - started), ...result };
    } finally {
      clearTimeout(timer);
    }
  }
}

function worst(statuses: ProbeStatus[]): ProbeStatus {
  if (statuses.includes('down')) return 'down';
  if (statuses.includes('degraded')) return 'degraded';
  return 'ok';
}
