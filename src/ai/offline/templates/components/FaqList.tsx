export interface FaqListProps {
  anchor: string;
  title: string;
  items: { id: string; question: string; answer: string }[];
}

/** Native <details>: opens with Enter or Space, and the browser's find-in-page reaches it. */
export default function FaqList({ anchor, title, items }: FaqListProps) {
  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container narrow">
        <h2 id={anchor + '-title'}>{title}</h2>
        <div className="faq-list">
          {items.map((item) => (
            <details key={item.id} className="faq-item">
              <summary>{item.question}</summary>
              <p>{item.answer}</p>
            </details>
          ))}
        </div>
      </div>
    </section>
  );
}
