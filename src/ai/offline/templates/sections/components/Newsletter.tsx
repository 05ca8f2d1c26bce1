import { useState } from 'react';
import { mailtoHref } from './mailto';
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
        <p className="form-note">
          Subscribing opens your email app with a sign-up request to {newsletter.to}.
        </p>
        {joined ? (
          <p className="success" role="status">
            {newsletter.success.replace('{to}', newsletter.to)}
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
              // No mailing service behind this page: the request goes by the visitor's email.
              window.location.href = mailtoHref(
                newsletter.to,
                'Newsletter sign-up',
                'Please add ' + email.trim() + ' to the newsletter.',
              );
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
