import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { analyzePrompt } from './analyze.js';
import { renderApp } from './render/app.js';
import { htmlText } from './render/shell.js';
import { APP_KINDS, parseSpec, SPEC_PATH, type AppKind } from './types.js';

export const KIND_PROMPTS: Readonly<Record<AppKind, string>> = {
  landing: 'A landing page for a bakery called Sunrise Bakery with pricing and a gallery, in teal',
  todo: 'A todo app to keep track of my chores, with an FAQ',
  portfolio: 'A portfolio for a photographer named Jane Doe with testimonials and a team section',
  blog: 'A blog about travel with a newsletter',
  dashboard: 'A sales dashboard with charts in dark mode',
  catalog: 'A product catalog for an outdoor gear store with filtering, prices in €',
  event: 'An event page for a tech conference on October 3 at The Foundry in Berlin',
  menu: 'A restaurant menu for an italian trattoria called "Nonna Rosa" in red',
  general: 'A page about the history of jazz with a gallery',
};

/** Syntax errors of a TS/TSX source (a real parse, no type information needed). */
function syntaxErrors(path: string, source: string): string[] {
  const output = ts.transpileModule(source, {
    fileName: path,
    reportDiagnostics: true,
    compilerOptions: {
      jsx: ts.JsxEmit.ReactJSX,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
    },
  });
  return (output.diagnostics ?? []).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
}

/** Evaluates a generated src/data.ts and returns its exports. */
interface DataModule {
  site: { name: string; tagline: string; nav: { href: string }[] };
  pricing: { plans: unknown[] };
  taskBoard: { starter: { text: string }[] };
}

async function loadData(source: string): Promise<DataModule> {
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  }).outputText;
  return (await import(
    'data:text/javascript;base64,' + Buffer.from(js).toString('base64')
  )) as DataModule;
}

