import type { HealthProbe, ProbeResult } from '../services/health.service.js';
import type { S3ArtifactStore } from './s3-artifact-store.js';

/** Reaches the bucket (HeadBucket): wrong credentials, a missing bucket or no route show here. */
export function s3BucketProbe(store: S3ArtifactStore): HealthProbe {
  return {
    name: 'artifact-store',
    async check(): Promise<ProbeResult> {
      try {
        await store.checkBucket();
        return { status: 'ok', detail: { kind: 's3', bucket: store.bucket } };
      } catch (err) {
        // The status code only: driver messages can carry hosts or key ids.
        const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata
          ?.httpStatusCode;
        return {
          status: 'down',
          detail: { kind: 's3', bucket: store.bucket },
          message: status ? `the bucket answered HTTP ${status}` : 'the bucket did not answer',
        };
      }
    },
  };
}
