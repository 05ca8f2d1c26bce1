import { z } from 'zod';
import { int, optionalString, urlWithProtocols } from './env-values.js';

/** The artifact store and retention settings: their cross-field rules and their Config slice. */

export const artifactEnv = {
  ARTIFACT_STORE: z.enum(['fs', 's3']).default('fs'),
  S3_ENDPOINT: urlWithProtocols(['http:', 'https:']),
  S3_BUCKET: optionalString,
  S3_REGION: z.string().min(1).default('auto'),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  ARTIFACT_RETENTION_DAYS: int(30, 1, 120),
  ARTIFACT_CLEANUP_INTERVAL_MS: int(21_600_000, 60_000, 604_800_000),
};

type ArtifactEnv = { [K in keyof typeof artifactEnv]: z.output<(typeof artifactEnv)[K]> };

const S3_REQUIRED = [
  'S3_ENDPOINT',
  'S3_BUCKET',
  'S3_ACCESS_KEY_ID',
  'S3_SECRET_ACCESS_KEY',
] as const;

export function artifactRules(env: ArtifactEnv, ctx: z.RefinementCtx): void {
  if (env.ARTIFACT_STORE !== 's3') return;
  for (const name of S3_REQUIRED) {
    if (env[name]) continue;
    ctx.addIssue({ code: 'custom', path: [name], message: 'is required when ARTIFACT_STORE=s3' });
  }
}

export function artifactsSection(env: ArtifactEnv) {
  const store =
    env.ARTIFACT_STORE === 's3'
      ? {
          kind: 's3' as const,
          // Present: artifactRules refuses s3 without them.
          endpoint: env.S3_ENDPOINT ?? '',
          bucket: env.S3_BUCKET ?? '',
          region: env.S3_REGION,
          accessKeyId: env.S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: env.S3_SECRET_ACCESS_KEY ?? '',
        }
      : // Under DATA_DIR/artifacts, where the start-up sweep also looks.
        { kind: 'fs' as const };
  return {
    store,
    /** Days an artifact is kept after it is stored, unless a live version still uses it. */
    retentionDays: env.ARTIFACT_RETENTION_DAYS,
    cleanupIntervalMs: env.ARTIFACT_CLEANUP_INTERVAL_MS,
  };
}
