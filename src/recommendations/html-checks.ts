import { measured, type Recommendation } from './recommendation.js';
import { isBlank, scanHtml, type StartTag } from './html-scan.js';

/** What one built HTML page lacks. */
export interface HtmlFindings {
  file: string;
  missingLang: boolean;
  /** 'missing' (no <title>) or 'empty' (only whitespace). */
  title: 'ok' | 'missing' | 'empty';
  missingDescription: boolean;
  missingViewport: boolean;
  /** `src` of each <img> without an alt attribute (alt="" is a deliberate decorative image). */
  imagesWithoutAlt: string[];
}

export function checkHtml(file: string, html: string): HtmlFindings {
  const { tags, title } = scanHtml(html);
  const first = (name: string) => tags.find((t) => t.name === name);
  const meta = (name: string) =>
    tags.find((t) => t.name === 'meta' && t.attrs.get('name')?.trim().toLowerCase() === name);
  return {
    file,
    missingLang: isBlank(first('html')?.attrs.get('lang')),
    title: title === undefined ? 'missing' : isBlank(title) ? 'empty' : 'ok',
    missingDescription: isBlank(meta('description')?.attrs.get('content')),
    missingViewport: isBlank(meta('viewport')?.attrs.get('content')),
    imagesWithoutAlt: tags.filter(isImageWithoutAlt).map((t) => t.attrs.get('src') ?? ''),
  };
}

function isImageWithoutAlt(tag: StartTag): boolean {
  return tag.name === 'img' && !tag.attrs.has('alt');
}

/** File lists in evidence stop here: the count says how many there were. */
const MAX_LISTED = 20;

function listed(files: string[]): { files: string[]; fileCount: number } {
  return { files: files.slice(0, MAX_LISTED), fileCount: files.length };
}

/** One recommendation per kind, naming every page it applies to. */
export function htmlRecommendations(pages: HtmlFindings[]): Recommendation[] {
  const out: Recommendation[] = [];
  const pick = (test: (p: HtmlFindings) => boolean) => pages.filter(test).map((p) => p.file);

  const noLang = pick((p) => p.missingLang);
  if (noLang.length > 0)
    out.push(
      measured('html.lang', {
        severity: 'low',
        title: 'Declare the page language',
        detail: `${count(noLang, 'page')} no lang attribute on <html>, so screen readers guess the language to read it in and search engines guess whom to show it to.`,
        action: 'Add lang to the <html> tag, e.g. <html lang="en">.',
        evidence: { ...listed(noLang), missing: 'lang' },
      }),
    );

  const noTitle = pick((p) => p.title !== 'ok');
  if (noTitle.length > 0)
    out.push(
      measured('html.title', {
        severity: 'medium',
        title: 'Give every page a title',
        detail: `${count(noTitle, 'page')} no title (or an empty one): the browser tab, bookmarks and search results show the address instead.`,
        action: 'Add a short, specific <title> inside <head>.',
        evidence: {
          ...listed(noTitle),
          missing: 'title',
          empty: pages.filter((p) => p.title === 'empty').length,
        },
      }),
    );

  const noDescription = pick((p) => p.missingDescription);
  if (noDescription.length > 0)
    out.push(
      measured('html.meta-description', {
        severity: 'low',
        title: 'Add a meta description',
        detail: `${count(noDescription, 'page')} no <meta name="description">: search results and link previews make up a summary from the page text.`,
        action:
          'Add <meta name="description" content="..."> with one or two sentences about the page.',
        evidence: { ...listed(noDescription), missing: 'meta[name=description]' },
      }),
    );

  const noViewport = pick((p) => p.missingViewport);
  if (noViewport.length > 0)
    out.push(
      measured('html.viewport', {
        severity: 'high',
        title: 'Make the page fit phones',
        detail: `${count(noViewport, 'page')} no viewport meta tag: phones render it at desktop width, zoomed out and hard to read.`,
        action:
          'Add <meta name="viewport" content="width=device-width, initial-scale=1"> inside <head>.',
        evidence: { ...listed(noViewport), missing: 'meta[name=viewport]' },
      }),
    );

  const images = pages.flatMap((p) => p.imagesWithoutAlt.map((src) => ({ file: p.file, src })));
  if (images.length > 0)
    out.push(
      measured('html.img-alt', {
        severity: 'medium',
        title: 'Describe images for people who cannot see them',
        detail: `${images.length} image${images.length === 1 ? ' has' : 's have'} no alt attribute: screen readers read out the file name instead.`,
        action:
          'Add alt text saying what each image shows, or alt="" for images that are only decoration.',
        evidence: {
          ...listed([...new Set(images.map((i) => i.file))]),
          images: images.length,
          examples: images.slice(0, MAX_LISTED).map((i) => i.src.slice(0, 200)),
        },
      }),
    );
  return out;
}

function count(files: string[], noun: string): string {
  return files.length === 1 ? `${files[0]} has` : `${files.length} ${noun}s have`;
}
