/**
 * The component-library blocks a new app's spec asks for: features the prompt names that its
 * kind does not implement, and a dashboard's counted group as a chart of one series each.
 */
import { BlockSchema, type Block } from './components/index.js';
import { FEATURE_RULES } from './feature-rules.js';
import { hash } from './text.js';
import type { AppKind, SpecFacts } from './types.js';

/**
 * Library components for the features the prompt asks for that the kind does not implement
 * itself (a countdown on an event page, a map on a landing page); their data comes from the
 * spec (the date, the place), so a request carries only the feature.
 */
export function blocksFor(
  kind: AppKind,
  text: string,
  facts: SpecFacts,
  seed: number,
): { blocks?: Block[] } {
  const blocks: Block[] =
    kind === 'dashboard' && facts.group ? [groupChart(facts.group, text, seed)] : [];
  for (const rule of FEATURE_RULES) {
    if (!rule.component || rule.kinds.includes(kind) || !rule.pattern.test(text)) continue;
    if (!blocks.some((block) => block.feature === rule.component))
      blocks.push(BlockSchema.parse({ feature: rule.component }));
  }
  return blocks.length > 0 ? { blocks: blocks.slice(0, 12) } : {};
}

/** A dashboard's counted group ("three coffee shops") as one chart series per member. */
function groupChart(group: NonNullable<SpecFacts['group']>, text: string, seed: number): Block {
  const money = /\b(revenue|sales|income|turnover|profit|takings)\b/.test(text);
  const unit = group.noun.split(' ').pop() ?? '';
  const series = group.names.slice(0, 6).map((name, index) => {
    const base = 400 + (hash(name + seed) % 600);
    const values = Array.from({ length: 12 }, (_, month) =>
      Math.round(base * (1 + month * 0.03) + ((seed >> (month + index)) % 90)),
    );
    return { name, values };
  });
  return BlockSchema.parse({
    feature: 'chart',
    data: {
      title: (money ? 'Revenue' : 'Activity') + ' of each of the ' + unit + ', by month',
      series,
      unit: money ? 'currency' : 'number',
    },
  });
}
