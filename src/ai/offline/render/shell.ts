/**
 * The generated parts every app shares: index.html and App.tsx (main.tsx, the header, hero and
 * footer are files under templates/shell/).
 * Prompt-derived text reaches index.html only HTML-escaped and the components only via data.ts.
 */
import { escapeHtml } from '../text.js';
import type { AppSpec } from '../types.js';

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

/** A component in <main>: its name, and the src/data.ts export it gets as props, if any. */
export type MainComponent = string | { name: string; props: string };

/** App.tsx for the given <main> components (fixed identifiers, never user text). */
export function appTsx(components: readonly MainComponent[], compactHero: boolean): string {
  const entries = components.map((entry) =>
    typeof entry === 'string' ? { name: entry, props: '' } : entry,
  );
  for (const { name, props } of entries) {
    if (!/^[A-Z][A-Za-z]+$/.test(name)) throw new Error('Invalid component name: ' + name);
    if (props && !/^[a-z][A-Za-z0-9]*$/.test(props)) throw new Error('Invalid props: ' + props);
  }
  const names = [...new Set(['Header', 'Hero', ...entries.map((entry) => entry.name), 'Footer'])];
  const props = entries.filter((entry) => entry.props).map((entry) => entry.props);
  const imports =
    names.map((name) => 'import ' + name + " from './components/" + name + "';").join('\n') +
    (props.length > 0 ? '\nimport { ' + props.join(', ') + " } from './data';" : '');
  const body = entries
    .map(({ name, props }) => '        <' + name + (props ? ' {...' + props + '}' : '') + ' />')
    .join('\n');
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
