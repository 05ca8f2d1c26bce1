import { useState } from 'react';

export interface SeriesChartProps {
  anchor: string;
  title: string;
  intro: string;
  /** One label per point along the x axis (e.g. months). */
  labels: string[];
  /** Each series has one value per label. */
  series: { name: string; values: number[] }[];
  unit: 'currency' | 'number' | 'percent';
  currency: string;
  style: 'line' | 'bar';
}

const WIDTH = 640;
const HEIGHT = 300;
const PAD = { top: 16, right: 16, bottom: 40, left: 64 };
const COLOURS = ['var(--primary)', 'var(--accent)', '#64748b', '#d97706', '#0891b2', '#be123c'];

function formatter(unit: SeriesChartProps['unit'], currency: string): Intl.NumberFormat {
  if (unit === 'currency')
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      notation: 'compact',
      maximumFractionDigits: 1,
    });
  if (unit === 'percent')
    return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
}

/** A round top for the y axis, so the gridlines fall on readable numbers. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/** The chart's numbers as a table, for screen readers and for anyone who wants the figures. */
function ChartTable({
  labels,
  series,
  format,
}: Pick<SeriesChartProps, 'labels' | 'series'> & { format: Intl.NumberFormat }) {
  return (
    <details className="chart-table">
      <summary>Show the numbers</summary>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Series</th>
              {labels.map((label, index) => (
                <th key={label + index} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {series.map((item) => (
              <tr key={item.name}>
                <th scope="row">{item.name}</th>
                {item.values.map((value, index) => (
                  <td key={index}>{format.format(value)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export default function SeriesChart(props: SeriesChartProps) {
  const { anchor, title, intro, labels, series, unit, currency, style } = props;
  const [hidden, setHidden] = useState<string[]>([]);
  const format = formatter(unit, currency);
  const shown = series.filter((item) => !hidden.includes(item.name));
  const top = niceMax(Math.max(0, ...shown.flatMap((item) => item.values)));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, labels.length);
  const x = (index: number) => PAD.left + slot * index + slot / 2;
  const y = (value: number) => PAD.top + innerH - (Math.max(0, value) / top) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * top);
  const barW = (slot * 0.7) / Math.max(1, shown.length);
  const colour = (name: string) => COLOURS[series.findIndex((item) => item.name === name) % 6];
  const summary =
    title +
    ': ' +
    series.map((item) => item.name).join(', ') +
    ' across ' +
    labels.length +
    ' points';

  const toggle = (name: string) =>
    setHidden((current) =>
      current.includes(name) ? current.filter((item) => item !== name) : [...current, name],
    );

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container">
        <h2 id={anchor + '-title'}>{title}</h2>
        {intro ? <p className="muted">{intro}</p> : null}
        <div className="chart-legend" role="group" aria-label="Series shown">
          {series.map((item) => (
            <button
              key={item.name}
              type="button"
              className="chip"
              aria-pressed={!hidden.includes(item.name)}
              onClick={() => toggle(item.name)}
            >
              <span className="legend-swatch" style={{ background: colour(item.name) }} />
              {item.name}
            </button>
          ))}
        </div>
        <figure className="chart-figure">
          <svg viewBox={'0 0 ' + WIDTH + ' ' + HEIGHT} role="img" aria-label={summary}>
            {ticks.map((tick) => (
              <g key={tick}>
                <line
                  className="chart-grid"
                  x1={PAD.left}
                  x2={WIDTH - PAD.right}
                  y1={y(tick)}
                  y2={y(tick)}
                />
                <text className="chart-axis" x={PAD.left - 8} y={y(tick) + 4} textAnchor="end">
                  {format.format(tick)}
                </text>
              </g>
            ))}
            {labels.map((label, index) => (
              <text
                key={label + index}
                className="chart-axis"
                x={x(index)}
                y={HEIGHT - PAD.bottom + 20}
                textAnchor="middle"
              >
                {label}
              </text>
            ))}
            {shown.map((item, seriesIndex) =>
              style === 'bar' ? (
                <g key={item.name} fill={colour(item.name)} data-series={item.name}>
                  {item.values.map((value, index) => (
                    <rect
                      key={index}
                      x={x(index) - (barW * shown.length) / 2 + barW * seriesIndex}
                      y={y(value)}
                      width={barW}
                      height={PAD.top + innerH - y(value)}
                    />
                  ))}
                </g>
              ) : (
                <polyline
                  key={item.name}
                  data-series={item.name}
                  fill="none"
                  stroke={colour(item.name)}
                  strokeWidth={3}
                  points={item.values.map((value, index) => x(index) + ',' + y(value)).join(' ')}
                />
              ),
            )}
          </svg>
          <figcaption className="sr-only">{summary}</figcaption>
        </figure>
        <ChartTable labels={labels} series={series} format={format} />
      </div>
    </section>
  );
}
