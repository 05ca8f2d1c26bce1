import { faq } from '../data';
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
