import { features } from '../data';
import SectionHeading from './SectionHeading';

export default function Features() {
  return (
    <section id="features" className="section">
      <div className="container">
        <SectionHeading eyebrow={features.eyebrow} title={features.title} intro={features.intro} />
        <div className="card-grid">
          {features.items.map((item) => (
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
