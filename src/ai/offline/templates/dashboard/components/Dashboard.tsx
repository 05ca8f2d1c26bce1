import { useState } from 'react';
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
            <Chart
              points={points}
              format={dashboard.series.format}
              title={dashboard.series.label}
            />
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
                        <span
                          className={
                            'status status-' + row.status.toLowerCase().replace(/\s+/g, '-')
                          }
                        >
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
