import { dashboard } from '../data';

export type Format = 'currency' | 'number' | 'percent';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: dashboard.currency,
  notation: 'compact',
  maximumFractionDigits: 1,
});

export function formatValue(value: number, format: Format): string {
  if (format === 'percent') return value.toFixed(1) + '%';
  if (format === 'currency') return money.format(value);
  return value >= 10000 ? compact.format(value) : value.toLocaleString('en-US');
}
