/**
 * What a request must pass before its route runs, besides its signature: the per-IP count,
 * the nonce claim (v2 signatures) and the per-user count. One `admit` call does all three in
 * that order and stops at the first refusal, so a store can answer in one round trip: on the
 * production profile one Redis script (ADR 14), embedded an in-process counter and the
 * database's nonce table.
 */
export interface RateLimitSettings {
  windowMs: number;
  ipMax: number;
  userMax: number;
}

/** A fixed-window counter after this request: its count in the window and the time left. */
export interface WindowCount {
  count: number;
  ttlMs: number;
}

export interface AdmissionRequest {
  /** Count the request against this client IP. */
  ip?: string;
  /** Claim this nonce, unless the IP count is over its limit. */
  nonce?: string;
  /** Count against this user, unless refused by the IP limit or a replayed nonce. */
  user?: string;
}

/** What each step found; a step not asked for, or not reached, is absent. */
export interface Admission {
  ip?: WindowCount;
  /** False when the nonce had already been used. */
  nonceFresh?: boolean;
  user?: WindowCount;
}

export interface AdmissionStore {
  admit(request: AdmissionRequest): Promise<Admission>;
  close(): Promise<void>;
}

/**
 * A claimed nonce is kept for two tolerance windows: a request is valid for ±tolerance around
 * its timestamp, so no accepted copy can outlive the record of its first use.
 */
export const nonceTtlSeconds = (toleranceSeconds: number) => toleranceSeconds * 2;
