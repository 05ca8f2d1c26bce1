export interface TestimonialListProps {
  anchor: string;
  title: string;
  items: { id: string; quote: string; name: string; role: string }[];
}

export default function TestimonialList({ anchor, title, items }: TestimonialListProps) {
  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container">
        <h2 id={anchor + '-title'}>{title}</h2>
        <div className="card-grid">
          {items.map((item) => (
            <figure key={item.id} className="card quote">
              <blockquote>{item.quote}</blockquote>
              <figcaption>
                <strong>{item.name}</strong>
                {item.role ? <span className="muted"> · {item.role}</span> : null}
              </figcaption>
            </figure>
          ))}
        </div>
      </div>
    </section>
  );
}
