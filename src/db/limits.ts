/**
 * Length limits the migrations enforce with CHECK constraints on values a client supplies or
 * a service derives from client input. Route schemas and derived values stay inside them, so
 * a request the schema accepts never fails as a constraint violation.
 */
export const COLUMN_LIMITS = {
  /** projects.name: CHECK (length(name) BETWEEN 1 AND 200). */
  projectName: 200,
  /** projects.user_id: CHECK (length(user_id) BETWEEN 1 AND 128). */
  userId: 128,
  /** builds.idempotency_key: CHECK (length(idempotency_key) BETWEEN 1 AND 200). */
  idempotencyKey: 200,
  /** Every id column: CHECK (length(id) = 26), a ULID. */
  id: 26,
  /** build_events.seq and other integer columns: PostgreSQL int4. */
  int4Max: 2_147_483_647,
} as const;
