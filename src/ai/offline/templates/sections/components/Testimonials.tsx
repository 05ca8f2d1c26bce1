import { testimonials } from '../data';
import SectionHeading from './SectionHeading';

export default function Testimonials() {
  return (
    <section id="testimonials" className="section">
      <div className="container">
        <SectionHeading
          eyebrow={testimonials.eyebrow}
          title={testimonials.title}
          intro={testimonials.intro}
        />
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
