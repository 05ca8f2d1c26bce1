import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.js';
import { QuotaRepository, type ReserveInput } from '../../src/repositories/quota.repo.js';

const NO_DEFAULT = { allowanceSeconds: 0, periodStart: new Date(0), periodEnd: new Date(1) };
const DAY = 86_400_000;

/** A user with one plan of `seconds` for the period around now. */
async function userWithPlan(quota: QuotaRepository, seconds: number): Promise<string> {
  const userId = `u-${ulid()}`;
  const result = await quota.setPlan({
    userId,
    allowanceSeconds: seconds,
    periodStart: new Date(Date.now() - DAY),
    periodEnd: new Date(Date.now() + 30 * DAY),
  });
  expect(result).toMatchObject({ created: true });
  return userId;
}

const reserve = (quota: QuotaRepository, input: Partial<ReserveInput> & { userId: string }) =>
  quota.reserve({
    key: ulid(),
    seconds: 1,
    operation: 'create',
    defaultPlan: NO_DEFAULT,
    ...input,
  });

async function grants(db: Db, userId: string) {
  const { rows } = await db.query<{ remaining: number }>(
    `SELECT allowance_seconds - used_seconds - reserved_seconds - expired_seconds AS remaining
     FROM usage_tracking WHERE user_id = $1
     UNION ALL
     SELECT seconds - used_seconds - reserved_seconds - expired_seconds FROM user_bonuses
     WHERE user_id = $1`,
    [userId],
  );
  return rows.map((r) => r.remaining);
}

async function auditActions(db: Db, userId: string) {
  const { rows } = await db.query<{ action: string; seconds: number; grant_kind: string }>(
    `SELECT action, seconds, grant_kind FROM quota_audit_log WHERE user_id = $1 ORDER BY seq`,
    [userId],
  );
  return rows;
}

