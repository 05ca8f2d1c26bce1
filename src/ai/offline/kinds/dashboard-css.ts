/** Styles for the dashboard kind. */
export const DASHBOARD_CSS = `/* Dashboard */
.dash-section {
  padding: 1.2rem 0;
}

main > .dash-section:nth-of-type(odd) {
  background: none;
}

.dash-heading {
  display: flex;
  align-items: baseline;
  justify-content: space-between;
  gap: 1rem;
  margin-bottom: 1rem;
}

.kpi-grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(210px, 1fr));
  gap: 1rem;
}

.kpi,
.panel {
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.3rem 1.4rem;
  box-shadow: var(--shadow);
}

.kpi p {
  margin: 0;
}

.kpi-top {
  display: flex;
  align-items: center;
  gap: 0.5rem;
  color: var(--muted);
  font-weight: 600;
}

.kpi-icon {
  display: grid;
  place-items: center;
  width: 2rem;
  height: 2rem;
  border-radius: 8px;
  background: var(--primary-soft);
}

.kpi-value {
  font-family: var(--font-heading);
  font-size: 2rem;
  font-weight: 800;
  margin: 0.5rem 0 0.2rem !important;
}

.kpi-change {
  font-size: 0.9rem;
  font-weight: 700;
}

.kpi-change.good {
  color: var(--success);
}

.kpi-change.bad {
  color: var(--danger);
}

.dash-grid {
  display: grid;
  grid-template-columns: 2fr 1fr;
  gap: 1rem;
  align-items: start;
}

.panel-head {
  display: flex;
  flex-wrap: wrap;
  justify-content: space-between;
  align-items: flex-start;
  gap: 1rem;
}

.panel-head h3 {
  margin-bottom: 0.2rem;
}

.segmented {
  display: flex;
  gap: 0.4rem;
  flex-wrap: wrap;
}

.chart {
  display: grid;
  gap: 0.6rem;
  margin-top: 0.8rem;
}

.chart > .segmented {
  justify-content: flex-end;
}

.chart-frame {
  position: relative;
}

.chart-frame svg {
  display: block;
  width: 100%;
  height: auto;
}

.chart-stop {
  stop-color: var(--primary);
}

.grid-line {
  stroke: var(--border);
  stroke-dasharray: 4 4;
}

.axis-label {
  fill: var(--muted);
  font-size: 12px;
}

.line {
  fill: none;
  stroke: var(--primary);
  stroke-width: 3;
  stroke-linejoin: round;
  stroke-linecap: round;
}

.dot {
  fill: var(--surface);
  stroke: var(--primary);
  stroke-width: 2.5;
  transition: r 0.15s ease;
}

.bar {
  fill: var(--primary);
  opacity: 0.8;
}

.bar.active {
  opacity: 1;
  fill: var(--accent);
}

.chart-tooltip {
  position: absolute;
  transform: translate(-50%, calc(-100% - 12px));
  display: grid;
  padding: 0.4rem 0.7rem;
  border-radius: 8px;
  background: var(--text);
  color: var(--bg);
  font-size: 0.85rem;
  text-align: center;
  pointer-events: none;
  white-space: nowrap;
}

.bars {
  list-style: none;
  padding: 0;
  margin: 1rem 0 0;
  display: grid;
  gap: 1rem;
}

.bar-label {
  display: flex;
  justify-content: space-between;
  margin-bottom: 0.35rem;
}

.bar-track {
  height: 10px;
  border-radius: 999px;
  background: var(--primary-soft);
  overflow: hidden;
}

.bar-fill {
  display: block;
  height: 100%;
  border-radius: 999px;
  background: linear-gradient(90deg, var(--primary), var(--accent));
}

.table-wrap {
  overflow-x: auto;
}

table {
  width: 100%;
  border-collapse: collapse;
  font-size: 0.95rem;
}

th,
td {
  text-align: left;
  padding: 0.75rem 0.6rem;
  border-bottom: 1px solid var(--border);
  white-space: nowrap;
}

th {
  color: var(--muted);
  font-weight: 600;
}

.status {
  padding: 0.2rem 0.6rem;
  border-radius: 999px;
  font-size: 0.8rem;
  font-weight: 700;
  background: var(--primary-soft);
  color: var(--primary-ink);
}

.status-completed {
  background: color-mix(in srgb, var(--success) 15%, transparent);
  color: var(--success);
}

.status-pending {
  background: var(--accent-soft);
  color: var(--accent-ink);
}

@media (max-width: 860px) {
  .dash-grid {
    grid-template-columns: 1fr;
  }
}
`;
