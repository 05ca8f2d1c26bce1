import { useState } from 'react';
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
        <SectionHeading
          eyebrow={event.date + ' · ' + event.time}
          title="RSVP"
          intro={event.rsvpIntro}
        />
        {reply ? (
          <div className="form-card confirmation" role="status">
            <span className="confirmation-icon" aria-hidden="true">
              {reply.attending ? '🎉' : '💌'}
            </span>
            <h3>
              {reply.attending
                ? 'You’re on the list, ' + reply.name + '!'
                : 'Thanks for letting us know, ' + reply.name + '.'}
            </h3>
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
                <input
                  value={name}
                  autoComplete="name"
                  onChange={(change) => setName(change.target.value)}
                />
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
                <input
                  type="radio"
                  name="attending"
                  checked={attending === 'no'}
                  onChange={() => setAttending('no')}
                />
                Regretfully decline
              </label>
            </fieldset>
            {attending === 'yes' ? (
              <label>
                Number of guests (including you)
                <select
                  value={guests}
                  onChange={(change) => setGuests(Number(change.target.value))}
                >
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
