import { useState } from 'react';
import { mailtoHref } from './mailto';
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
            <p>{contact.success.replace('{to}', contact.to)}</p>
            <button type="button" className="btn btn-ghost" onClick={() => setSentBy(null)}>
              Write another message
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
              // No server behind this page: the visitor's own email app sends the message.
              window.location.href = mailtoHref(
                contact.to,
                'Message from ' + name.trim(),
                message.trim() + '\n\n' + name.trim() + ' <' + email.trim() + '>',
              );
              setSentBy(name.trim());
              setName('');
              setEmail('');
              setMessage('');
            }}
          >
            <label>
              Name
              <input
                value={name}
                autoComplete="name"
                onChange={(event) => setName(event.target.value)}
              />
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
              <textarea
                rows={5}
                value={message}
                onChange={(event) => setMessage(event.target.value)}
              />
            </label>
            {error ? (
              <p className="form-error" role="alert">
                {error}
              </p>
            ) : null}
            <p className="form-note">
              Opens your email app with this message to {contact.to}; nothing is sent from this
              page.
            </p>
            <button type="submit" className="btn">
              {contact.button}
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
