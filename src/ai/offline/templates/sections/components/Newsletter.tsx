import { useState } from 'react';
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
