import { z } from 'zod';
import { FRAMEWORKS } from '../ai/engine.js';
import { COLUMN_LIMITS } from '../db/limits.js';
import { normalizeDomain } from '../domains/hostname.js';
import { ULID_PATTERN } from '../ids.js';
import { ANY_CONTROL, CONTROL_EXCEPT_LINE_BREAKS, LONE_SURROGATE, describeFirst } from '../text.js';

export interface ClientStringOptions {
  /** Longest accepted value, in UTF-16 code units: never more than the column's limit. */
  max: number;
  min?: number;
  /** Free text keeps tab and line breaks; names, ids and keys hold no control at all. */
  kind: 'text' | 'name';
  /** Strip surrounding whitespace before the length checks. */
  trim?: boolean;
}

/**
 * The one way a route accepts a string from a client: anything it lets through can be
 * stored in PostgreSQL as text or inside jsonb. Refuses NUL and other control characters
 * and unpaired surrogates, and bounds the length. Ids and keys chain their own pattern on
 * top. Counting code units is stricter than PostgreSQL's code points, so `max` holds there.
 */
export function clientString(options: ClientStringOptions) {
  const base = options.trim ? z.string().trim() : z.string();
  const min = options.min ?? 1;
  const controls = options.kind === 'text' ? CONTROL_EXCEPT_LINE_BREAKS : ANY_CONTROL;
  return base
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(options.max, `must be at most ${options.max.toLocaleString('en')} characters`)
    .superRefine((value, ctx) => {
      const surrogate = describeFirst(value, LONE_SURROGATE);
      if (surrogate) {
        ctx.addIssue({
          code: 'custom',
          message: `must be valid Unicode text (unpaired surrogate ${surrogate})`,
        });
      }
      const control = describeFirst(value, controls);
      if (control) {
        ctx.addIssue({
          code: 'custom',
          message: `must not contain control characters (${control})`,
        });
      }
    });
}

/** A ULID id as clients send it (case-insensitive), upper-cased as it is stored. */
export const ulidString = (message = 'must be a 26-character ULID') =>
  clientString({ kind: 'name', max: COLUMN_LIMITS.id }).toUpperCase().regex(ULID_PATTERN, message);

export const userIdString = clientString({ kind: 'name', max: COLUMN_LIMITS.userId }).regex(
  /^[A-Za-z0-9._:@-]+$/,
  `must be 1-${COLUMN_LIMITS.userId} characters of A-Z a-z 0-9 . _ : @ -`,
);

export const PROMPT_MAX = 20_000;

/** A prompt: free text, lines and tabs allowed. */
export const promptString = clientString({ kind: 'text', trim: true, max: PROMPT_MAX });

/** A project name as a client gives it. */
export const projectNameString = clientString({
  kind: 'name',
  trim: true,
  max: COLUMN_LIMITS.projectName,
});

export const idempotencyKeyString = clientString({
  kind: 'name',
  max: COLUMN_LIMITS.idempotencyKey,
}).regex(/^[\x21-\x7e]+$/, `must be 1-${COLUMN_LIMITS.idempotencyKey} printable ASCII characters`);

export const frameworkEnum = z.enum(FRAMEWORKS, {
  error: `must be one of: ${FRAMEWORKS.join(', ')}`,
});

/**
 * An event id to resume after, from a query or Last-Event-ID. Compared with an int4 column,
 * so anything larger would fail in the database rather than here.
 */
export const eventCursor = z.coerce
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(0, 'must be 0 or more')
  .max(COLUMN_LIMITS.int4Max, `must be at most ${COLUMN_LIMITS.int4Max}`);

/**
 * A custom domain as a client writes it (Unicode or punycode, any case, a trailing dot),
 * normalised to the stored form (lower-case punycode), or refused with the reason.
 */
export function domainNameString(reservedSuffixes: readonly string[]) {
  return clientString({ kind: 'name', trim: true, max: 1024 }).transform((value, ctx) => {
    const result = normalizeDomain(value, { reservedSuffixes });
    if (result.ok) return result.domain;
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  });
}

/** What a create, update or fix is expected to spend, and what the figure rests on. */
/** What the compressed copies of an artifact's text assets save (null: packaged without them). */
export const compressionStatsSchema = z
  .object({
    files: z.number(),
    originalBytes: z.number(),
    brotliBytes: z.number(),
    gzipBytes: z.number(),
    savedBytes: z.number(),
    durationMs: z.number(),
  })
  .nullable();

export const estimateSchema = z.object({
  seconds: z.number().describe('AI time (engine wall time) in whole seconds'),
  tokens: z.number(),
  costUsd: z.number(),
  basis: z
    .enum(['project-history', 'user-history', 'default'])
    .describe('median of this project’s or user’s recent runs, or the documented default'),
  samples: z.number().describe('runs the median was taken over'),
  metered: z.boolean().describe('false: this engine is not metered (offline) and uses no balance'),
});
