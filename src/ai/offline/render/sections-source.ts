/**
 * Source of the shared section components of a generated app. Fixed code: every piece of text
 * comes from src/data.ts at runtime, so nothing from a prompt is ever spliced into code here.
 */
import type { SectionId } from '../types.js';
import { CONTACT, NEWSLETTER } from './sections-forms-source.js';

const code = String.raw;

export const SECTION_HEADING = code`interface SectionHeadingProps {
  eyebrow?: string;
  title: string;
  intro?: string;
}

export default function SectionHeading({ eyebrow, title, intro }: SectionHeadingProps) {
  return (
    <div className="section-heading">
      {eyebrow ? <p className="eyebrow">{eyebrow}</p> : null}
      <h2>{title}</h2>
      {intro ? <p className="section-intro">{intro}</p> : null}
    </div>
  );
}
`;

function cards(component: string, exportName: string, id: string): string {
  return code`import { ${exportName} } from '../data';
import SectionHeading from './SectionHeading';

export default function ${component}() {
  return (
    <section id="${id}" className="section">
      <div className="container">
        <SectionHeading eyebrow={${exportName}.eyebrow} title={${exportName}.title} intro={${exportName}.intro} />
        <div className="card-grid">
          {${exportName}.items.map((item) => (
            <article key={item.id} className="card">
              <span className="card-icon" aria-hidden="true">
                {item.icon}
              </span>
              <h3>{item.title}</h3>
              <p>{item.text}</p>
              {item.price ? <p className="card-price">{item.price}</p> : null}
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
`;
}

const ABOUT = code`import { about } from '../data';

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
`;

const GALLERY = code`import { useEffect, useState } from 'react';
import { gallery } from '../data';
import SectionHeading from './SectionHeading';

function tileBackground(hue: number): string {
  return 'linear-gradient(135deg, hsl(' + hue + ' 70% 78%), hsl(' + ((hue + 40) % 360) + ' 60% 58%))';
}

export default function Gallery() {
  const [openId, setOpenId] = useState<string | null>(null);
  const open = gallery.items.find((item) => item.id === openId) ?? null;

  useEffect(() => {
    if (openId === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpenId(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId]);

  return (
    <section id="gallery" className="section">
      <div className="container">
        <SectionHeading eyebrow={gallery.eyebrow} title={gallery.title} intro={gallery.intro} />
        <div className="gallery-grid">
          {gallery.items.map((item) => (
            <button
              key={item.id}
              type="button"
              className="tile"
              style={{ background: tileBackground(item.hue) }}
              onClick={() => setOpenId(item.id)}
            >
              <span className="tile-icon" aria-hidden="true">
                {item.icon}
              </span>
              <span className="tile-caption">{item.caption}</span>
            </button>
          ))}
        </div>
      </div>
      {open ? (
        <div className="overlay" role="dialog" aria-modal="true" aria-label={open.caption} onClick={() => setOpenId(null)}>
          <figure className="overlay-card" onClick={(event) => event.stopPropagation()}>
            <div className="overlay-art" style={{ background: tileBackground(open.hue) }} aria-hidden="true">
              {open.icon}
            </div>
            <figcaption>{open.caption}</figcaption>
            <button type="button" className="btn btn-ghost" onClick={() => setOpenId(null)}>
              Close
            </button>
          </figure>
        </div>
      ) : null}
    </section>
  );
}
`;

const TEAM = code`import { team } from '../data';
import SectionHeading from './SectionHeading';

export default function Team() {
  return (
    <section id="team" className="section">
      <div className="container">
        <SectionHeading eyebrow={team.eyebrow} title={team.title} intro={team.intro} />
        <div className="card-grid">
          {team.members.map((member) => (
            <article key={member.id} className="card person">
              <span className="avatar" style={{ background: 'hsl(' + member.hue + ' 55% 45%)' }} aria-hidden="true">
                {member.initials}
              </span>
              <h3>{member.name}</h3>
              <p className="person-role">{member.role}</p>
              <p>{member.bio}</p>
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
`;

const PRICING = code`import { pricing } from '../data';
import SectionHeading from './SectionHeading';

export default function Pricing() {
  return (
    <section id="pricing" className="section">
      <div className="container">
        <SectionHeading eyebrow={pricing.eyebrow} title={pricing.title} intro={pricing.intro} />
        <div className="plan-grid">
          {pricing.plans.map((plan) => (
            <article key={plan.id} className={plan.featured ? 'plan featured' : 'plan'}>
              {plan.featured ? <span className="badge">{pricing.featuredLabel}</span> : null}
              <h3>{plan.name}</h3>
              <p className="plan-price">
                {plan.price} <span>{plan.period}</span>
              </p>
              <p className="muted">{plan.description}</p>
              <ul className="check-list">
                {plan.features.map((feature, index) => (
                  <li key={index}>{feature}</li>
                ))}
              </ul>
              <a className={plan.featured ? 'btn' : 'btn btn-ghost'} href={pricing.action.href}>
                {pricing.action.label}
              </a>
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
`;

const TESTIMONIALS = code`import { testimonials } from '../data';
import SectionHeading from './SectionHeading';

export default function Testimonials() {
  return (
    <section id="testimonials" className="section">
      <div className="container">
        <SectionHeading eyebrow={testimonials.eyebrow} title={testimonials.title} intro={testimonials.intro} />
        <div className="card-grid">
          {testimonials.items.map((item) => (
            <figure key={item.id} className="card quote">
              <p className="stars" aria-label={item.rating + ' out of 5 stars'}>
                {'★★★★★'.slice(0, item.rating)}
              </p>
              <blockquote>{item.quote}</blockquote>
              <figcaption>
                <strong>{item.name}</strong>
                <span className="muted"> · {item.role}</span>
              </figcaption>
            </figure>
          ))}
        </div>
      </div>
    </section>
  );
}
`;

const FAQ = code`import { faq } from '../data';
import SectionHeading from './SectionHeading';

export default function Faq() {
  return (
    <section id="faq" className="section">
      <div className="container narrow">
        <SectionHeading eyebrow={faq.eyebrow} title={faq.title} intro={faq.intro} />
        <div className="faq-list">
          {faq.items.map((item, index) => (
            <details key={item.id} className="faq-item" open={index === 0}>
              <summary>{item.question}</summary>
              <p>{item.answer}</p>
            </details>
          ))}
        </div>
      </div>
    </section>
  );
}
`;

/** Component name and source per section; each lives in src/components/<Name>.tsx. */
export const SECTION_SOURCES: Readonly<Record<SectionId, { component: string; source: string }>> = {
  features: { component: 'Features', source: cards('Features', 'features', 'features') },
  services: { component: 'Services', source: cards('Services', 'services', 'services') },
  about: { component: 'About', source: ABOUT },
  gallery: { component: 'Gallery', source: GALLERY },
  team: { component: 'Team', source: TEAM },
  pricing: { component: 'Pricing', source: PRICING },
  testimonials: { component: 'Testimonials', source: TESTIMONIALS },
  faq: { component: 'Faq', source: FAQ },
  newsletter: { component: 'Newsletter', source: NEWSLETTER },
  contact: { component: 'Contact', source: CONTACT },
};
