import { useState } from 'react';
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

export default function Chart({
  points,
  format,
  title,
}: {
  points: Point[];
  format: Format;
  title: string;
}) {
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
    .map(
      (point, index) =>
        (index === 0 ? 'M' : 'L') + x(index).toFixed(1) + ' ' + y(point.value).toFixed(1),
    )
    .join(' ');
  const area =
    line +
    ' L' +
    x(points.length - 1).toFixed(1) +
    ' ' +
    base +
    ' L' +
    x(0).toFixed(1) +
    ' ' +
    base +
    ' Z';
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => top * fraction);
  const current = active === null ? null : (points[active] ?? null);

  return (
    <div className="chart">
      <div className="segmented" role="group" aria-label="Chart type">
        <button
          type="button"
          className="chip"
          aria-pressed={mode === 'line'}
          onClick={() => setMode('line')}
        >
          Line
        </button>
        <button
          type="button"
          className="chip"
          aria-pressed={mode === 'bars'}
          onClick={() => setMode('bars')}
        >
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
              <line
                x1={PAD.left}
                x2={WIDTH - PAD.right}
                y1={y(tick)}
                y2={y(tick)}
                className="grid-line"
              />
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
                <circle
                  key={point.id}
                  cx={x(index)}
                  cy={y(point.value)}
                  r={active === index ? 6 : 4}
                  className="dot"
                />
              ))}
            </g>
          )}
          {points.map((point, index) => (
            <text
              key={point.id}
              x={x(index)}
              y={HEIGHT - 10}
              textAnchor="middle"
              className="axis-label"
            >
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
            style={{
              left: (x(active) / WIDTH) * 100 + '%',
              top: (y(current.value) / HEIGHT) * 100 + '%',
            }}
          >
            <strong>{formatValue(current.value, format)}</strong>
            <span>{current.label}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}