/** The AI-time ledger against a real database: `open` gives a migrated one. */
export function quotaLedgerSuite(profile: string, open: () => Promise<Db>) {
  describe(`AI-time ledger (${profile})`, () => {
    let db: Db;
    let quota: QuotaRepository;
    beforeAll(async () => {
      db = await open();
      quota = new QuotaRepository(db);
    });
    afterAll(() => db?.close());

    it('grants exactly the balance to 200 concurrent reservations, never below zero', async () => {
      const userId = await userWithPlan(quota, 10);
      const results = await Promise.all(
        Array.from({ length: 200 }, () => reserve(quota, { userId })),
      );
      expect(results.filter((r) => r.granted)).toHaveLength(10);
      expect(results.filter((r) => !r.granted).every((r) => r.balanceSeconds >= 0)).toBe(true);
      expect(await grants(db, userId)).toEqual([0]);
      expect(await quota.balance(userId, new Date())).toEqual({ balance: 0, reserved: 10 });
    });

    it('draws from the earliest-expiring bonus first, then the plan', async () => {
      const userId = await userWithPlan(quota, 100);
      const late = await quota.addBonus({
        userId,
        seconds: 5,
        expiresAt: new Date(Date.now() + 20 * DAY),
        reason: 'late',
      });
      const soon = await quota.addBonus({
        userId,
        seconds: 5,
        expiresAt: new Date(Date.now() + DAY),
        reason: 'soon',
      });
      const r = await reserve(quota, { userId, seconds: 12 });
      expect(r.granted).toBe(true);
      expect(r.draws).toEqual([
        { kind: 'bonus', id: soon.bonusId, seconds: 5 },
        { kind: 'bonus', id: late.bonusId, seconds: 5 },
        { kind: 'plan', id: expect.any(String), seconds: 2 },
      ]);
      expect((await quota.balance(userId, new Date())).balance).toBe(98);
    });

    it('reserves once for a retried key, refunds the unused part, settles once', async () => {
      const userId = await userWithPlan(quota, 100);
      const key = `build-${ulid()}:0`;
      const first = await reserve(quota, { userId, key, seconds: 30 });
      const again = await reserve(quota, { userId, key, seconds: 30 });
      expect(first).toMatchObject({ granted: true, reused: false, balanceSeconds: 70 });
      expect(again).toMatchObject({
        granted: true,
        reused: true,
        reservationId: first.reservationId,
      });
      expect((await quota.balance(userId, new Date())).balance).toBe(70);

      expect(await quota.settle(key, 12)).toMatchObject({
        settled: true,
        usedSeconds: 12,
        refundedSeconds: 18,
        unpaidSeconds: 0,
      });
      expect(await quota.balance(userId, new Date())).toEqual({ balance: 88, reserved: 0 });
      expect(await quota.settle(key, 50)).toMatchObject({ settled: false, alreadySettled: true });
      expect((await quota.balance(userId, new Date())).balance).toBe(88);
      const actions = (await auditActions(db, userId)).map((a) => `${a.action}:${a.seconds}`);
      expect(actions).toEqual(['grant:100', 'reserve:30', 'settle:12', 'refund:18']);
    });

    it('charges time beyond the reservation from what is left, never below zero', async () => {
      const userId = await userWithPlan(quota, 20);
      const key = ulid();
      await reserve(quota, { userId, key, seconds: 10 });
      expect(await quota.settle(key, 35)).toMatchObject({ usedSeconds: 20, unpaidSeconds: 15 });
      expect(await quota.balance(userId, new Date())).toEqual({ balance: 0, reserved: 0 });
      expect(await grants(db, userId)).toEqual([0]);
    });

    it('refuses a reservation larger than the balance and takes nothing', async () => {
      const userId = await userWithPlan(quota, 5);
      const r = await reserve(quota, { userId, seconds: 6 });
      expect(r).toMatchObject({ granted: false, balanceSeconds: 5 });
      expect((await quota.balance(userId, new Date())).balance).toBe(5);
    });

    it('expires what is left of ended grants, with an expire row, once', async () => {
      const userId = await userWithPlan(quota, 10);
      const bonus = await quota.addBonus({
        userId,
        seconds: 8,
        expiresAt: new Date(Date.now() + 60_000),
        reason: 'trial',
      });
      const key = ulid();
      await reserve(quota, { userId, key, seconds: 3 }); // from the bonus
      const later = new Date(Date.now() + 120_000);
      expect(await quota.expire(later)).toBeGreaterThanOrEqual(1);
      await quota.expire(later); // nothing more to expire
      await quota.settle(key, 1); // refunds 2 to a bonus that has ended
      await quota.expire(later);
      const expired = (await auditActions(db, userId)).filter((a) => a.action === 'expire');
      expect(expired.map((a) => a.seconds)).toEqual([5, 2]);
      const { rows } = await db.query<{ used: number; expired: number }>(
        `SELECT used_seconds AS used, expired_seconds AS expired FROM user_bonuses WHERE id = $1`,
        [bonus.bonusId],
      );
      expect(rows[0]).toEqual({ used: 1, expired: 7 });
    });

    it('sums a balance beyond what one integer holds', async () => {
      const userId = await userWithPlan(quota, 10);
      for (let i = 0; i < 3; i++) {
        await quota.addBonus({ userId, seconds: 1_000_000_000, expiresAt: null, reason: 'big' });
      }
      expect((await quota.balance(userId, new Date())).balance).toBe(3_000_000_010);
      expect(await reserve(quota, { userId, seconds: 5 })).toMatchObject({
        granted: true,
        balanceSeconds: 3_000_000_005,
      });
    });

    it('gives a user without a plan the default one, once', async () => {
      const userId = `u-${ulid()}`;
      const now = Date.now();
      const plan = {
        allowanceSeconds: 50,
        periodStart: new Date(now - DAY),
        periodEnd: new Date(now + DAY),
      };
      const both = await Promise.all([
        reserve(quota, { userId, seconds: 10, defaultPlan: plan }),
        reserve(quota, { userId, seconds: 10, defaultPlan: plan }),
      ]);
      expect(both.every((r) => r.granted)).toBe(true);
      expect((await quota.currentPlan(userId, new Date()))?.allowanceSeconds).toBe(50);
      expect((await quota.balance(userId, new Date())).balance).toBe(30);
    });

    it('lets a set plan replace the default one, and refuses overlapping set plans', async () => {
      const userId = `u-${ulid()}`;
      const now = Date.now();
      const defaultPlan = {
        allowanceSeconds: 50,
        periodStart: new Date(now - DAY),
        periodEnd: new Date(now + 10 * DAY),
      };
      await reserve(quota, { userId, seconds: 10, defaultPlan });
      const set = await quota.setPlan({
        userId,
        allowanceSeconds: 500,
        periodStart: new Date(now - 1000),
        periodEnd: new Date(now + 30 * DAY),
      });
      expect(set).toMatchObject({ created: true });
      expect((await quota.balance(userId, new Date())).balance).toBe(500);
      const overlap = await quota.setPlan({
        userId,
        allowanceSeconds: 10,
        periodStart: new Date(now + DAY),
        periodEnd: new Date(now + 40 * DAY),
      });
      expect(overlap).toMatchObject({ conflict: expect.any(String) });
    });
  });
}
