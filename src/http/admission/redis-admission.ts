import DataLoader from 'dataloader';
import type { Redis } from 'ioredis';
import type {
  Admission,
  AdmissionRequest,
  AdmissionStore,
  RateLimitSettings,
} from './admission.js';

/**
 * Admits a batch of requests in one call. KEYS: three per request, in order: its IP counter,
 * its nonce, its user counter ('' where a step is not asked for). ARGV: window (ms), IP limit,
 * nonce lifetime (ms). Returns five numbers per request: {ip count, ip ttl, nonce fresh (1/0),
 * user count, user ttl}, -1 where a step was not asked for or not reached. Requests are
 * admitted in order, each as if alone: a nonce twice in one batch is fresh the first time
 * only. A counter found without an expiry (its PEXPIRE lost) gets one, so it can never block
 * a client for good.
 */
const ADMIT_LUA = `
local function count(key)
  local n = redis.call('INCR', key)
  local ttl = n == 1 and -1 or redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[1])
    ttl = tonumber(ARGV[1])
  end
  return n, ttl
end
local ipMax = tonumber(ARGV[2])
local out = {}
for i = 1, #KEYS, 3 do
  local ipN, ipTtl, fresh, userN, userTtl = -1, -1, -1, -1, -1
  repeat
    if KEYS[i] ~= '' then
      ipN, ipTtl = count(KEYS[i])
      if ipN > ipMax then break end
    end
    if KEYS[i + 1] ~= '' then
      fresh = redis.call('SET', KEYS[i + 1], '1', 'PX', ARGV[3], 'NX') and 1 or 0
      if fresh == 0 then break end
    end
    if KEYS[i + 2] ~= '' then userN, userTtl = count(KEYS[i + 2]) end
  until true
  local n = #out
  out[n + 1], out[n + 2], out[n + 3], out[n + 4], out[n + 5] = ipN, ipTtl, fresh, userN, userTtl
end
return out
`;

declare module 'ioredis' {
  interface RedisCommander {
    /** KEYS count, then the keys (three per request), then window, IP limit, nonce lifetime. */
    sheenAdmitBatch(
      numberOfKeys: number,
      ...keysThenArgs: Array<string | number>
    ): Promise<number[]>;
  }
}

/** Requests admitted together at most: 300 keys to a script call. */
const MAX_BATCH = 100;

/**
 * Admission in Redis, shared by every API process. The requests of one turn of the event loop
 * (those whose bytes arrived together) are admitted by one script call: one command to build,
 * send and parse on this side and one script run on Redis's, where each request was one of
 * each (ADR 14 made it one per request, from two or three). Keys keep their earlier names:
 * `<prefix>:rl:ip:<ip>`, `<prefix>:rl:user:<id>`, `<prefix>:nonce:<nonce>`.
 */
export class RedisAdmission implements AdmissionStore {
  private readonly batch = new DataLoader<AdmissionRequest, Admission>(
    (requests) => this.admitAll(requests),
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (run) => setImmediate(run) },
  );

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly limits: RateLimitSettings,
    private readonly nonceTtlSeconds: number,
  ) {
    // Defining it again on a shared connection only replaces the same script.
    redis.defineCommand('sheenAdmitBatch', { lua: ADMIT_LUA });
  }

  admit(request: AdmissionRequest): Promise<Admission> {
    return this.batch.load(request);
  }

  private async admitAll(requests: readonly AdmissionRequest[]): Promise<Admission[]> {
    const p = this.keyPrefix;
    const keys: string[] = [];
    for (const request of requests) {
      keys.push(
        request.ip === undefined ? '' : `${p}:rl:ip:${request.ip}`,
        request.nonce === undefined ? '' : `${p}:nonce:${request.nonce}`,
        request.user === undefined ? '' : `${p}:rl:user:${request.user}`,
      );
    }
    const reply = await this.redis.sheenAdmitBatch(
      keys.length,
      ...keys,
      this.limits.windowMs,
      this.limits.ipMax,
      this.nonceTtlSeconds * 1000,
    );
    return requests.map((_, i) => admissionOf(reply, i * 5));
  }

  /** The connection belongs to the container, which closes it. */
  async close(): Promise<void> {}
}

/** The five numbers of one request in the script's reply, from `at`. */
function admissionOf(reply: number[], at: number): Admission {
  const ipN = reply[at] ?? -1;
  const fresh = reply[at + 2] ?? -1;
  const userN = reply[at + 3] ?? -1;
  const admission: Admission = {};
  if (ipN >= 0) admission.ip = { count: ipN, ttlMs: reply[at + 1] ?? 0 };
  if (fresh >= 0) admission.nonceFresh = fresh === 1;
  if (userN >= 0) admission.user = { count: userN, ttlMs: reply[at + 4] ?? 0 };
  return admission;
}
