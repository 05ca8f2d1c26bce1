/** Styles for the event kind. */
export const EVENT_CSS = `/* Event */
#details {
  padding: 0;
  margin-top: -2.5rem;
  background: none !important;
}

.detail-grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
  gap: 1rem;
}

.detail {
  display: flex;
  align-items: center;
  gap: 0.9rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.1rem 1.3rem;
  box-shadow: var(--shadow);
}

.detail p {
  margin: 0;
}

.detail-icon {
  display: grid;
  place-items: center;
  flex: none;
  width: 2.8rem;
  height: 2.8rem;
  border-radius: 12px;
  background: var(--primary-soft);
  font-size: 1.3rem;
}

.detail-label {
  color: var(--muted);
  font-size: 0.85rem;
  font-weight: 600;
}

.detail-value {
  font-weight: 700;
}

.timeline {
  list-style: none;
  margin: 0;
  padding: 0;
  border-left: 3px solid var(--primary-soft);
}

.slot {
  position: relative;
  display: grid;
  grid-template-columns: 6.5rem 1fr;
  gap: 1rem;
  padding: 0 0 1.6rem 1.5rem;
}

.slot::before {
  content: '';
  position: absolute;
  left: -0.55rem;
  top: 0.35rem;
  width: 0.8rem;
  height: 0.8rem;
  border-radius: 50%;
  background: var(--primary);
  border: 3px solid var(--bg);
}

.slot-time {
  font-weight: 800;
  color: var(--primary-ink);
}

.slot-body h3 {
  margin-bottom: 0.2rem;
}

.slot-body p {
  margin: 0;
}

.form-row {
  display: grid;
  grid-template-columns: 1fr 1fr;
  gap: 1rem;
}

.choice {
  border: 1px solid var(--border);
  border-radius: 10px;
  padding: 0.8rem 1rem;
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem 1.5rem;
}

.choice legend {
  font-weight: 600;
  padding: 0 0.3rem;
}

label.inline {
  display: inline-flex;
  align-items: center;
  gap: 0.5rem;
  font-weight: 500;
}

.confirmation {
  text-align: center;
  justify-items: center;
}

.confirmation-icon {
  font-size: 3rem;
}

@media (max-width: 640px) {
  .form-row,
  .slot {
    grid-template-columns: 1fr;
  }

  .slot {
    gap: 0.2rem;
  }
}
`;
