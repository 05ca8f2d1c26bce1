/** Event page: date, venue and details, a schedule timeline and an RSVP form with confirmation. */
import { eventType } from '../content/event-data.js';
import type { KindPart, RenderContext } from '../render/context.js';
import { itemId } from '../render/context.js';
import { EVENT_CSS } from './event-css.js';

const code = String.raw;

const DETAILS = code`import { event } from '../data';

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
`;

const SCHEDULE = code`import { event } from '../data';
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
`;

const RSVP = code`import { useState } from 'react';
import { event } from '../data';
import SectionHeading from './SectionHeading';

interface Reply {
  name: string;
  attending: boolean;
  guests: number;
}

export default function Rsvp() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [attending, setAttending] = useState<'yes' | 'no'>('yes');
  const [guests, setGuests] = useState(1);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const [reply, setReply] = useState<Reply | null>(null);

  return (
    <section id="rsvp" className="section">
      <div className="container narrow">
        <SectionHeading eyebrow={event.date + ' · ' + event.time} title="RSVP" intro={event.rsvpIntro} />
        {reply ? (
          <div className="form-card confirmation" role="status">
            <span className="confirmation-icon" aria-hidden="true">
              {reply.attending ? '🎉' : '💌'}
            </span>
            <h3>{reply.attending ? 'You’re on the list, ' + reply.name + '!' : 'Thanks for letting us know, ' + reply.name + '.'}</h3>
            <p>
              {reply.attending
                ? 'We have saved ' +
                  reply.guests +
                  (reply.guests === 1 ? ' place' : ' places') +
                  ' for you on ' +
                  event.date +
                  ' at ' +
                  event.venue +
                  '. See you there!'
                : 'We will miss you, and we hope to see you at the next one.'}
            </p>
            <button type="button" className="btn btn-ghost" onClick={() => setReply(null)}>
              Change my response
            </button>
          </div>
        ) : (
          <form
            className="form-card"
            noValidate
            onSubmit={(submit) => {
              submit.preventDefault();
              if (!name.trim()) {
                setError('Please tell us your name.');
                return;
              }
              if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
                setError('Please enter a valid email address so we can send you the details.');
                return;
              }
              setError('');
              setReply({ name: name.trim(), attending: attending === 'yes', guests });
            }}
          >
            <div className="form-row">
              <label>
                Full name
                <input value={name} autoComplete="name" onChange={(change) => setName(change.target.value)} />
              </label>
              <label>
                Email
                <input
                  type="email"
                  value={email}
                  autoComplete="email"
                  onChange={(change) => setEmail(change.target.value)}
                />
              </label>
            </div>
            <fieldset className="choice">
              <legend>Will you be there?</legend>
              <label className="inline">
                <input
                  type="radio"
                  name="attending"
                  checked={attending === 'yes'}
                  onChange={() => setAttending('yes')}
                />
                Joyfully accept
              </label>
              <label className="inline">
                <input type="radio" name="attending" checked={attending === 'no'} onChange={() => setAttending('no')} />
                Regretfully decline
              </label>
            </fieldset>
            {attending === 'yes' ? (
              <label>
                Number of guests (including you)
                <select value={guests} onChange={(change) => setGuests(Number(change.target.value))}>
                  {[1, 2, 3, 4].map((count) => (
                    <option key={count} value={count}>
                      {count}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label>
              Anything we should know? (dietary needs, access)
              <textarea rows={3} value={note} onChange={(change) => setNote(change.target.value)} />
            </label>
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
            <button type="submit" className="btn">
              Send RSVP
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
`;

const TYPES = code`export interface EventData {
  date: string;
  time: string;
  venue: string;
  scheduleIntro: string;
  rsvpIntro: string;
  details: { id: string; icon: string; label: string; value: string }[];
  schedule: { id: string; time: string; title: string; detail: string }[];
}`;

export function renderEvent(ctx: RenderContext): KindPart {
  const { spec } = ctx;
  const type = eventType(spec.topic);
  const date = spec.place.date || type.date;
  const time = spec.place.time || type.time;
  const venue = spec.place.venue
    ? spec.place.venue + (spec.place.city ? ', ' + spec.place.city : '')
    : type.venue + (spec.place.city ? ', ' + spec.place.city : '');
  const schedule =
    spec.items.length >= 2
      ? spec.items.map(
          (title, index) =>
            [type.schedule[index % type.schedule.length]?.[0] ?? '', title, ''] as const,
        )
      : type.schedule;
  const details: [string, string, string][] = [
    ['📅', 'Date', date],
    ['⏰', 'Starts', time],
    ['📍', 'Venue', venue],
    ['👗', 'Dress code', type.dress],
  ];
  return {
    components: [
      { name: 'EventDetails', source: DETAILS },
      { name: 'Schedule', source: SCHEDULE },
      { name: 'Rsvp', source: RSVP },
    ],
    files: [],
    types: TYPES,
    data: [
      {
        name: 'event',
        type: 'EventData',
        value: {
          date,
          time,
          venue,
          scheduleIntro: 'The plan for the day. Times may shift a little, but the fun will not.',
          rsvpIntro: type.rsvpIntro,
          details: details.map(([icon, label, value], index) => ({
            id: itemId('detail', index, label),
            icon,
            label,
            value,
          })),
          schedule: schedule.map(([slot, title, detail], index) => ({
            id: itemId('slot', index),
            time: slot,
            title,
            detail,
          })),
        },
      },
    ],
    css: EVENT_CSS,
    nav: [
      { label: 'Details', href: '#details' },
      { label: 'Schedule', href: '#schedule' },
      { label: 'RSVP', href: '#rsvp' },
    ],
    hero: {
      compact: false,
      eyebrow: type.label + ' · ' + date,
      highlights: [
        '📅 ' + date,
        '⏰ ' + time,
        '📍 ' + (spec.place.city || venue.split(',')[0] || venue),
      ],
      cta: { label: 'RSVP now', href: '#rsvp' },
      secondary: { label: 'See the schedule', href: '#schedule' },
    },
  };
}
