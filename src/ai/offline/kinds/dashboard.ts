/** Dashboard: KPI cards, an SVG line/bar chart with a range toggle, a breakdown and a table. */
import { dashboardData } from '../content/dashboard-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { DASHBOARD_CSS } from './dashboard-css.js';

const code = String.raw;

const FORMAT_TS = code`import { dashboard } from '../data';

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
`;

const CHART = code`import { useState } from 'react';
import { formatValue, type Format } from './format';

interface Point {
  id: string;
  label: string;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 280;
const PAD = { top: 20, right: 16, bottom: 36, left: 64 };

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

export default function Chart({ points, format, title }: { points: Point[]; format: Format; title: string }) {
  const [active, setActive] = useState<number | null>(null);
  const [mode, setMode] = useState<'line' | 'bars'>('line');

  const top = niceMax(Math.max(0, ...points.map((point) => point.value)));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = innerWidth / Math.max(points.length, 1);
  const x = (index: number) => PAD.left + step * index + step / 2;
  const y = (value: number) => PAD.top + innerHeight - (value / top) * innerHeight;
  const base = PAD.top + innerHeight;
  const line = points
    .map((point, index) => (index === 0 ? 'M' : 'L') + x(index).toFixed(1) + ' ' + y(point.value).toFixed(1))
    .join(' ');
  const area =
    line + ' L' + x(points.length - 1).toFixed(1) + ' ' + base + ' L' + x(0).toFixed(1) + ' ' + base + ' Z';
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => top * fraction);
  const current = active === null ? null : (points[active] ?? null);

  return (
    <div className="chart">
      <div className="segmented" role="group" aria-label="Chart type">
        <button type="button" className="chip" aria-pressed={mode === 'line'} onClick={() => setMode('line')}>
          Line
        </button>
        <button type="button" className="chip" aria-pressed={mode === 'bars'} onClick={() => setMode('bars')}>
          Bars
        </button>
      </div>
      <div className="chart-frame">
        <svg viewBox={'0 0 ' + WIDTH + ' ' + HEIGHT} role="img" aria-label={title}>
          <defs>
            <linearGradient id="chart-fill" x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" className="chart-stop" stopOpacity="0.35" />
              <stop offset="100%" className="chart-stop" stopOpacity="0" />
            </linearGradient>
          </defs>
          {ticks.map((tick, index) => (
            <g key={index}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="grid-line" />
              <text x={PAD.left - 10} y={y(tick) + 4} textAnchor="end" className="axis-label">
                {formatValue(tick, format)}
              </text>
            </g>
          ))}
          {mode === 'bars' ? (
            points.map((point, index) => (
              <rect
                key={point.id}
                x={x(index) - step * 0.3}
                y={y(point.value)}
                width={step * 0.6}
                height={base - y(point.value)}
                rx={4}
                className={active === index ? 'bar active' : 'bar'}
              />
            ))
          ) : (
            <g>
              <path d={area} fill="url(#chart-fill)" />
              <path d={line} className="line" />
              {points.map((point, index) => (
                <circle key={point.id} cx={x(index)} cy={y(point.value)} r={active === index ? 6 : 4} className="dot" />
              ))}
            </g>
          )}
          {points.map((point, index) => (
            <text key={point.id} x={x(index)} y={HEIGHT - 10} textAnchor="middle" className="axis-label">
              {point.label}
            </text>
          ))}
          {points.map((point, index) => (
            <rect
              key={point.id}
              x={x(index) - step / 2}
              y={PAD.top}
              width={step}
              height={innerHeight}
              fill="transparent"
              tabIndex={0}
              aria-label={point.label + ': ' + formatValue(point.value, format)}
              onMouseEnter={() => setActive(index)}
              onMouseLeave={() => setActive(null)}
              onFocus={() => setActive(index)}
              onBlur={() => setActive(null)}
            />
          ))}
        </svg>
        {current && active !== null ? (
          <div
            className="chart-tooltip"
            style={{ left: (x(active) / WIDTH) * 100 + '%', top: (y(current.value) / HEIGHT) * 100 + '%' }}
          >
            <strong>{formatValue(current.value, format)}</strong>
            <span>{current.label}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
`;

