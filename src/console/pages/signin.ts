import { html } from '../html.js';
import { page } from './layout.js';

/**
 * The sign-in page. Opening a link does not sign in by itself: the button posts the token,
 * so a link preview or prefetch cannot spend it, and the session cookie is set by a
 * same-site response (a SameSite=Strict cookie set during a cross-site navigation would not
 * be sent on the redirect that follows).
 */
export function signinPage(token: string | undefined): string {
  const body = token
    ? html`<form class="card" method="post" action="/console/signin">
        <input type="hidden" name="token" value="${token}" />
        <p>This link signs you in to the console once.</p>
        <button type="submit" autofocus>Sign in</button>
      </form>`
    : html`<section class="card">${howToSignIn()}</section>`;
  return page({ title: 'Sign in', section: 'none' }, body);
}

export function howToSignIn() {
  return html`<p>
      Open the sign-in link the worker printed when it started (<code
        >console sign-in link: http://…/console/signin?token=…</code
      >), or mint one with the admin secret:
    </p>
    <pre><code>npm run console-link</code></pre>
    <p class="hint">Links work once and expire; a session lasts CONSOLE_SESSION_TTL seconds.</p>`;
}

/** A failed console request shown as a page: the catalog code, its message and hint. */
export function errorPage(
  status: number,
  error: { code: string; message: string; hint: string; requestId: string },
  csrf: string | undefined,
): string {
  const signIn =
    error.code === 'CONSOLE_SESSION_REQUIRED' || error.code === 'CONSOLE_SIGNIN_INVALID';
  return page(
    { title: status === 404 ? 'Not found' : 'Something went wrong', section: 'none', csrf },
    html`<section class="card" aria-labelledby="error-code">
      <p><strong id="error-code" class="mono">${error.code}</strong></p>
      <p>${error.message}</p>
      <p class="hint">${error.hint}</p>
      <p class="hint">Request id: <code>${error.requestId}</code></p>
      ${signIn ? howToSignIn() : html`<p><a href="/console">Back to the console</a></p>`}
    </section>`,
  );
}
