import { newId } from '../ids.js';
import type { Db, Queryable } from '../db/db.js';

export type QuotaOperation = 'create' | 'update' | 'fix' | 'generate';

/** The grants a user's reservations draw from, as the database functions report them. */
export interface Draw {
  kind: 'bonus' | 'plan';
  id: string;
  seconds: number;
}

export interface ReserveInput {
  userId: string;
  /** One per build round (`<buildId>:<round>`) or request: a retry with it reserves nothing more. */
  key: string;
  seconds: number;
  operation: QuotaOperation;
  buildId?: string | null;
  round?: number;
  /** The plan a user without one for the current period gets (0: none). */
  defaultPlan: { allowanceSeconds: number; periodStart: Date; periodEnd: Date };
}

export interface Reservation {
  granted: boolean;
  reused: boolean;
  reservationId?: string;
  seconds: number;
  balanceSeconds: number;
  draws?: Draw[];
}

export interface Settlement {
  settled: boolean;
  found: boolean;
  alreadySettled?: boolean;
  usedSeconds?: number;
  refundedSeconds?: number;
  unpaidSeconds?: number;
}

export interface PlanRow {
  id: string;
  allowanceSeconds: number;
  usedSeconds: number;
  reservedSeconds: number;
  periodStart: Date;
  periodEnd: Date;
  /** 'default': made on first use; 'admin': set by the main app. */
  source: 'default' | 'admin';
}

export interface BonusRow {
  id: string;
  seconds: number;
  remainingSeconds: number;
  reason: string;
  expiresAt: Date | null;
}

/**
 * The AI-time ledger. Every change runs in one of the database functions of migration 0005
 * (check_and_consume_quota_v2, settle_quota_v2, expire_quota_v2), which lock per user and
 * keep every grant within its bounds; this class only calls them and reads.
 */
interface PlanInput {
  userId: string;
  allowanceSeconds: number;
  periodStart: Date;
  periodEnd: Date;
}

export class QuotaRepository {
  constructor(private readonly db: Db) {}

  async reserve(input: ReserveInput, q: Queryable = this.db): Promise<Reservation> {
    const { rows } = await q.query<{ r: Reservation }>(
      `SELECT check_and_consume_quota_v2($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS r`,
      [
        input.userId,
        input.key,
        input.seconds,
        input.operation,
        input.buildId ?? null,
        input.round ?? 0,
        newId(),
        input.defaultPlan.allowanceSeconds,
        input.defaultPlan.periodStart,
        input.defaultPlan.periodEnd,
      ],
    );
    return rows[0]!.r;
  }

  /** `actualSeconds` undefined: the build's engine calls not yet charged. */
  async settle(key: string, actualSeconds?: number): Promise<Settlement> {
    const { rows } = await this.db.query<{ s: Settlement }>(`SELECT settle_quota_v2($1, $2) AS s`, [
      key,
      actualSeconds ?? null,
    ]);
    return rows[0]!.s;
  }

  /** Charges engine calls of a build that no reservation covered (see the SQL function). */
  async chargeUnclaimed(
    buildId: string,
  ): Promise<{ chargedSeconds: number; unpaidSeconds: number }> {
    const { rows } = await this.db.query<{ c: { chargedSeconds: number; unpaidSeconds: number } }>(
      `SELECT charge_unclaimed_quota_v2($1) AS c`,
      [buildId],
    );
    return rows[0]!.c;
  }