const DASHBOARD = code`import { useState } from 'react';
import { dashboard } from '../data';
import Chart from './Chart';
import { formatValue } from './format';

const RANGES = [6, 12] as const;

export default function Dashboard() {
  const [range, setRange] = useState<(typeof RANGES)[number]>(12);
  const points = dashboard.series.points.slice(-range);
  const first = points[0]?.value ?? 0;
  const last = points[points.length - 1]?.value ?? 0;
  const growth = first === 0 ? 0 : ((last - first) / first) * 100;

  return (
    <>
      <section id="overview" className="section dash-section">
        <div className="container">
          <div className="dash-heading">
            <h2>{dashboard.title}</h2>
            <span className="muted">{dashboard.period}</span>
          </div>
          <div className="kpi-grid">
            {dashboard.kpis.map((kpi) => (
              <article key={kpi.id} className="kpi">
                <p className="kpi-top">
                  <span className="kpi-icon" aria-hidden="true">
                    {kpi.icon}
                  </span>
                  {kpi.label}
                </p>
                <p className="kpi-value">{formatValue(kpi.value, kpi.format)}</p>
                <p className={kpi.good ? 'kpi-change good' : 'kpi-change bad'}>
                  {kpi.change >= 0 ? '▲' : '▼'} {Math.abs(kpi.change).toFixed(1)}%
                  <span className="muted"> vs last month</span>
                </p>
              </article>
            ))}
          </div>
        </div>
      </section>
      <section id="trends" className="section dash-section">
        <div className="container dash-grid">
          <article className="panel">
            <div className="panel-head">
              <div>
                <h3>{dashboard.series.label}</h3>
                <p className="muted small">
                  {growth >= 0 ? 'Up ' : 'Down '}
                  {Math.abs(growth).toFixed(1)}% over the last {range} months
                </p>
              </div>
              <div className="segmented" role="group" aria-label="Time range">
                {RANGES.map((value) => (
                  <button
                    key={value}
                    type="button"
                    className="chip"
                    aria-pressed={range === value}
                    onClick={() => setRange(value)}
                  >
                    {value} months
                  </button>
                ))}
              </div>
            </div>
            <Chart points={points} format={dashboard.series.format} title={dashboard.series.label} />
          </article>
          <article className="panel">
            <h3>{dashboard.breakdown.title}</h3>
            <ul className="bars">
              {dashboard.breakdown.items.map((item) => (
                <li key={item.id}>
                  <div className="bar-label">
                    <span>{item.label}</span>
                    <strong>{item.share}%</strong>
                  </div>
                  <div className="bar-track">
                    <span className="bar-fill" style={{ width: item.share + '%' }} />
                  </div>
                </li>
              ))}
            </ul>
          </article>
        </div>
      </section>
      <section id="activity" className="section dash-section">
        <div className="container">
          <article className="panel">
            <h3>{dashboard.activity.title}</h3>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    {dashboard.activity.columns.map((column) => (
                      <th key={column} scope="col">
                        {column}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {dashboard.activity.rows.map((row) => (
                    <tr key={row.id}>
                      {row.cells.map((cell, index) => (
                        <td key={index}>{cell}</td>
                      ))}
                      <td>
                        <span className={'status status-' + row.status.toLowerCase().replace(/\s+/g, '-')}>
                          {row.status}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </article>
        </div>
      </section>
    </>
  );
}
`;

const TYPES = code`export type MetricFormat = 'currency' | 'number' | 'percent';

export interface DashboardData {
  title: string;
  period: string;
  currency: string;
  kpis: {
    id: string;
    label: string;
    icon: string;
    value: number;
    format: MetricFormat;
    change: number;
    good: boolean;
  }[];
  series: { label: string; format: MetricFormat; points: { id: string; label: string; value: number }[] };
  breakdown: { title: string; items: { id: string; label: string; share: number }[] };
  activity: { title: string; columns: string[]; rows: { id: string; cells: string[]; status: string }[] };
}`;

export function renderDashboard(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  const data = dashboardData(spec.topic, spec.items, spec.seed, ctx.money, spec.facts);
  return {
    components: [{ name: 'Dashboard', source: DASHBOARD }],
    files: [
      { path: 'src/components/Chart.tsx', source: CHART },
      { path: 'src/components/format.ts', source: FORMAT_TS },
    ],
    types: TYPES,
    data: [
      { name: 'dashboard', type: 'DashboardData', value: { ...data, currency: spec.currency } },
    ],
    css: DASHBOARD_CSS,
    nav: [
      { label: 'Overview', href: '#overview' },
      { label: 'Trends', href: '#trends' },
      { label: 'Activity', href: '#activity' },
    ],
    hero: { compact: true, eyebrow: data.title, highlights: [], cta: null, secondary: null },
  };
}
