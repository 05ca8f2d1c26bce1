import { useState } from 'react';
import { isEmail, mailtoHref } from './mailto';

export interface NewsletterSignupProps {
  anchor: string;
  title: string;
  intro: string;
  /** Who keeps the list, by email. '' when the owner gave no address: the form says so. */
  to: string;
  listName: string;
}

export default function NewsletterSignup({
  anchor,
  title,
  intro,
  to,
  listName,
}: NewsletterSignupProps) {
  const [email, setEmail] = useState('');
  const [error, setError] = useState('');
  const [draft, setDraft] = useState('');

  const submit = () => {
    if (!isEmail(email.trim())) {
      setError('Please enter a valid email address.');
      return;
    }
    setError('');
    const href = mailtoHref(
      to,
      'Please add me to ' + listName,
      'Please add ' + email.trim() + ' to ' + listName + '.',
    );
    setDraft(href);
    window.location.href = href;
  };

  return (
    <section id={anchor} className="section" aria-labelledby={anchor + '-title'}>
      <div className="container narrow newsletter-signup">
        <h2 id={anchor + '-title'}>{title}</h2>
        {intro ? <p className="muted">{intro}</p> : null}
        <form
          className="signup-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <label>
            Email address
            <input
              type="email"
              value={email}
              autoComplete="email"
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <button type="submit" className="btn" disabled={!to}>
            Sign up
          </button>
        </form>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <p className="where-to">
          {to
            ? 'Signing up opens your email app with a request to ' +
              to +
              ', who adds you by hand. This site has no mailing list service.'
            : 'Sign-up is not set up yet: this site has no mailing list service and no address ' +
              'to send requests to.'}
        </p>
        {draft ? (
          <p role="status">
            Your email app should now show the request. If nothing opened,{' '}
            <a href={draft}>open the email</a>.
          </p>
        ) : null}
      </div>
    </section>
  );
}