  /** Open reservations of one build, oldest first. */
  async openKeysOfBuild(buildId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ key: string }>(
      `SELECT idempotency_key AS key FROM quota_reservations
       WHERE build_id = $1 AND status = 'open' ORDER BY created_at, round`,
      [buildId],
    );
    return rows.map((r) => r.key);
  }

  /**
   * Open reservations nobody will settle: their build ended (or was deleted), or, for a
   * request without a build, they are older than `staleBefore`.
   */
  async abandonedKeys(staleBefore: Date, limit = 500): Promise<string[]> {
    const { rows } = await this.db.query<{ key: string }>(
      `SELECT r.idempotency_key AS key FROM quota_reservations r
       LEFT JOIN builds b ON b.id = r.build_id
       WHERE r.status = 'open'
         AND (b.status IN ('succeeded', 'failed', 'cancelled')
              OR (b.id IS NULL AND r.created_at < $1))
       ORDER BY r.created_at LIMIT $2`,
      [staleBefore, limit],
    );
    return rows.map((r) => r.key);
  }

  /**
   * Ended builds holding engine calls no reservation took, none of whose reservations is still
   * open: an end cut short between marking the build ended and charging them.
   */
  async endedWithUnchargedCalls(limit = 100): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT DISTINCT u.build_id AS id FROM claude_user_usage u
       JOIN builds b ON b.id = u.build_id
       WHERE u.reservation_id IS NULL
         AND b.status IN ('succeeded', 'failed', 'cancelled')
         AND EXISTS (SELECT 1 FROM quota_reservations r WHERE r.build_id = u.build_id)
         AND NOT EXISTS (SELECT 1 FROM quota_reservations r
                         WHERE r.build_id = u.build_id AND r.status = 'open')
       LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  async expire(now: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT expire_quota_v2($1) AS n`, [now]);
    return rows[0]?.n ?? 0;
  }

  async balance(userId: string, now: Date): Promise<{ balance: number; reserved: number }> {
    const { rows } = await this.db.query<{ balance: number; reserved: number }>(
      `SELECT quota_balance($1, $2) AS balance,
         (SELECT coalesce(sum(seconds), 0)::bigint FROM quota_reservations
          WHERE user_id = $1 AND status = 'open') AS reserved`,
      [userId, now],
    );
    return rows[0] ?? { balance: 0, reserved: 0 };
  }

  /** The plan period that contains `now`, if any. */
  async currentPlan(userId: string, now: Date): Promise<PlanRow | undefined> {
    const { rows } = await this.db.query<{
      id: string;
      allowance_seconds: number;
      used_seconds: number;
      reserved_seconds: number;
      period_start: Date;
      period_end: Date;
      source: 'default' | 'admin';
    }>(
      `SELECT id, allowance_seconds, used_seconds, reserved_seconds, period_start, period_end, source
       FROM usage_tracking WHERE user_id = $1 AND period_start <= $2 AND period_end > $2
       ORDER BY period_start DESC LIMIT 1`,
      [userId, now],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          allowanceSeconds: r.allowance_seconds,
          usedSeconds: r.used_seconds,
          reservedSeconds: r.reserved_seconds,
          periodStart: r.period_start,
          periodEnd: r.period_end,
          source: r.source,
        }
      : undefined;
  }

  /** Bonuses that have not ended, in the order reservations draw from them. */
  async liveBonuses(userId: string, now: Date): Promise<BonusRow[]> {
    const { rows } = await this.db.query<{
      id: string;
      seconds: number;
      remaining: number;
      reason: string;
      expires_at: Date | null;
    }>(
      `SELECT id, seconds, seconds - used_seconds - reserved_seconds - expired_seconds AS remaining,
         reason, expires_at
       FROM user_bonuses WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2)
       ORDER BY expires_at NULLS LAST, created_at, id`,
      [userId, now],
    );
    return rows.map((r) => ({
      id: r.id,
      seconds: r.seconds,
      remainingSeconds: r.remaining,
      reason: r.reason,
      expiresAt: r.expires_at,
    }));
  }

  /**
   * Sets a user's plan for a period: a new period, or new figures for the one starting at the
   * same instant. A default plan it overlaps ends where this one starts (its remainder expires);
   * another set plan it overlaps is a conflict, as is an allowance below what the period has
   * already used or reserved.
   */
  async setPlan(
    input: PlanInput,
  ): Promise<{ planId: string; created: boolean } | { conflict: string }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT quota_lock($1)`, [input.userId]);
      const before = await this.balanceIn(tx, input.userId);
      const overlapping = await this.plansOverlapping(tx, input);
      const same = overlapping.find(
        (r) => r.period_start.getTime() === input.periodStart.getTime(),
      );
      const clash = overlapping.find((r) => r !== same && r.source === 'admin');
      if (clash) {
        return {
          conflict: `The plan ${clash.period_start.toISOString()} – ${clash.period_end.toISOString()} overlaps this period.`,
        };
      }
      if (same && input.allowanceSeconds < same.committed) {
        return {
          conflict: `This period has already used or reserved ${same.committed} seconds; the allowance cannot be lower.`,
        };
      }
      for (const old of overlapping) {
        if (old === same) continue;
        // A default plan gives way: it ends where the new one starts, or at once if later.
        await tx.query(
          `UPDATE usage_tracking SET period_end = greatest(period_start + interval '1 millisecond', $2),
             updated_at = now() WHERE id = $1`,
          [old.id, input.periodStart],
        );
      }
      const planId = await this.writePlan(tx, input, same?.id);
      const delta = input.allowanceSeconds - (same?.allowance_seconds ?? 0);
      const note = same ? 'plan changed' : 'plan set';
      await this.audit(tx, input.userId, 'plan', planId, delta, before, note);
      return { planId, created: !same };
    });
  }

  private async plansOverlapping(tx: Queryable, input: PlanInput) {
    const { rows } = await tx.query<{
      id: string;
      source: string;
      period_start: Date;
      period_end: Date;
      committed: number;
      allowance_seconds: number;
    }>(
      `SELECT id, source, period_start, period_end, allowance_seconds,
         used_seconds + reserved_seconds + expired_seconds AS committed
       FROM usage_tracking
       WHERE user_id = $1 AND period_start < $3 AND period_end > $2`,
      [input.userId, input.periodStart, input.periodEnd],
    );
    return rows;
  }

  /** New figures for the period `existing` names, or a new period; returns the plan's id. */
  private async writePlan(
    tx: Queryable,
    input: PlanInput,
    existing: string | undefined,
  ): Promise<string> {
    if (existing) {
      await tx.query(
        `UPDATE usage_tracking SET allowance_seconds = $2, period_end = $3, source = 'admin',
           updated_at = now() WHERE id = $1`,
        [existing, input.allowanceSeconds, input.periodEnd],
      );
      return existing;
    }
    const planId = newId();
    await tx.query(
      `INSERT INTO usage_tracking (id, user_id, period_start, period_end, allowance_seconds)
       VALUES ($1, $2, $3, $4, $5)`,
      [planId, input.userId, input.periodStart, input.periodEnd, input.allowanceSeconds],
    );
    return planId;
  }

  async addBonus(input: {
    userId: string;
    seconds: number;
    expiresAt: Date | null;
    reason: string;
  }): Promise<{ bonusId: string }> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT quota_lock($1)`, [input.userId]);
      const before = await this.balanceIn(tx, input.userId);
      const bonusId = newId();
      await tx.query(
        `INSERT INTO user_bonuses (id, user_id, seconds, reason, expires_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [bonusId, input.userId, input.seconds, input.reason, input.expiresAt],
      );
      await this.audit(tx, input.userId, 'bonus', bonusId, input.seconds, before, input.reason);
      return { bonusId };
    });
  }

  private async balanceIn(tx: Queryable, userId: string): Promise<number> {
    const { rows } = await tx.query<{ b: number }>(`SELECT quota_balance($1, now()) AS b`, [
      userId,
    ]);
    return rows[0]?.b ?? 0;
  }

  private async audit(
    tx: Queryable,
    userId: string,
    kind: 'plan' | 'bonus',
    grantId: string,
    seconds: number,
    before: number,
    reason: string,
  ): Promise<void> {
    const after = await this.balanceIn(tx, userId);
    await tx.query(
      `INSERT INTO quota_audit_log (id, user_id, action, seconds, balance_before, balance_after,
         reason, grant_kind, grant_id)
       VALUES ($1, $2, 'grant', $3, $4, $5, $6, $7, $8)`,
      [newId(), userId, seconds, before, after, reason, kind, grantId],
    );
  }

  /** A refusal, written on its own (the request it refused rolled back). */
  async recordDenial(userId: string, seconds: number, balance: number, reason: string) {
    await this.db.query(
      `INSERT INTO quota_audit_log (id, user_id, action, seconds, balance_before, balance_after, reason)
       VALUES ($1, $2, 'deny', $3, $4, $4, $5)`,
      [newId(), userId, seconds, balance, reason],
    );
  }
}
