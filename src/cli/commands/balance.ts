import { enc, noMore, printJson, type Command } from './shared.js';

interface BalanceView {
  metered: boolean;
  balanceSeconds: number;
  reservedSeconds: number;
  plan: {
    allowanceSeconds: number;
    usedSeconds: number;
    periodStart: string;
    periodEnd: string;
    source: 'set' | 'default';
  } | null;
  bonuses: Array<{
    remainingSeconds: number;
    seconds: number;
    reason: string;
    expiresAt: string | null;
  }>;
}

export const balance: Command = {
  name: 'balance',
  summary: 'AI time left, held by running builds, and where it comes from (plan, bonuses)',
  usage: ['balance [--user ID]'],
  options: {},
  async run(ctx, args) {
    noMore(args, 0, 'balance');
    const client = await ctx.client();
    const view = await client.json<BalanceView>('GET', `/v1/billing/balance/${enc(ctx.userId)}`);
    if (ctx.json) return (printJson(ctx, view), 0);
    const { out } = ctx;
    out.write(`AI time left: ${duration(view.balanceSeconds)}`);
    out.write(
      view.reservedSeconds > 0
        ? ` (${duration(view.reservedSeconds)} held by running builds)\n`
        : '\n',
    );
    if (view.plan) {
      const p = view.plan;
      out.write(
        `Plan:  ${duration(p.usedSeconds)} of ${duration(p.allowanceSeconds)} used, ${day(p.periodStart)} – ${day(p.periodEnd)}${p.source === 'default' ? ' (default plan)' : ''}\n`,
      );
    }
    for (const b of view.bonuses) {
      out.write(
        `Bonus: ${duration(b.remainingSeconds)} of ${duration(b.seconds)} left, ${b.expiresAt ? `expires ${day(b.expiresAt)}` : 'never expires'} (${b.reason})\n`,
      );
    }
    if (!view.metered)
      out.write('This worker does not meter its engine (offline): builds use none of it.\n');
    return 0;
  },
};

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

const day = (iso: string) => iso.slice(0, 10);
