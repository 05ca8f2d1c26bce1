import { about } from '../data';

export default function About() {
  return (
    <section id="about" className="section">
      <div className="container about-grid">
        <div className="about-copy">
          <p className="eyebrow">{about.eyebrow}</p>
          <h2>{about.title}</h2>
          {about.paragraphs.map((text, index) => (
            <p key={index}>{text}</p>
          ))}
          <ul className="check-list">
            {about.highlights.map((text, index) => (
              <li key={index}>{text}</li>
            ))}
          </ul>
        </div>
        <div className="stat-grid">
          {about.stats.map((stat) => (
            <div key={stat.id} className="stat">
              <span className="stat-value">{stat.value}</span>
              <span className="stat-label">{stat.label}</span>
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}
