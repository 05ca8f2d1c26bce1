import type { Config } from '../config/config.js';
import type { HealthProbe, ProbeResult } from '../services/health.service.js';

/**
 * Whether the configured AI engine can take work. The offline engine needs nothing; API
 * engines are reported as configured (probing them would spend money); the CLI is run.
 */
export function engineProbe(
  provider: Config['ai']['provider'],
  checkCli: () => Promise<ProbeResult>,
): HealthProbe {
  return {
    name: 'engine',
    async check(): Promise<ProbeResult> {
      if (provider === 'claude-cli') {
        const result = await checkCli();
        return { ...result, detail: { provider, ...result.detail } };
      }
      return { status: 'ok', detail: { provider, network: provider !== 'offline' } };
    },
  };
}
