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
