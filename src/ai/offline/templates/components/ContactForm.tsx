import { useState } from 'react';
import { isEmail, mailtoHref } from './mailto';

export interface ContactFormProps {
  anchor: string;
  title: string;
  intro: string;
  /** Where messages go, by email. '' when the owner gave no address: the form says so. */
  to: string;
  subject: string;
}

export default function ContactForm({ anchor, title, intro, to, subject }: ContactFormProps) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [draft, setDraft] = useState('');

  const submit = () => {
    if (!name.trim() || !message.trim()) {
      setError('Please fill in your name and message.');
      return;
    }
    if (email.trim() && !isEmail(email.trim())) {
      setError('Please enter a valid email address, or leave it empty.');
      return;
    }
    setError('');
    const body =
      message.trim() + '\n\n' + name.trim() + (email.trim() ? ' <' + email.trim() + '>' : '');
    const href = mailtoHref(to, subject + ' from ' + name.trim(), body);
    setDraft(href);
    window.location.href = href;
  };

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container narrow">
        <h2 id={anchor + '-title'}>{title}</h2>
        {intro ? <p className="muted">{intro}</p> : null}
        <p className="where-to" id={anchor + '-where'}>
          {to
            ? 'Messages go by email to ' +
              to +
              ': sending opens your email app with the message ready. This site stores nothing.'
            : 'This form cannot send messages yet: the site has no server and no email address ' +
              'to send to.'}
        </p>
        <form
          className="form-card"
          noValidate
          aria-describedby={anchor + '-where'}
          onSubmit={(event) => {
            event.preventDefault();
            submit();
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
            Your email (optional)
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
          <button type="submit" className="btn" disabled={!to}>
            {to ? 'Write email' : 'Sending is not set up'}
          </button>
          {draft ? (
            <p role="status">
              Your email app should now show the message to {to}. If nothing opened,{' '}
              <a href={draft}>open the email</a> or write to {to} directly.
            </p>
          ) : null}
        </form>
      </div>
    </section>
  );
}
