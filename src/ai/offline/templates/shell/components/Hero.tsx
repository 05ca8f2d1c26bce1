import { site } from '../data';

export default function Hero({ compact = false }: { compact?: boolean }) {
  if (compact) {
    return (
      <section className="hero hero-compact" aria-labelledby="page-title">
        <div className="container">
          <p className="eyebrow">{site.eyebrow}</p>
          <h1 id="page-title">{site.name}</h1>
          <p className="lead">{site.tagline}</p>
        </div>
      </section>
    );
  }

  return (
    <section className="hero" aria-labelledby="page-title">
      <div className="container hero-inner">
        <div className="hero-copy">
          <p className="eyebrow">{site.eyebrow}</p>
          <h1 id="page-title">{site.name}</h1>
          <p className="lead">{site.tagline}</p>
          <p className="hero-text">{site.description}</p>
          <div className="hero-actions">
            {site.cta ? (
              <a className="btn" href={site.cta.href}>
                {site.cta.label}
              </a>
            ) : null}
            {site.secondaryCta ? (
              <a className="btn btn-ghost" href={site.secondaryCta.href}>
                {site.secondaryCta.label}
              </a>
            ) : null}
          </div>
        </div>
        <div className="hero-art" aria-hidden="true">
          <span className="hero-emoji">{site.logo}</span>
          <div className="hero-chips">
            {site.highlights.map((text, index) => (
              <span key={index} className="chip">
                {text}
              </span>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
