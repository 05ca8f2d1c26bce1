import { services } from '../data';
import SectionHeading from './SectionHeading';

export default function Services() {
  return (
    <section id="services" className="section">
      <div className="container">
        <SectionHeading eyebrow={services.eyebrow} title={services.title} intro={services.intro} />
        <div className="card-grid">
          {services.items.map((item) => (
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
