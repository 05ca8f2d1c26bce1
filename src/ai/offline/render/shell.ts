/**
 * The parts every generated app shares: index.html, main.tsx, App.tsx, header, hero and footer.
 * Prompt-derived text reaches index.html only HTML-escaped and the components only via data.ts.
 */
import { escapeHtml } from '../text.js';
import type { AppSpec } from '../types.js';

const code = String.raw;

/** Text for index.html: HTML-escaped, and `%` too, because Vite replaces %ENV% tokens in HTML. */
export function htmlText(value: string): string {
  return escapeHtml(value).replace(/%/g, '&#37;');
}

export function indexHtml(spec: AppSpec, description: string): string {
  const icon =
    "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'><text y='.9em' font-size='90'>" +
    spec.logo.replace(/[<>&'"]/g, '') +
    '</text></svg>';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="UTF-8" />',
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />',
    '    <meta name="description" content="' + htmlText(description) + '" />',
    '    <meta name="theme-color" content="' + spec.theme.primary + '" />',
    '    <link rel="icon" href="data:image/svg+xml,' +
      encodeURIComponent(icon).replace(/'/g, '%27') +
      '" />',
    '    <title>' + htmlText(spec.name) + '</title>',
    '  </head>',
    '  <body>',
    '    <div id="root"></div>',
    '    <script type="module" src="/src/main.tsx"></script>',
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

export const MAIN_TSX = code`import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
`;

/** App.tsx for the given <main> components (fixed identifiers, never user text). */
export function appTsx(components: readonly string[], compactHero: boolean): string {
  for (const name of components) {
    if (!/^[A-Z][A-Za-z]+$/.test(name)) throw new Error('Invalid component name: ' + name);
  }
  const imports = ['Header', 'Hero', ...components, 'Footer']
    .map((name) => 'import ' + name + " from './components/" + name + "';")
    .join('\n');
  const body = components.map((name) => '        <' + name + ' />').join('\n');
  return (
    imports +
    '\n\nexport default function App() {\n  return (\n    <div className="app" id="top">\n' +
    '      <a className="skip-link" href="#main">\n        Skip to content\n      </a>\n' +
    '      <Header />\n      <main id="main">\n        <Hero' +
    (compactHero ? ' compact' : '') +
    ' />\n' +
    (body ? body + '\n' : '') +
    '      </main>\n      <Footer />\n    </div>\n  );\n}\n'
  );
}

export const SITE_TYPES = code`export interface Link {
  label: string;
  href: string;
}

export interface Site {
  name: string;
  tagline: string;
  description: string;
  eyebrow: string;
  logo: string;
  highlights: string[];
  cta: Link | null;
  secondaryCta: Link | null;
  nav: Link[];
  footerNote: string;
}`;

export const HEADER_TSX = code`import { useState } from 'react';
import { site } from '../data';

export default function Header() {
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);

  return (
    <header className="site-header">
      <div className="container header-inner">
        <a className="brand" href="#top" onClick={close}>
          <span className="brand-mark" aria-hidden="true">
            {site.logo}
          </span>
          <span className="brand-name">{site.name}</span>
        </a>
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={open}
          aria-controls="site-nav"
          onClick={() => setOpen((value) => !value)}
        >
          <span className="sr-only">Menu</span>
          <span aria-hidden="true">{open ? '✕' : '☰'}</span>
        </button>
        <nav id="site-nav" className={open ? 'site-nav open' : 'site-nav'} aria-label="Main">
          {site.nav.map((link) => (
            <a key={link.href} href={link.href} onClick={close}>
              {link.label}
            </a>
          ))}
          {site.cta ? (
            <a className="btn btn-small" href={site.cta.href} onClick={close}>
              {site.cta.label}
            </a>
          ) : null}
        </nav>
      </div>
    </header>
  );
}
`;

export const HERO_TSX = code`import { site } from '../data';

export default function Hero({ compact = false }: { compact?: boolean }) {
  if (compact) {
    return (
      <section className="hero hero-compact" aria-labelledby="page-title">
        <div className="container">
          <p className="eyebrow">{site.eyebrow}</p>
          <h1 id="page-title">{site.name}</h1>
          <p className="lead">{site.tagline}</p>
        </div>
      </section>
    );
  }

  return (
    <section className="hero" aria-labelledby="page-title">
      <div className="container hero-inner">
        <div className="hero-copy">
          <p className="eyebrow">{site.eyebrow}</p>
          <h1 id="page-title">{site.name}</h1>
          <p className="lead">{site.tagline}</p>
          <p className="hero-text">{site.description}</p>
          <div className="hero-actions">
            {site.cta ? (
              <a className="btn" href={site.cta.href}>
                {site.cta.label}
              </a>
            ) : null}
            {site.secondaryCta ? (
              <a className="btn btn-ghost" href={site.secondaryCta.href}>
                {site.secondaryCta.label}
              </a>
            ) : null}
          </div>
        </div>
        <div className="hero-art" aria-hidden="true">
          <span className="hero-emoji">{site.logo}</span>
          <div className="hero-chips">
            {site.highlights.map((text, index) => (
              <span key={index} className="chip">
                {text}
              </span>
            ))}
          </div>
        </div>
      </div>
    </section>
  );
}
`;

export const FOOTER_TSX = code`import { site } from '../data';

export default function Footer() {
  const year = new Date().getFullYear();

  return (
    <footer className="site-footer">
      <div className="container footer-inner">
        <div>
          <p className="brand">
            <span aria-hidden="true">{site.logo}</span> {site.name}
          </p>
          <p className="muted">{site.tagline}</p>
        </div>
        <nav className="footer-nav" aria-label="Footer">
          {site.nav.map((link) => (
            <a key={link.href} href={link.href}>
              {link.label}
            </a>
          ))}
        </nav>
      </div>
      <div className="container footer-bottom">
        <p className="muted small">
          © {year} {site.name}. {site.footerNote}
        </p>
        <a className="muted small" href="#top">
          Back to top ↑
        </a>
      </div>
    </footer>
  );
}
`;
