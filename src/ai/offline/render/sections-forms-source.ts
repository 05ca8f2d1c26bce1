/** Source of the interactive form sections (newsletter sign-up, contact form) of a generated app. */

const code = String.raw;

export const NEWSLETTER = code`import { useState } from 'react';
import { newsletter } from '../data';

export default function Newsletter() {
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const [joined, setJoined] = useState(false);

  return (
    <section id="newsletter" className="section">
      <div className="container narrow newsletter">
        <h2>{newsletter.title}</h2>
        <p className="section-intro">{newsletter.intro}</p>
        {joined ? (
          <p className="success" role="status">
            {newsletter.success}
          </p>
        ) : (
          <form
            className="inline-form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
                setError('Please enter a valid email address.');
                return;
              }
              setError('');
              setJoined(true);
            }}
          >
            <label className="sr-only" htmlFor="newsletter-email">
              Email address
            </label>
            <input
              id="newsletter-email"
              type="email"
              autoComplete="email"
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
            <button type="submit" className="btn">
              {newsletter.button}
            </button>
          </form>
        )}
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </section>
  );
}
`;

export const CONTACT = code`import { useState } from 'react';
import { contact } from '../data';
import SectionHeading from './SectionHeading';

export default function Contact() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [sentBy, setSentBy] = useState<string | null>(null);

  return (
    <section id="contact" className="section">
      <div className="container contact-grid">
        <div>
          <SectionHeading eyebrow={contact.eyebrow} title={contact.title} intro={contact.intro} />
          <ul className="contact-list">
            {contact.details.map((detail) => (
              <li key={detail.id}>
                <span className="contact-icon" aria-hidden="true">
                  {detail.icon}
                </span>
                <span>
                  <strong>{detail.label}</strong>
                  <br />
                  {detail.value}
                </span>
              </li>
            ))}
          </ul>
        </div>
        {sentBy !== null ? (
          <div className="form-card" role="status">
            <h3>Thank you, {sentBy}!</h3>
            <p>{contact.success}</p>
            <button type="button" className="btn btn-ghost" onClick={() => setSentBy(null)}>
              Send another message
            </button>
          </div>
        ) : (
          <form
            className="form-card"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              if (!name.trim() || !email.trim() || !message.trim()) {
                setError('Please fill in your name, email and message.');
                return;
              }
              if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email.trim())) {
                setError('Please enter a valid email address.');
                return;
              }
              setError('');
              setSentBy(name.trim());
              setName('');
              setEmail('');
              setMessage('');
            }}
          >
            <label>
              Name
              <input value={name} autoComplete="name" onChange={(event) => setName(event.target.value)} />
            </label>
            <label>
              Email
              <input
                type="email"
                value={email}
                autoComplete="email"
                onChange={(event) => setEmail(event.target.value)}
              />
            </label>
            <label>
              Message
              <textarea rows={5} value={message} onChange={(event) => setMessage(event.target.value)} />
            </label>
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
            <button type="submit" className="btn">
              {contact.button}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
`;
