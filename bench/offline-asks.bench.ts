/**
 * How much of what prompts ask for the offline engine honours: every prompt of the corpus
 * (test/support/offline-corpus.ts) is planned by the engine, and each ask its plan lists is
 * counted as honoured or unmet, overall and per kind of ask. Whether an honoured ask really
 * shows on the page is the corpus test's job (test/e2e/offline-corpus.browser.test.ts); this
 * reports the share, and how long a plan takes. No network, no build.
 * Run: npm run bench:offline-asks   (BENCH_ROUNDS of planning, default 5; --short: 1; ends
 * with a BENCH_RESULT line)
 */
import type { EngineContext } from '../src/ai/engine.js';
import { OfflineEngine } from '../src/ai/offline/engine.js';
import type { Ask } from '../src/ai/offline/types.js';
import { OFFLINE_CORPUS } from '../test/support/offline-corpus.js';
import { percentile, printResult, round1, SHORT } from './support/report.js';

const ROUNDS = SHORT ? 1 : Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));

const ctx: EngineContext = {
  signal: new AbortController().signal,
  emit: () => {},
  workspaceRoot: '/nonexistent',
  projectId: 'bench',
};

async function main() {
  const engine = new OfflineEngine();
  const planMs: number[] = [];
  let asks: Ask[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    asks = [];
    for (const { prompt } of OFFLINE_CORPUS) {
      const t0 = performance.now();
      const { plan } = await engine.plan({ kind: 'create', prompt }, ctx);
      planMs.push(performance.now() - t0);
      asks.push(...(plan.meta as { asks: Ask[] }).asks);
    }
  }
  const byKind: Record<string, { asks: number; honoured: number; share: number }> = {};
  for (const ask of asks) {
    const entry = (byKind[ask.kind] ??= { asks: 0, honoured: 0, share: 0 });
    entry.asks += 1;
    if (ask.honoured) entry.honoured += 1;
  }
  for (const entry of Object.values(byKind))
    entry.share = round1((100 * entry.honoured) / entry.asks);
  const honoured = asks.filter((ask) => ask.honoured).length;
  const unmet = asks.filter((ask) => !ask.honoured).map((ask) => `${ask.kind}:${ask.text}`);
  console.log(`${OFFLINE_CORPUS.length} prompts, ${asks.length} asks, ${honoured} honoured`);
  for (const [kind, entry] of Object.entries(byKind))
    console.log(`  ${kind.padEnd(8)} ${entry.honoured}/${entry.asks} (${entry.share}%)`);
  console.log(`unmet: ${unmet.join(', ')}`);
  printResult({
    prompts: OFFLINE_CORPUS.length,
    asks: asks.length,
    honoured,
    sharePct: round1((100 * honoured) / asks.length),
    byKind,
    unmet,
    planMs: { p50: round1(percentile(planMs, 50)), p95: round1(percentile(planMs, 95)) },
  });
}

await main();
