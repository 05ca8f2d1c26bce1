import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Signing secrets of the suite's servers (at least 32 characters, admin apart from app). */
export const SECRET = `faults-app-${randomBytes(24).toString('hex')}`;
export const ADMIN_SECRET = `faults-admin-${randomBytes(24).toString('hex')}`;
export const WEBHOOK_SECRET = `whsec_${randomBytes(32).toString('base64')}`;

/**
 * A sandbox uid range of this run's own, so the processes found in it at the end are this
 * run's leftovers, never another test's builds on the same machine.
 */
export const UID_COUNT = 16;
export const UID_BASE = 420_000 + process.pid * UID_COUNT;

/** How often each periodic clean-up runs during the suite (short, so its effect is seen). */
export const SWEEP_MS = 1000;
/** Short, so a build outlasts it; long enough for a loaded machine to record the hand-back. */
export const SHUTDOWN_MS = 3000;

/** A folder for one scenario: the data directory, the logs, nothing else. */
export interface Scenario {
  root: string;
  dataDir: string;
  logDir: string;
}

export async function scenarioDirs(name: string): Promise<Scenario> {
  const root = await mkdtemp(path.join(tmpdir(), `sheen-faults-${name}-`));
  // Sandbox users must traverse every parent of DATA_DIR (mkdtemp makes it 0700).
  await chmod(root, 0o711);
  const dataDir = path.join(root, 'data');
  const logDir = path.join(root, 'logs');
  await mkdir(logDir);
  return { root, dataDir, logDir };
}

/**
 * What every server in the suite runs with: the offline engine, AI time metered (so every
 * build reserves and settles), a loopback webhook receiver, short timers, and the limits a
 * burst of builds from one test would otherwise hit.
 */
export function baseEnv(dataDir: string, webhookUrl: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    HMAC_SECRETS: SECRET,
    ADMIN_HMAC_SECRETS: ADMIN_SECRET,
    AI_PROVIDER: 'offline',
    QUOTA_METER_OFFLINE: 'true',
    QUOTA_DEFAULT_PLAN_SECONDS: '10000000',
    QUOTA_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    // The periodic sweep of what ended builds left in DATA_DIR, and the reconciliation of the
    // queue with the database (versions without them ignore these).
    WORKSPACE_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    QUEUE_RECONCILE_INTERVAL_MS: String(2 * SWEEP_MS),
    WEBHOOK_URL: webhookUrl,
    WEBHOOK_SECRET,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_POLL_MS: '200',
    WEBHOOK_RETRY_BASE_MS: '250',
    WEBHOOK_TIMEOUT_MS: '3000',
    RATE_LIMIT_IP_MAX: '1000000',
    RATE_LIMIT_USER_MAX: '1000000',
    // Kills use up attempts: enough that a build is not failed by bad luck alone.
    QUEUE_ATTEMPTS: '10',
    QUEUE_LOCK_MS: '4000',
    BUILD_CONCURRENCY: '2',
    SANDBOX_UID_BASE: String(UID_BASE),
    SANDBOX_UID_COUNT: String(UID_COUNT),
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_MS),
  };
}
