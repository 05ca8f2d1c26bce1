import { useEffect, useState } from 'react';
import { portfolio } from '../data';
import SectionHeading from './SectionHeading';

const categories = Array.from(new Set(portfolio.projects.map((project) => project.category)));

function art(hue: number): string {
  return (
    'linear-gradient(140deg, hsl(' + hue + ' 65% 80%), hsl(' + ((hue + 45) % 360) + ' 60% 55%))'
  );
}

export default function Projects() {
  const [category, setCategory] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const visible = portfolio.projects.filter(
    (project) => category === null || project.category === category,
  );
  const open = portfolio.projects.find((project) => project.id === openId) ?? null;

  useEffect(() => {
    if (openId === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpenId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId]);

  return (
    <section id="work" className="section">
      <div className="container">
        <SectionHeading
          eyebrow={portfolio.eyebrow}
          title={portfolio.title}
          intro={portfolio.intro}
        />
        <div className="filters" role="group" aria-label="Filter projects">
          <button
            type="button"
            className="chip"
            aria-pressed={category === null}
            onClick={() => setCategory(null)}
          >
            All work
          </button>
          {categories.map((name) => (
            <button
              key={name}
              type="button"
              className="chip"
              aria-pressed={category === name}
              onClick={() => setCategory(name)}
            >
              {name}
            </button>
          ))}
        </div>
        <div className="project-grid">
          {visible.map((project) => (
            <button
              key={project.id}
              type="button"
              className="project"
              onClick={() => setOpenId(project.id)}
            >
              <span
                className="project-art"
                style={{ background: art(project.hue) }}
                aria-hidden="true"
              >
                {project.emoji}
              </span>
              <span className="project-info">
                <span className="project-meta">
                  {project.category} · {project.year}
                </span>
                <span className="project-title">{project.title}</span>
                <span className="muted small">{project.summary}</span>
              </span>
            </button>
          ))}
        </div>
      </div>
      {open ? (
        <div
          className="overlay"
          role="dialog"
          aria-modal="true"
          aria-label={open.title}
          onClick={() => setOpenId(null)}
        >
          <article
            className="overlay-card project-detail"
            onClick={(event) => event.stopPropagation()}
          >
            <div className="overlay-art" style={{ background: art(open.hue) }} aria-hidden="true">
              {open.emoji}
            </div>
            <p className="project-meta">
              {open.category} · {open.year}
            </p>
            <h3>{open.title}</h3>
            <p>{open.summary}</p>
            {open.detail ? <p className="muted">{open.detail}</p> : null}
            <div className="tag-list">
              {open.tags.map((tag) => (
                <span key={tag} className="chip">
                  {tag}
                </span>
              ))}
            </div>
            <button type="button" className="btn" onClick={() => setOpenId(null)}>
              Close
            </button>
          </article>
        </div>
      ) : null}
    </section>
  );
}