describe('renderApp', () => {
  it.each(APP_KINDS)(
    '%s: detected from its prompt, every file parses, the copy looks finished',
    (kind) => {
      const spec = analyzePrompt(KIND_PROMPTS[kind]);
      expect(spec.kind).toBe(kind);
      const files = renderApp(spec);
      for (const [path, content] of files) {
        if (/\.tsx?$/.test(path)) expect(syntaxErrors(path, content), path).toEqual([]);
        expect(content, path).not.toMatch(/lorem|ipsum|placeholder/i);
        expect(content, path).not.toMatch(
          /\bTODO\b|\bFIXME\b|\bundefined\b|\bNaN\b|\[object Object\]/,
        );
        expect(content, path).not.toMatch(/https?:\/\/|<img\b|@import|fonts\.googleapis/);
      }
      expect(files.get('index.html')).toContain('<title>' + htmlText(spec.name) + '</title>');
      expect(files.get('src/components/Hero.tsx')).toContain(
        '<h1 id="page-title">{site.name}</h1>',
      );
      expect(files.get('src/components/Header.tsx')).toContain('site.nav.map');
      expect(files.get('src/styles.css')).toContain('--primary: ' + spec.theme.primary + ';');
      expect(files.get('src/styles.css')).toMatch(/@media \(max-width/);
      expect(parseSpec(JSON.parse(files.get(SPEC_PATH) ?? ''))).toEqual(spec);
    },
  );

  it('is deterministic: the same prompt gives byte-identical files', () => {
    for (const kind of APP_KINDS) {
      const a = renderApp(analyzePrompt(KIND_PROMPTS[kind]));
      const b = renderApp(analyzePrompt(KIND_PROMPTS[kind]));
      expect([...a.entries()]).toEqual([...b.entries()]);
    }
  });

  it('renders the requested name, colours and sections', async () => {
    const spec = analyzePrompt(KIND_PROMPTS.landing);
    const files = renderApp(spec);
    expect(spec).toMatchObject({ name: 'Sunrise Bakery', theme: { primary: '#0d9488' } });
    for (const component of ['Pricing', 'Gallery', 'Services', 'Contact']) {
      expect(files.get('src/App.tsx')).toContain('<' + component + ' />');
      expect(files.has('src/components/' + component + '.tsx')).toBe(true);
    }
    const data = await loadData(files.get('src/data.ts') ?? '');
    expect(data.site.name).toBe('Sunrise Bakery');
    expect(data.site.nav.map((link) => link.href)).toContain('#pricing');
    expect(data.pricing.plans).toHaveLength(3);
  });

  it('contact and newsletter forms say their message goes by the visitor email, never claim it was sent', async () => {
    const spec = analyzePrompt(
      'A landing page for Sunrise Bakery with a newsletter signup and a contact form',
    );
    expect(spec.sections).toEqual(expect.arrayContaining(['contact', 'newsletter']));
    const files = renderApp(spec);
    expect(files.get('src/components/mailto.ts')).toContain('mailto:');
    for (const name of ['Contact', 'Newsletter']) {
      const source = files.get('src/components/' + name + '.tsx') ?? '';
      expect(source).toContain('mailtoHref(');
      expect(source).toContain('form-note');
    }
    const data = await loadData(files.get('src/data.ts') ?? '');
    const forms = data as unknown as Record<
      'contact' | 'newsletter',
      { to: string; success: string }
    >;
    const { contact, newsletter } = forms;
    expect(contact.to).toMatch(/^hello@\w+\.com$/);
    expect(newsletter.to).toBe(contact.to);
    for (const text of [...files.values()]) expect(text).not.toMatch(/on its way|on the list!/i);
    expect(contact.success).toMatch(/email app/);
  });

  it('keeps hostile prompt text inside data, escaped for every file type', async () => {
    const name =
      'Evil `${process.exit(1)}` </script><script>alert("x")</script> {y} \\ \'q\' %MODE%';
    const prompt =
      'A todo app with the tagline "Hi ${x} </script> */ // {{z}}" and tasks: `rm -rf /`, ${alert(1)}, </script><b>, "quoted" and \'single\'\nline two \u2028 done';
    const spec = analyzePrompt(prompt, { name });
    expect(spec.name).toBe(name);
    const files = renderApp(spec);
    for (const [path, content] of files) {
      if (/\.tsx?$/.test(path)) expect(syntaxErrors(path, content), path).toEqual([]);
      if (path !== 'src/data.ts' && path !== SPEC_PATH && path !== 'index.html') {
        expect(content, path).not.toContain('alert');
        expect(content, path).not.toContain('rm -rf');
      }
    }
    const html = files.get('index.html') ?? '';
    expect(html).toContain('<title>' + htmlText(name) + '</title>');
    expect(htmlText(name)).toContain('&lt;/script&gt;');
    expect(htmlText(name)).toContain('&#37;MODE&#37;');
    expect(html.match(/<script/g)).toHaveLength(1);

    const data = await loadData(files.get('src/data.ts') ?? '');
    expect(data.site.name).toBe(name);
    expect(data.site.tagline).toBe('Hi ${x} </script> */ // {{z}}');
    expect(data.taskBoard.starter.map((task) => task.text)).toEqual(
      expect.arrayContaining(['Rm -rf /', '${alert(1)}', '</script><b>']),
    );
    expect(JSON.parse(files.get(SPEC_PATH) ?? '').name).toBe(name);
  });

  it('renders every kind with every section without syntax errors', () => {
    for (const kind of APP_KINDS) {
      const spec = { ...analyzePrompt(KIND_PROMPTS[kind]), sections: [] as never[] };
      const all = {
        ...spec,
        sections: [
          ...new Set([
            'features',
            'services',
            'about',
            'gallery',
            'team',
            'pricing',
            'testimonials',
            'faq',
            'newsletter',
            'contact',
          ]),
        ],
      };
      for (const candidate of [spec, all]) {
        const files = renderApp(parseSpec(candidate) ?? spec);
        for (const [path, content] of files) {
          if (/\.tsx?$/.test(path))
            expect(syntaxErrors(path, content), kind + ' ' + path).toEqual([]);
        }
      }
    }
  });
});
