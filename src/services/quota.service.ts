import {
  Estimator,
  type Estimate,
  type EstimatedEngine,
  type EstimatedOperation,
} from '../billing/estimate.js';
import type { Queryable } from '../db/db.js';
import { AppError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { MetricsRecorder } from '../observability/recorder.js';
import type {
  QuotaOperation,
  QuotaRepository,
  Reservation,
  Settlement,
} from '../repositories/quota.repo.js';
import type { UsageRepository } from '../repositories/usage.repo.js';

export interface QuotaSettings {
  /** AI seconds per calendar month (UTC) for a user with no plan set; 0: none. */
  defaultPlanSeconds: number;
  /** Whether the offline engine's (near-zero) time is reserved and charged. */
  meterOffline: boolean;
}

/** A build as metering sees it. */
export interface MeteredBuild {
  id: string;
  userId: string;
  projectId: string;
  kind: 'create' | 'update';
}

/** The calendar month (UTC) containing `now`: the period of a default plan. */
export function monthOf(now: Date): { periodStart: Date; periodEnd: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return { periodStart: new Date(Date.UTC(y, m, 1)), periodEnd: new Date(Date.UTC(y, m + 1, 1)) };
}

export function quotaExceeded(balanceSeconds: number, estimate: number, what: string): AppError {
  return new AppError(
    'QUOTA_EXCEEDED',
    `Not enough AI time for ${what}: ${balanceSeconds} s left, about ${estimate} s needed.`,
    {
      hint: 'Wait for the next period, or ask for more AI time (the main app sets plans and bonuses).',
      details: { balanceSeconds, estimateSeconds: estimate },
    },
  );
}

/**
 * AI-time metering: estimates, reservations before engine calls, settlement after, and the
 * sweep that settles what dead builds left open and expires ended grants. Each build round
 * reserves under the key `<buildId>:<round>` (round 0: plan and generate; n: fix attempt n),
 * so a retried job finds its reservation instead of taking another.
 */
export class QuotaService {
  readonly metered: boolean;
  private readonly estimator: Estimator;

  constructor(
    private readonly deps: {
      quota: QuotaRepository;
      usage: UsageRepository;
      engine: EstimatedEngine;
      settings: QuotaSettings;
      logger: Logger;
      /** Counts refusals (absent: not counted). */
      metrics?: Pick<MetricsRecorder, 'quotaRefused'>;
    },
  ) {
    this.metered = deps.engine.name !== 'offline' || deps.settings.meterOffline;
    this.estimator = new Estimator(deps.usage, deps.engine);
  }

  estimate(
    operation: EstimatedOperation,
    owner: { userId: string; projectId?: string | undefined },
  ): Promise<Estimate> {
    return this.estimator.estimate(operation, owner);
  }

  async check(userId: string, operation: EstimatedOperation, projectId?: string) {
    const [estimate, { balance }] = await Promise.all([
      this.estimate(operation, { userId, projectId }),
      this.deps.quota.balance(userId, new Date()),
    ]);
    const balanceSeconds = balance + (await this.defaultPlanLeft(userId));
    return {
      sufficient: !this.metered || balanceSeconds >= estimate.seconds,
      metered: this.metered,
      balanceSeconds,
      estimateSeconds: estimate.seconds,
      estimateCostUsd: estimate.costUsd,
    };
  }

  /**
   * Reserves a build round's estimate, in `q`'s transaction when given (a create reserves in
   * the transaction that inserts the build, so a refused one leaves nothing behind). Throws
   * QUOTA_EXCEEDED when the balance is short. Unmetered: nothing.
   */
  async reserveRound(
    build: MeteredBuild,
    round: number,
    estimate?: Estimate,
    q?: Queryable,
  ): Promise<Reservation | undefined> {
    if (!this.metered) return undefined;
    const operation: QuotaOperation = round === 0 ? build.kind : 'fix';
    const seconds = (estimate ?? (await this.estimate(operation, build))).seconds;
    const reservation = await this.deps.quota.reserve(
      {
        userId: build.userId,
        key: roundKey(build.id, round),
        seconds,
        operation,
        buildId: build.id,
        round,
        defaultPlan: this.defaultPlan(),
      },
      q,
    );
    if (!reservation.granted) {
      this.deps.metrics?.quotaRefused(operation);
      throw quotaExceeded(
        reservation.balanceSeconds,
        seconds,
        round === 0 ? `this ${build.kind}` : `fix attempt ${round}`,
      );
    }
    return reservation;
  }

  /** Reserves for a request outside any build (POST /generate), under its own key. */
  async reserveRequest(userId: string, key: string): Promise<void> {
    if (!this.metered) return;
    const { seconds } = await this.estimate('create', { userId });
    const reservation = await this.deps.quota.reserve({
      userId,
      key,
      seconds,
      operation: 'generate',
      defaultPlan: this.defaultPlan(),
    });
    if (!reservation.granted) {
      this.deps.metrics?.quotaRefused('generate');
      await this.recordDenial(userId, seconds, reservation.balanceSeconds, 'generate');
      throw quotaExceeded(reservation.balanceSeconds, seconds, 'this generation');
    }
  }

  async settleRequest(key: string, engineMs: number): Promise<void> {
    if (!this.metered) return;
    await this.deps.quota.settle(key, Math.ceil(engineMs / 1000));
  }

  /** Settles one round with the build's engine calls not yet charged. */
  async settleRound(buildId: string, round: number): Promise<Settlement | undefined> {
    if (!this.metered) return undefined;
    return this.deps.quota.settle(roundKey(buildId, round));
  }

  /**
   * Settles whatever a build left open (it ended: succeeded, failed or cancelled), then
   * charges engine calls no reservation covered (a retried job re-ran a settled round).
   */
  async settleBuild(buildId: string): Promise<void> {
    for (const key of await this.deps.quota.openKeysOfBuild(buildId)) {
      await this.deps.quota.settle(key);
    }
    if (this.metered) await this.deps.quota.chargeUnclaimed(buildId);
  }

  /** Records a refusal that rolled back with the request it refused. */
  async recordDenial(userId: string, seconds: number, balanceSeconds: number, reason: string) {
    await this.deps.quota.recordDenial(userId, seconds, balanceSeconds, reason);
  }

  /**
   * Settles reservations nobody will settle (their build ended or died; a request reservation
   * older than `staleMs`), charges the engine calls of ended builds that no reservation took
   * (a worker died between ending the build and charging them), then expires ended grants.
   * Safe to run on every worker at once.
   */
  async sweep(
    staleMs: number,
    now = new Date(),
  ): Promise<{ settled: number; charged: number; expired: number }> {
    const keys = await this.deps.quota.abandonedKeys(new Date(now.getTime() - staleMs));
    for (const key of keys) await this.deps.quota.settle(key);
    const builds = this.metered ? await this.deps.quota.endedWithUnchargedCalls() : [];
    for (const id of builds) await this.deps.quota.chargeUnclaimed(id);
    const expired = await this.deps.quota.expire(now);
    const done = { settled: keys.length, charged: builds.length, expired };
    if (keys.length + builds.length + expired > 0) this.deps.logger.info(done, 'quota sweep');
    return done;
  }

  /** A user's balance, plan period and live bonuses (the default plan if none is set yet). */
  async balance(userId: string) {
    const now = new Date();
    const { quota } = this.deps;
    const [{ balance, reserved }, plan, bonuses] = await Promise.all([
      quota.balance(userId, now),
      quota.currentPlan(userId, now),
      quota.liveBonuses(userId, now),
    ]);
    const { defaultPlanSeconds } = this.deps.settings;
    const shownPlan = plan
      ? { ...plan, source: plan.source === 'admin' ? ('set' as const) : ('default' as const) }
      : defaultPlanSeconds > 0
        ? {
            allowanceSeconds: defaultPlanSeconds,
            usedSeconds: 0,
            reservedSeconds: 0,
            ...monthOf(now),
            source: 'default' as const,
          }
        : null;
    return {
      userId,
      metered: this.metered,
      balanceSeconds: balance + (plan ? 0 : defaultPlanSeconds),
      reservedSeconds: reserved,
      plan: shownPlan && {
        allowanceSeconds: shownPlan.allowanceSeconds,
        usedSeconds: shownPlan.usedSeconds,
        reservedSeconds: shownPlan.reservedSeconds,
        periodStart: shownPlan.periodStart.toISOString(),
        periodEnd: shownPlan.periodEnd.toISOString(),
        source: shownPlan.source,
      },
      bonuses: bonuses.map((b) => ({
        bonusId: b.id,
        seconds: b.seconds,
        remainingSeconds: b.remainingSeconds,
        reason: b.reason,
        expiresAt: b.expiresAt?.toISOString() ?? null,
      })),
    };
  }

  usage(userId: string, from: Date, to: Date) {
    return this.deps.usage.perDay(userId, from, to);
  }

  usageByTask(userId: string, from: Date, to: Date) {
    return this.deps.usage.perTask(userId, from, to);
  }

  setPlan(input: Parameters<QuotaRepository['setPlan']>[0]) {
    return this.deps.quota.setPlan(input);
  }

  addBonus(input: Parameters<QuotaRepository['addBonus']>[0]) {
    return this.deps.quota.addBonus(input);
  }

  defaultPlan() {
    return { allowanceSeconds: this.deps.settings.defaultPlanSeconds, ...monthOf(new Date()) };
  }

  /** The default plan a user would get on first use, not yet in the ledger. */
  async defaultPlanLeft(userId: string): Promise<number> {
    if ((await this.deps.quota.currentPlan(userId, new Date())) !== undefined) return 0;
    return this.deps.settings.defaultPlanSeconds;
  }
}

export const roundKey = (buildId: string, round: number) => `${buildId}:${round}`;
