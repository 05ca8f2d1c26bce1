import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import {
  ArtifactIntegrityError,
  ArtifactNotFoundError,
  contentPath,
  type ArtifactRef,
  type ArtifactStore,
  type StoredArtifact,
} from './artifact-store.js';
import { copyVerified } from './verified-copy.js';

export interface S3Settings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Objects live under this prefix, so the bucket can hold other things beside them. */
const PREFIX = 'artifacts/';
const KEY = /^artifacts\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64}\.tar\.gz$/;
/** User metadata key (sent as x-amz-meta-sha256): the digest the object was stored with. */
const SHA_META = 'sha256';

/**
 * Artifacts in an S3-compatible bucket (Cloudflare R2, MinIO, AWS), keyed by SHA-256. The
 * digest also travels as object metadata, and every read hashes the bytes it receives.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly kind = 's3';
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      endpoint: settings.endpoint,
      region: settings.region,
      credentials: {
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
      },
      // Buckets as a path segment: what R2 and self-hosted servers answer without DNS set-up.
      forcePathStyle: true,
      // Checksums by default make a streamed PutObject aws-chunked, and some S3-compatible
      // servers store that framing as the object's bytes; our own SHA-256 covers integrity.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // A bucket that stops answering fails the step instead of holding a build forever; the
      // request timeout is per idle socket, so a large transfer that moves is never cut.
      requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
    });
  }

  get bucket(): string {
    return this.settings.bucket;
  }

  private checkKey(key: string): string {
    if (!KEY.test(key)) throw new Error('invalid artifact key');
    return key;
  }

  async put(localFile: string, sha256: string, sizeBytes: number): Promise<StoredArtifact> {
    const storageKey = `${PREFIX}${contentPath(sha256)}`;
    // Same key, same digest and size: already stored. Anything else (a partial upload, an
    // object changed behind our back) is written over.
    const head = await this.head(storageKey);
    if (head?.metadata[SHA_META] !== sha256 || head.size !== sizeBytes) {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: storageKey,
          Body: createReadStream(localFile),
          ContentLength: sizeBytes,
          ContentType: 'application/gzip',
          Metadata: { [SHA_META]: sha256 },
        }),
      );
    }
    return { sha256, sizeBytes, storageKind: 's3', storageKey };
  }

  async fetch(artifact: ArtifactRef, localFile: string): Promise<void> {
    const key = this.checkKey(artifact.storageKey);
    const object = await this.client
      .send(new GetObjectCommand({ Bucket: this.settings.bucket, Key: key }))
      .catch((err: unknown) => {
        throw isNotFound(err) ? new ArtifactNotFoundError(key) : err;
      });
    const body = object.Body as Readable | undefined;
    const stated = object.Metadata?.[SHA_META];
    if (!body || stated !== artifact.sha256) {
      // Not read: release the connection.
      body?.destroy();
      throw new ArtifactIntegrityError(
        key,
        stated ? `metadata says ${stated}, expected ${artifact.sha256}` : 'no sha256 metadata',
      );
    }
    await copyVerified(body, localFile, artifact);
  }

  owns(storageKey: string): boolean {
    return KEY.test(storageKey);
  }

  async exists(storageKey: string): Promise<boolean> {
    return (await this.head(this.checkKey(storageKey))) !== undefined;
  }

  async delete(storageKey: string): Promise<void> {
    // S3 answers a delete of a missing key with success, as the port asks.
    await this.client.send(
      new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.checkKey(storageKey) }),
    );
  }

  /** Reaches the bucket with the configured credentials (the health probe). */
  async checkBucket(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
  }

  close(): void {
    this.client.destroy();
  }

  private async head(
    key: string,
  ): Promise<{ size: number; metadata: Record<string, string> } | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.settings.bucket, Key: key }),
      );
      return { size: head.ContentLength ?? -1, metadata: head.Metadata ?? {} };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

function isNotFound(err: unknown): boolean {
  return (
    err instanceof S3ServiceException &&
    (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404)
  );
}
