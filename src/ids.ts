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
 * A ULID for each request, made cheaply: the `ulid` package asks the OS for randomness once per
 * character (16 calls per id, about a tenth of a signed read's CPU); this draws 16 bytes from a
 * pool filled 4 KiB at a time and encodes the time part once per millisecond. Same alphabet,
 * same 48-bit time and 80 random bits (5 of each byte), not monotonic within a millisecond.
 */
export function requestUlid(now = Date.now()): string {
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
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let random = '';
  for (let i = 0; i < 16; i += 1) random += CROCKFORD[pool[poolOffset + i]! & 31]!;
  poolOffset += 16;
  return lastTime + random;
}
