import { describe, expect, it } from 'vitest';
import { checkHtml, htmlRecommendations } from './html-checks.js';
import { scanHtml } from './html-scan.js';

const GOOD = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <meta name="description" content="A family bakery in Lisbon." />
    <title>Sunrise Bakery</title>
  </head>
  <body><img src="/logo.png" alt="Sunrise Bakery logo"><img src="/line.svg" alt=""></body>
</html>`;

const kinds = (html: string) =>
  htmlRecommendations([checkHtml('index.html', html)]).map((r) => r.kind);

describe('HTML checks', () => {
  it('find nothing to say about a complete page', () => {
    expect(checkHtml('index.html', GOOD)).toEqual({
      file: 'index.html',
      missingLang: false,
      title: 'ok',
      missingDescription: false,
      missingViewport: false,
      imagesWithoutAlt: [],
    });
    expect(kinds(GOOD)).toEqual([]);
  });

  it('html.lang: a missing or blank lang attribute', () => {
    expect(kinds(GOOD.replace(' lang="en"', ''))).toEqual(['html.lang']);
    expect(kinds(GOOD.replace('lang="en"', 'lang="  "'))).toEqual(['html.lang']);
    expect(kinds(GOOD.replace('lang="en"', 'LANG=en'))).toEqual([]);
    const [item] = htmlRecommendations([checkHtml('index.html', '<html><title>x</title>')]);
    expect(item).toMatchObject({
      kind: 'html.lang',
      origin: 'measured',
      severity: 'low',
      evidence: { files: ['index.html'], fileCount: 1, missing: 'lang' },
    });
    expect(item?.action).toMatch(/lang/);
  });

  it('html.title: missing, empty or whitespace only', () => {
    expect(kinds(GOOD.replace('<title>Sunrise Bakery</title>', ''))).toEqual(['html.title']);
    expect(kinds(GOOD.replace('Sunrise Bakery</title>', '</title>'))).toEqual(['html.title']);
    expect(kinds(GOOD.replace('Sunrise Bakery</title>', ' &nbsp; </title>'))).toEqual([
      'html.title',
    ]);
    expect(checkHtml('a.html', '<title></title>').title).toBe('empty');
    expect(checkHtml('a.html', '<p>no title</p>').title).toBe('missing');
    // A title inside a comment or a script is no title.
    expect(checkHtml('a.html', '<!-- <title>x</title> --><p>').title).toBe('missing');
    expect(checkHtml('a.html', '<script>"<title>x</title>"</script>').title).toBe('missing');
  });

  it('html.meta-description: missing or with empty content', () => {
    expect(kinds(GOOD.replace(/<meta name="description"[^>]*>/, ''))).toEqual([
      'html.meta-description',
    ]);
    expect(kinds(GOOD.replace('content="A family bakery in Lisbon."', 'content=""'))).toEqual([
      'html.meta-description',
    ]);
    expect(kinds(GOOD.replace('name="description"', 'NAME="Description"'))).toEqual([]);
  });

  it('html.viewport: missing viewport meta', () => {
    const items = htmlRecommendations([
      checkHtml('index.html', GOOD.replace(/<meta name="viewport"[^>]*>/, '')),
    ]);
    expect(items.map((r) => r.kind)).toEqual(['html.viewport']);
    expect(items[0]?.severity).toBe('high');
  });

  it('html.img-alt: images without an alt attribute, alt="" being deliberate', () => {
    const page = GOOD.replace(
      '<img src="/line.svg" alt="">',
      '<img src="/hero.jpg"><IMG SRC=a.png>',
    );
    const items = htmlRecommendations([checkHtml('index.html', page)]);
    expect(items.map((r) => r.kind)).toEqual(['html.img-alt']);
    expect(items[0]?.evidence).toEqual({
      files: ['index.html'],
      fileCount: 1,
      images: 2,
      examples: ['/hero.jpg', 'a.png'],
    });
    expect(kinds(GOOD.replace('alt="Sunrise Bakery logo"', 'alt'))).toEqual([]);
  });

  it('one item per kind across pages, naming each page', () => {
    const items = htmlRecommendations([
      checkHtml('index.html', '<html><title>a</title>'),
      checkHtml('about/index.html', '<html lang="en"><title>b</title>'),
      checkHtml('blog.html', '<html><title>c</title>'),
    ]);
    const lang = items.find((r) => r.kind === 'html.lang');
    expect(lang?.evidence).toMatchObject({ files: ['index.html', 'blog.html'], fileCount: 2 });
    expect(lang?.detail).toMatch(/^2 pages have/);
  });
});

describe('HTML scanner', () => {
  it('reads attributes quoted, unquoted, bare and with > inside quotes', () => {
    const { tags } = scanHtml(`<img data-x='a>b' src=pic.png alt title="t">`);
    expect(tags[0]?.name).toBe('img');
    expect(Object.fromEntries(tags[0]?.attrs ?? [])).toEqual({
      'data-x': 'a>b',
      src: 'pic.png',
      alt: '',
      title: 't',
    });
  });

  it('keeps the first of a repeated attribute and decodes entities', () => {
    const { tags, title } = scanHtml(
      `<html lang="en" lang="fr"><title>Caf&eacute; &amp; Bar &#x2014; &#8212;</title>`,
    );
    expect(tags[0]?.attrs.get('lang')).toBe('en');
    expect(title).toBe('Caf&eacute; & Bar — —');
  });

  it('never throws on broken markup', () => {
    for (const html of [
      '<',
      '<html lang="en',
      '<title>never closed',
      '<!-- open',
      '<a b=',
      '<<>>',
      '',
    ]) {
      expect(() => scanHtml(html)).not.toThrow();
    }
    expect(scanHtml('<title>never closed').title).toBe('never closed');
  });
});
