/** Styles for the blog and portfolio kinds (post cards, articles, project grid). */
export const WRITING_CSS = `/* Posts */
.post-grid {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
  gap: 1.5rem;
}

.post-card {
  display: flex;
  flex-direction: column;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: var(--radius);
  overflow: hidden;
  box-shadow: var(--shadow);
}

.post-cover {
  display: grid;
  place-items: center;
  aspect-ratio: 16 / 9;
  border: 0;
  font-size: 3.5rem;
  cursor: pointer;
}

.post-body {
  display: flex;
  flex-direction: column;
  flex: 1;
  padding: 1.2rem 1.4rem 1.4rem;
}

.post-body .text-btn {
  margin-top: auto;
}

.post-meta,
.project-meta {
  font-size: 0.8rem;
  font-weight: 700;
  text-transform: uppercase;
  letter-spacing: 0.08em;
  color: var(--primary-ink);
  margin-bottom: 0.5rem;
}

.text-btn {
  align-self: flex-start;
  padding: 0;
  border: 0;
  background: none;
  color: var(--primary-ink);
  font-weight: 700;
  cursor: pointer;
}

.text-btn:hover {
  text-decoration: underline;
}

.post {
  font-size: 1.1rem;
}

.post-hero {
  display: grid;
  place-items: center;
  aspect-ratio: 21 / 9;
  margin: 1.5rem 0;
  border-radius: var(--radius);
  font-size: 4.5rem;
}

.post-title {
  font-size: clamp(2rem, 4vw, 2.8rem);
}

.post-sign {
  font-style: italic;
  color: var(--muted);
  margin: 2rem 0;
}

.post-more {
  display: grid;
  gap: 0.6rem;
}

.post-link {
  text-align: left;
  padding: 0.9rem 1.1rem;
  border: 1px solid var(--border);
  border-radius: 12px;
  background: var(--surface);
  font-weight: 650;
  cursor: pointer;
}

.post-link:hover {
  border-color: var(--primary);
}

/* Projects */
.project-grid {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(300px, 1fr));
  gap: 1.5rem;
}

.project {
  display: flex;
  flex-direction: column;
  padding: 0;
  text-align: left;
  border: 1px solid var(--border);
  border-radius: var(--radius);
  background: var(--surface);
  overflow: hidden;
  cursor: pointer;
  box-shadow: var(--shadow);
  transition: transform 0.2s ease;
}

.project:hover {
  transform: translateY(-4px);
}

.project-art {
  display: grid;
  place-items: center;
  aspect-ratio: 4 / 3;
  font-size: 4rem;
}

.project-info {
  display: grid;
  gap: 0.3rem;
  padding: 1.1rem 1.3rem 1.3rem;
}

.project-title {
  font-family: var(--font-heading);
  font-size: 1.25rem;
  font-weight: 700;
}

.project-detail {
  text-align: left;
}

.tag-list {
  display: flex;
  flex-wrap: wrap;
  gap: 0.4rem;
  margin-bottom: 1.2rem;
}
`;
