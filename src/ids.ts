import { randomFillSync } from 'node:crypto';
import { z } from 'zod';

/**
 * Every id the worker makes is a ULID: 26 characters of Crockford's base 32 (no I, L, O or U),
 * stored upper-case. Host names carry them lower-case (`build-<id>.localhost`). This is the one
 * definition; routes, job payloads and host patterns all derive from it.
 */
export const ULID_ALPHABET = '0-9A-HJKMNP-TV-Z';
export const ULID_PATTERN = new RegExp(`^[${ULID_ALPHABET}]{26}$`);
/** The same id as a DNS label carries it (lower-case), for host-name patterns. */
export const ULID_LOWER_SOURCE = `[${ULID_ALPHABET.toLowerCase()}]{26}`;

/** An id the worker made itself (job payloads, internal messages): exact and upper-case. */
export const idSchema = z.string().regex(ULID_PATTERN, 'must be a 26-character ULID');

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;
let lastMs = -1;
let lastTime = '';

/**
 * A new ULID (request ids, rows, jobs), made cheaply: the `ulid` package asks the OS for
 * randomness once per character (16 calls per id, each a syscall for OpenSSL's fork check;
 * a create made ~64 of them); this draws 16 bytes from a pool filled 4 KiB at a time and
 * encodes the time part once per millisecond. Same alphabet, same 48-bit time and 80 random
 * bits (5 of each byte), not monotonic within a millisecond (as the package's `ulid()`).
 */
export function newId(now = Date.now()): string {
  if (now !== lastMs) {
    let time = '';
    let t = now;
    for (let i = 0; i < 10; i += 1) {
      time = CROCKFORD[t % 32]! + time;
      t = Math.floor(t / 32);
    }
    lastMs = now;
    lastTime = time;
  }
  const offset = takeRandom(16);
  let random = '';
  for (let i = 0; i < 16; i += 1) random += CROCKFORD[pool[offset + i]! & 31]!;
  return lastTime + random;
}

/** The offset of `count` fresh random bytes in the pool, refilled when they run out. */
function takeRandom(count: number): number {
  if (poolOffset + count > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += count;
  return poolOffset - count;
}

/** The same pooled randomness as a `ulid` PRNG (a fraction in [0, 1)), for its factories. */
export function pooledPrng(): number {
  return pool[takeRandom(1)]! / 256;
}
