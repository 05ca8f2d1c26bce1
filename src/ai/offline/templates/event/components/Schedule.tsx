import { event } from '../data';
import SectionHeading from './SectionHeading';

export default function Schedule() {
  return (
    <section id="schedule" className="section">
      <div className="container narrow">
        <SectionHeading eyebrow={event.date} title="Schedule" intro={event.scheduleIntro} />
        <ol className="timeline">
          {event.schedule.map((slot) => (
            <li key={slot.id} className="slot">
              <time className="slot-time">{slot.time}</time>
              <div className="slot-body">
                <h3>{slot.title}</h3>
                <p className="muted">{slot.detail}</p>
              </div>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
