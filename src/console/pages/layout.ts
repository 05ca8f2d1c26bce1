import { html, type Html } from '../html.js';

export type Section = 'new' | 'projects' | 'usage' | 'webhooks' | 'queues' | 'none';

export interface PageOptions {
  title: string;
  section: Section;
  /** The session's CSRF token; absent on pages shown before sign-in. */
  csrf?: string | undefined;
  notice?: Html | string | undefined;
  error?: Html | string | undefined;
}

const NAV: Array<[Exclude<Section, 'none'>, string, string]> = [
  ['new', '/console', 'New app'],
  ['projects', '/console/projects', 'Projects'],
  ['usage', '/console/usage', 'Usage'],
  ['webhooks', '/console/webhooks', 'Webhooks'],
  ['queues', '/admin/queues', 'Queues'],
];

/** A hidden field with the session's CSRF token, for every form that changes something. */
export const csrfField = (csrf: string) =>
  html`<input type="hidden" name="_csrf" value="${csrf}" />`;

/** The whole document around a page body: navigation, sign-out, notices. */
export function page(options: PageOptions, body: Html): string {
  const { title, section, csrf } = options;
  const nav = csrf
    ? html`<nav aria-label="Console">
        <span class="brand">SheenApps console</span>
        ${NAV.map(
          ([key, href, label]) =>
            html`<a href="${href}" ${key === section ? html`aria-current="page"` : ''}
              >${label}</a
            >`,
        )}
        <form method="post" action="/console/signout">
          ${csrfField(csrf)}<button type="submit">Sign out</button>
        </form>
      </nav>`
    : html`<nav aria-label="Console"><span class="brand">SheenApps console</span></nav>`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${title} · SheenApps console</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>${nav}</header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${options.notice ? html`<p class="notice" role="status">${options.notice}</p>` : ''}
          ${options.error ? html`<p class="notice error" role="alert">${options.error}</p>` : ''}
          ${body}
        </main>
      </body>
    </html>`.value;
}

export function dateTime(value: Date | string | null | undefined): Html {
  if (!value) return html`—`;
  const d = typeof value === 'string' ? new Date(value) : value;
  const iso = d.toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')} UTC</time>`;
}

export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const statusBadge = (status: string) =>
  html`<span class="badge status-${status}">${status}</span>`;
