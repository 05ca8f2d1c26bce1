import { useState } from 'react';
import { newId, useStoredList } from './stored-list';

export interface RsvpListProps {
  anchor: string;
  title: string;
  intro: string;
  storageKey: string;
  maxGuests: number;
}

interface Reply {
  id: string;
  name: string;
  guests: number;
  attending: boolean;
}

function isReply(value: unknown): value is Reply {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as Record<string, unknown>;
  return (
    typeof reply.id === 'string' &&
    typeof reply.name === 'string' &&
    typeof reply.guests === 'number' &&
    typeof reply.attending === 'boolean'
  );
}

function ReplyList({ replies, onRemove }: { replies: Reply[]; onRemove: (id: string) => void }) {
  return replies.length === 0 ? (
    <p className="empty">No replies yet.</p>
  ) : (
    <ul className="rsvp-list" aria-label="Replies">
      {replies.map((reply) => (
        <li key={reply.id}>
          <span className="rsvp-name">{reply.name}</span>
          <span className="muted">
            {reply.attending
              ? reply.guests === 1
                ? 'coming'
                : 'coming, ' + reply.guests + ' guests'
              : 'not coming'}
          </span>
          <button
            type="button"
            className="list-remove"
            aria-label={'Remove reply from ' + reply.name}
            onClick={() => onRemove(reply.id)}
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}

export default function RsvpList({ anchor, title, intro, storageKey, maxGuests }: RsvpListProps) {
  const [replies, setReplies] = useStoredList<Reply>(storageKey, isReply, () => []);
  const [name, setName] = useState('');
  const [guests, setGuests] = useState(1);
  const [attending, setAttending] = useState(true);
  const [error, setError] = useState('');

  const coming = replies.filter((reply) => reply.attending);
  const headcount = coming.reduce((sum, reply) => sum + reply.guests, 0);

  const submit = () => {
    const value = name.trim();
    if (!value) {
      setError('Please enter a name.');
      return;
    }
    setError('');
    setReplies((current) => [
      ...current,
      { id: newId('rsvp'), name: value, guests: attending ? guests : 0, attending },
    ]);
    setName('');
    setGuests(1);
  };
  const remove = (id: string) =>
    setReplies((current) => current.filter((reply) => reply.id !== id));

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container rsvp-grid">
        <form
          className="form-card"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <h2 id={anchor + '-title'}>{title}</h2>
          <p className="muted">{intro}</p>
          <label>
            Name
            <input
              value={name}
              maxLength={80}
              autoComplete="name"
              onChange={(event) => setName(event.target.value)}
            />
          </label>
          <fieldset className="rsvp-choice">
            <legend>Will you come?</legend>
            <label>
              <input
                type="radio"
                name={anchor + '-attending'}
                checked={attending}
                onChange={() => setAttending(true)}
              />
              Yes
            </label>
            <label>
              <input
                type="radio"
                name={anchor + '-attending'}
                checked={!attending}
                onChange={() => setAttending(false)}
              />
              No
            </label>
          </fieldset>
          {attending ? (
            <label>
              Guests, including you
              <input
                type="number"
                min={1}
                max={maxGuests}
                value={guests}
                onChange={(event) =>
                  setGuests(Math.min(maxGuests, Math.max(1, Number(event.target.value) || 1)))
                }
              />
            </label>
          ) : null}
          {error ? (
            <p className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="btn">
            Add reply
          </button>
          <p className="list-note">
            Replies are kept in this browser only: this page has no server, so nobody else sees
            them.
          </p>
        </form>
        <div>
          <h3 aria-live="polite">
            {headcount} {headcount === 1 ? 'guest' : 'guests'} coming
          </h3>
          <ReplyList replies={replies} onRemove={remove} />
        </div>
      </div>
    </section>
  );
}
