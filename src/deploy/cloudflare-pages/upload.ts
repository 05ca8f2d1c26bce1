import { readFile } from 'node:fs/promises';
import { PagesApiError, type PagesApi, type UploadPayloadFile } from './pages-api.js';
import type { SiteAsset } from './site-files.js';

/** Pages' limits of one upload request (wrangler's MAX_BUCKET_SIZE and MAX_BUCKET_FILE_COUNT). */
export const MAX_BUCKET_BYTES = 40 * 1024 * 1024;
export const MAX_BUCKET_FILES = 2000;
/** Upload requests in flight at once, as wrangler sends them. */
const CONCURRENCY = 3;
/** A JWT this close to its `exp` is replaced before use rather than refused mid-upload. */
const EXPIRY_MARGIN_SECONDS = 60;
/** Fresh JWTs one step may ask for after 401s before it gives up (a token that never works). */
const MAX_REFRESHES = 2;
const MAX_RETRY_AFTER_SECONDS = 120;

export interface UploadOptions {
  /** Retries of one request after the first attempt, on 429, 5xx and network errors. */
  retries: number;
  /** First backoff; doubles per retry (wrangler waits 1 s, 2 s, 4 s …). */
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface UploadResult {
  /** `{"/path": hash}` for every asset: what the deployment is made of. */
  manifest: Record<string, string>;
  uploaded: number;
}

/**
 * One Direct Upload of a site's assets to a Pages project: ask which hashes Pages lacks,
 * upload only those in size-bounded buckets, then refresh every hash so Pages keeps them.
 * Content-addressed: a second deploy of mostly the same files uploads only what changed.
 */
export class AssetUpload {
  private jwt: string | undefined;

  constructor(
    private readonly api: PagesApi,
    private readonly project: string,
    private readonly options: UploadOptions,
  ) {}

  async run(assets: SiteAsset[]): Promise<UploadResult> {
    const hashes = [...new Set(assets.map((a) => a.hash))];
    const missing = new Set(await this.withRetry((jwt) => this.api.checkMissing(jwt, hashes)));
    // One upload per hash, even if several paths hold the same bytes.
    const byHash = new Map(assets.filter((a) => missing.has(a.hash)).map((a) => [a.hash, a]));
    const buckets = bucketsOf([...byHash.values()]);
    let next = 0;
    const worker = async () => {
      for (let bucket = buckets[next++]; bucket; bucket = buckets[next++]) {
        const payload = await payloadOf(bucket);
        await this.withRetry((jwt) => this.api.upload(jwt, payload));
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, buckets.length) }, worker));
    if (hashes.length > 0) await this.withRetry((jwt) => this.api.upsertHashes(jwt, hashes));
    return {
      manifest: Object.fromEntries(assets.map((a) => [`/${a.name}`, a.hash])),
      uploaded: byHash.size,
    };
  }

  /**
   * Sends a request until it succeeds: a 401 gets a fresh JWT (not counted as a retry, at most
   * MAX_REFRESHES), 429, 5xx and network errors wait (retry-after, else exponential backoff).
   */
  private async withRetry<T>(send: (jwt: string) => Promise<T>): Promise<T> {
    let refreshes = 0;
    for (let attempt = 0; ;) {
      try {
        return await send(await this.token());
      } catch (err) {
        if (!(err instanceof PagesApiError)) throw err;
        if (err.status === 401 && refreshes < MAX_REFRESHES) {
          refreshes += 1;
          this.jwt = undefined;
          continue;
        }
        if (!isTransient(err) || attempt >= this.options.retries) throw err;
        await this.sleep(this.delayMs(err, attempt));
        attempt += 1;
      }
    }
  }

  private async token(): Promise<string> {
    if (this.jwt && !expiresSoon(this.jwt, this.now())) return this.jwt;
    this.jwt = await this.withTokenRetry();
    return this.jwt;
  }

  /** The upload-token call itself, with the same rules for 429, 5xx and the network. */
  private async withTokenRetry(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.api.uploadToken(this.project);
      } catch (err) {
        if (!(err instanceof PagesApiError) || !isTransient(err) || attempt >= this.options.retries)
          throw err;
        await this.sleep(this.delayMs(err, attempt));
      }
    }
  }

  private delayMs(err: PagesApiError, attempt: number): number {
    if (err.retryAfterSeconds !== undefined)
      return Math.min(err.retryAfterSeconds, MAX_RETRY_AFTER_SECONDS) * 1000;
    return this.options.backoffMs * 2 ** attempt;
  }

  private sleep(ms: number): Promise<void> {
    return this.options.sleep
      ? this.options.sleep(ms)
      : new Promise((resolve) => setTimeout(resolve, ms));
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

function isTransient(err: PagesApiError): boolean {
  return err.status === undefined || err.status === 429 || err.status >= 500;
}

/** Whether a JWT's `exp` is past or within the margin; an unreadable one counts as expired. */
export function expiresSoon(jwt: string, nowMs: number): boolean {
  try {
    const payload = JSON.parse(
      Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as unknown;
    const exp = (payload as { exp?: unknown } | null)?.exp;
    return typeof exp !== 'number' || exp - EXPIRY_MARGIN_SECONDS <= nowMs / 1000;
  } catch {
    return true;
  }
}

/**
 * Largest files first, each into the first bucket with room (bytes and file count), so no
 * request goes over Pages' limits and few requests are needed.
 */
export function bucketsOf(assets: SiteAsset[]): SiteAsset[][] {
  const buckets: Array<{ files: SiteAsset[]; bytes: number }> = [];
  for (const asset of [...assets].sort((a, b) => b.sizeBytes - a.sizeBytes)) {
    const fits = buckets.find(
      (b) => b.bytes + asset.sizeBytes <= MAX_BUCKET_BYTES && b.files.length < MAX_BUCKET_FILES,
    );
    if (fits) {
      fits.files.push(asset);
      fits.bytes += asset.sizeBytes;
    } else buckets.push({ files: [asset], bytes: asset.sizeBytes });
  }
  return buckets.map((b) => b.files);
}

async function payloadOf(bucket: SiteAsset[]): Promise<UploadPayloadFile[]> {
  return Promise.all(
    bucket.map(async (asset) => ({
      key: asset.hash,
      value: (await readFile(asset.file)).toString('base64'),
      metadata: { contentType: asset.contentType },
      base64: true as const,
    })),
  );
}
