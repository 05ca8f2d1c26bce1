import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface S3Server {
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps its objects (tests corrupt them here). */
  directory: string;
  /** The env that points the worker at this server. */
  env: Record<string, string>;
  /** The file holding an object's bytes in s3rver's storage. */
  objectFile(key: string): string;
  close(): Promise<void>;
}

export const S3_KEY_ID = 'S3RVER';
export const S3_SECRET = 'S3RVER';

/** A real S3 server (s3rver) on 127.0.0.1, a random port and a temporary directory. */
export async function startS3Server(bucket = 'artifacts-test'): Promise<S3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 'sheen-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    directory,
    env: {
      ARTIFACT_STORE: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: S3_KEY_ID,
      S3_SECRET_ACCESS_KEY: S3_SECRET,
    },
    objectFile(key: string) {
      const parts = key.split('/');
      const name = parts.pop() ?? '';
      return path.join(directory, bucket, ...parts, `${name}._S3rver_object`);
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
