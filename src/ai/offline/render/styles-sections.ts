/** Styles for the shared sections (cards, about, gallery, team, pricing, quotes, FAQ). */

export const SECTIONS_CSS = `/* Sections */
.filters {
  display: flex;
  flex-wrap: wrap;
  gap: 0.5rem;
  margin-bottom: 1rem;
}

.empty {
  text-align: center;
  color: var(--muted);
  padding: 2.5rem 0;
}

.section {
  padding: clamp(3.5rem, 7vw, 5.5rem) 0;
}

main > .section:nth-of-type(odd) {
  background: var(--surface-2);
}

.section-heading {
  max-width: 42rem;
  margin-bottom: 2.2rem;
}

.section-intro {
  color: var(--muted);
  font-size: 1.08rem;
}

.card-grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(240px, 1fr));
  gap: 1.25rem;
}

.card {
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.5rem;
  box-shadow: var(--shadow);
  margin: 0;
}

.card p:last-child {
  margin-bottom: 0;
}

.card-icon {
  display: grid;
  place-items: center;
  width: 3rem;
  height: 3rem;
  margin-bottom: 1rem;
  border-radius: 12px;
  background: var(--primary-soft);
  font-size: 1.5rem;
}

.card-price {
  font-weight: 700;
  color: var(--primary-ink);
}

.about-grid {
  display: grid;
  grid-template-columns: 1.4fr 1fr;
  gap: 3rem;
  align-items: center;
}

.check-list {
  list-style: none;
  padding: 0;
  margin: 1rem 0;
  display: grid;
  gap: 0.5rem;
}

.check-list li::before {
  content: '✓';
  color: var(--primary-ink);
  font-weight: 800;
  margin-right: 0.6rem;
}

.stat-grid {
  display: grid;
  gap: 1rem;
}

.stat {
  display: grid;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.2rem 1.5rem;
}

.stat-value {
  font-family: var(--font-heading);
  font-size: 2.2rem;
  font-weight: 800;
  color: var(--primary-ink);
}

.stat-label {
  color: var(--muted);
}

.gallery-grid {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(220px, 1fr));
  gap: 1rem;
}

.tile {
  position: relative;
  display: grid;
  place-items: center;
  aspect-ratio: 4 / 3;
  border: 0;
  border-radius: var(--radius);
  cursor: pointer;
  overflow: hidden;
  transition: transform 0.2s ease;
}

.tile:hover {
  transform: scale(1.02);
}

.tile-icon {
  font-size: 3.2rem;
}

.tile-caption {
  position: absolute;
  inset: auto 0 0 0;
  padding: 0.6rem 0.9rem;
  background: rgba(0, 0, 0, 0.45);
  color: #fff;
  font-size: 0.9rem;
  text-align: left;
}

.overlay {
  position: fixed;
  inset: 0;
  z-index: 80;
  display: grid;
  place-items: center;
  padding: 1.5rem;
  background: rgba(15, 23, 42, 0.7);
}

.overlay-card {
  width: min(560px, 100%);
  max-height: 90vh;
  overflow: auto;
  margin: 0;
  padding: 1.5rem;
  border-radius: var(--radius);
  background: var(--surface);
  text-align: center;
}

.overlay-art {
  display: grid;
  place-items: center;
  aspect-ratio: 4 / 3;
  border-radius: 12px;
  font-size: 6rem;
  margin-bottom: 1rem;
}

.overlay-card figcaption {
  margin-bottom: 1rem;
  font-weight: 600;
}

.person {
  text-align: center;
}

.avatar {
  display: inline-grid;
  place-items: center;
  width: 4.5rem;
  height: 4.5rem;
  border-radius: 50%;
  color: #fff;
  font-weight: 800;
  font-size: 1.3rem;
  margin-bottom: 1rem;
}

.person-role {
  color: var(--primary-ink);
  font-weight: 600;
}

.plan-grid {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(250px, 1fr));
  gap: 1.25rem;
  align-items: stretch;
}

.plan {
  position: relative;
  display: flex;
  flex-direction: column;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1.8rem;
}

.plan.featured {
  border: 2px solid var(--primary);
  box-shadow: var(--shadow);
}

.plan .badge {
  position: absolute;
  top: -0.8rem;
  left: 1.5rem;
}

.plan .btn {
  margin-top: auto;
}

.plan-price {
  font-family: var(--font-heading);
  font-size: 2.2rem;
  font-weight: 800;
  margin-bottom: 0.3rem;
}

.plan-price span {
  font-size: 0.95rem;
  font-weight: 500;
  color: var(--muted);
}

.quote blockquote {
  margin: 0 0 1rem;
  font-size: 1.05rem;
}

.stars {
  color: #f59e0b;
  letter-spacing: 0.1em;
  margin-bottom: 0.6rem;
}

.faq-list {
  display: grid;
  gap: 0.8rem;
}

.faq-item {
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  padding: 1rem 1.3rem;
}

.faq-item summary {
  cursor: pointer;
  font-weight: 650;
}

.faq-item p {
  margin: 0.8rem 0 0;
  color: var(--muted);
}

.newsletter {
  text-align: center;
}

.inline-form {
  display: flex;
  gap: 0.6rem;
  justify-content: center;
  flex-wrap: wrap;
  margin-top: 1.2rem;
}

.inline-form input {
  flex: 1 1 260px;
  max-width: 360px;
}

.success {
  color: var(--success);
  font-weight: 650;
}
`;
