/**
 * AppSpec → every generated source file (the scaffold's package.json, lockfile, tsconfig and
 * vite config are added by the engine). Pure and deterministic: same spec, same bytes.
 */
import { mountBlocks } from '../components/index.js';
import { renderKind } from '../kinds/index.js';
import { template, typeDeclarations } from '../templates.js';
import { toTs } from '../text.js';
import { themeCss } from '../theme.js';
import { SPEC_PATH, type AppSpec } from '../types.js';
import { createContext, type DataExport, type Link } from './context.js';
import { sectionTypes } from './sections-copy.js';
import { sectionData, sectionLabel } from './sections-data.js';
import { SECTION_SOURCES } from './sections-source.js';
import { appTsx, indexHtml } from './shell.js';

const DATA_HEADER =
  '// Every piece of text the app shows lives here: edit it freely.\n' +
  '// The components in src/components only read these values.\n';

function dataTs(types: string[], exports: DataExport[], typeImports: string[] = []): string {
  const declarations = [typeImports.join('\n'), ...types].filter(Boolean).join('\n\n');
  const values = exports
    .map(
      (entry) => 'export const ' + entry.name + ': ' + entry.type + ' = ' + toTs(entry.value) + ';',
    )
    .join('\n\n');
  return DATA_HEADER + '\n' + declarations + '\n\n' + values + '\n';
}

/** Paths and contents of the app's own source files, in a stable order. */
export function renderApp(spec: AppSpec): Map<string, string> {
  const ctx = createContext(spec);
  const kind = renderKind(ctx);
  const isApp = spec.kind === 'todo' || spec.kind === 'dashboard';
  const blocks = mountBlocks(ctx, spec.blocks ?? [], [...ctx.kindAnchors, ...spec.sections]);

  const sectionNav: Link[] = spec.sections
    .filter((id) => id !== 'newsletter')
    .map((id) => ({ label: sectionLabel(ctx, id), href: '#' + id }));
  const site = {
    name: spec.name,
    tagline: spec.tagline,
    description: spec.description,
    eyebrow: kind.hero.eyebrow,
    logo: spec.logo,
    highlights: kind.hero.highlights,
    cta: kind.hero.cta,
    secondaryCta: kind.hero.secondary,
    nav: [...kind.nav, ...blocks.mounts.map((mount) => mount.nav), ...sectionNav].slice(0, 6),
    footerNote: isApp ? 'Your data stays in this browser.' : 'All rights reserved.',
  };

  const components = [
    ...kind.components.map((component) => component.name),
    ...blocks.mounts.map((mount) => ({ name: mount.component, props: mount.data.name })),
    ...spec.sections.map((id) => SECTION_SOURCES[id].component),
  ];
  const files = new Map<string, string>();
  files.set('index.html', indexHtml(spec, spec.tagline));
  files.set('src/main.tsx', template('shell/main.tsx'));
  files.set('src/App.tsx', appTsx(components, kind.hero.compact));
  files.set(
    'src/data.ts',
    dataTs(
      [typeDeclarations('site'), sectionTypes(spec.sections), kind.types],
      [
        { name: 'site', type: 'Site', value: site },
        ...kind.data,
        ...blocks.mounts.map((mount) => mount.data),
        ...spec.sections.map((id) => sectionData(ctx, id)),
      ],
      blocks.typeImports,
    ),
  );
  files.set(
    'src/styles.css',
    [
      themeCss(spec.theme),
      template('shell/base.css'),
      template('sections/sections.css'),
      template('shell/forms.css'),
      kind.css,
      blocks.css,
    ]
      .filter(Boolean)
      .join('\n'),
  );
  for (const name of ['Header', 'Hero', 'Footer', 'SectionHeading']) {
    files.set('src/components/' + name + '.tsx', template('shell/components/' + name + '.tsx'));
  }
  for (const component of kind.components) {
    files.set('src/components/' + component.name + '.tsx', component.source);
  }
  for (const file of kind.files) files.set(file.path, file.source);
  for (const [path, source] of blocks.files) files.set(path, source);
  for (const id of spec.sections) {
    const section = SECTION_SOURCES[id];
    files.set('src/components/' + section.component + '.tsx', section.source);
    for (const helper of section.helpers)
      files.set('src/components/' + helper, template('components/' + helper));
  }
  files.set(SPEC_PATH, JSON.stringify(spec, null, 2) + '\n');
  return files;
}
