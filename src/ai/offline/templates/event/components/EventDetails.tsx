import { event } from '../data';

export default function EventDetails() {
  return (
    <section id="details" className="section">
      <div className="container">
        <div className="detail-grid">
          {event.details.map((detail) => (
            <article key={detail.id} className="detail">
              <span className="detail-icon" aria-hidden="true">
                {detail.icon}
              </span>
              <div>
                <p className="detail-label">{detail.label}</p>
                <p className="detail-value">{detail.value}</p>
              </div>
            </article>
          ))}
        </div>
      </div>
    </section>
  );
}
