import type { Redis } from 'ioredis';
import type {
  Admission,
  AdmissionRequest,
  AdmissionStore,
  RateLimitSettings,
} from './admission.js';

/**
 * KEYS: the IP counter, the nonce, the user counter ('' when not asked for).
 * ARGV: window (ms), IP limit, nonce lifetime (ms).
 * Returns {ip count, ip ttl, nonce fresh (1/0), user count, user ttl}, -1 where a step was
 * not asked for or not reached. A counter found without an expiry (its PEXPIRE lost) gets
 * one, so it can never block a client for good.
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
local ipN, ipTtl, fresh, userN, userTtl = -1, -1, -1, -1, -1
if KEYS[1] ~= '' then
  ipN, ipTtl = count(KEYS[1])
  if ipN > tonumber(ARGV[2]) then return {ipN, ipTtl, fresh, userN, userTtl} end
end
if KEYS[2] ~= '' then
  fresh = redis.call('SET', KEYS[2], '1', 'PX', ARGV[3], 'NX') and 1 or 0
  if fresh == 0 then return {ipN, ipTtl, fresh, userN, userTtl} end
end
if KEYS[3] ~= '' then userN, userTtl = count(KEYS[3]) end
return {ipN, ipTtl, fresh, userN, userTtl}
`;

type AdmitReply = [number, number, number, number, number];

declare module 'ioredis' {
  interface RedisCommander {
    sheenAdmit(
      ipKey: string,
      nonceKey: string,
      userKey: string,
      windowMs: number,
      ipMax: number,
      nonceTtlMs: number,
    ): Promise<AdmitReply>;
  }
}

/**
 * Admission in Redis, shared by every API process: one script per request (sent as EVALSHA),
 * where the rate-limit plugin and the nonce store made two or three round trips. Keys keep
 * their earlier names: `<prefix>:rl:ip:<ip>`, `<prefix>:rl:user:<id>`, `<prefix>:nonce:<nonce>`.
 */
export class RedisAdmission implements AdmissionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly limits: RateLimitSettings,
    private readonly nonceTtlSeconds: number,
  ) {
    // Defining it again on a shared connection only replaces the same script.
    redis.defineCommand('sheenAdmit', { numberOfKeys: 3, lua: ADMIT_LUA });
  }

  async admit(request: AdmissionRequest): Promise<Admission> {
    const p = this.keyPrefix;
    const [ipN, ipTtl, fresh, userN, userTtl] = await this.redis.sheenAdmit(
      request.ip === undefined ? '' : `${p}:rl:ip:${request.ip}`,
      request.nonce === undefined ? '' : `${p}:nonce:${request.nonce}`,
      request.user === undefined ? '' : `${p}:rl:user:${request.user}`,
      this.limits.windowMs,
      this.limits.ipMax,
      this.nonceTtlSeconds * 1000,
    );
    const admission: Admission = {};
    if (ipN >= 0) admission.ip = { count: ipN, ttlMs: ipTtl };
    if (fresh >= 0) admission.nonceFresh = fresh === 1;
    if (userN >= 0) admission.user = { count: userN, ttlMs: userTtl };
    return admission;
  }

  /** The connection belongs to the container, which closes it. */
  async close(): Promise<void> {}
}
