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

/** A page-level gap: which pages have it, and what to say about them. */
interface PageRule {
  kind: 'html.lang' | 'html.title' | 'html.meta-description' | 'html.viewport';
  applies: (page: HtmlFindings) => boolean;
  severity: Recommendation['severity'];
  title: string;
  /** Follows "index.html has" or "3 pages have". */
  problem: string;
  action: string;
  missing: string;
}

const PAGE_RULES: readonly PageRule[] = [
  {
    kind: 'html.lang',
    applies: (p) => p.missingLang,
    severity: 'low',
    title: 'Declare the page language',
    problem:
      'no lang attribute on <html>, so screen readers guess the language to read it in and search engines guess whom to show it to.',
    action: 'Add lang to the <html> tag, e.g. <html lang="en">.',
    missing: 'lang',
  },
  {
    kind: 'html.title',
    applies: (p) => p.title !== 'ok',
    severity: 'medium',
    title: 'Give every page a title',
    problem:
      'no title (or an empty one): the browser tab, bookmarks and search results show the address instead.',
    action: 'Add a short, specific <title> inside <head>.',
    missing: 'title',
  },
  {
    kind: 'html.meta-description',
    applies: (p) => p.missingDescription,
    severity: 'low',
    title: 'Add a meta description',
    problem:
      'no <meta name="description">: search results and link previews make up a summary from the page text.',
    action: 'Add <meta name="description" content="..."> with one or two sentences about the page.',
    missing: 'meta[name=description]',
  },
  {
    kind: 'html.viewport',
    applies: (p) => p.missingViewport,
    severity: 'high',
    title: 'Make the page fit phones',
    problem:
      'no viewport meta tag: phones render it at desktop width, zoomed out and hard to read.',
    action:
      'Add <meta name="viewport" content="width=device-width, initial-scale=1"> inside <head>.',
    missing: 'meta[name=viewport]',
  },
];

/** One recommendation per kind, naming every page it applies to. */
export function htmlRecommendations(pages: HtmlFindings[]): Recommendation[] {
  const out: Recommendation[] = [];
  for (const rule of PAGE_RULES) {
    const files = pages.filter(rule.applies).map((p) => p.file);
    if (files.length === 0) continue;
    const who = files.length === 1 ? `${files[0]} has` : `${files.length} pages have`;
    const evidence: Record<string, unknown> = { ...listed(files), missing: rule.missing };
    if (rule.kind === 'html.title')
      evidence.empty = pages.filter((p) => p.title === 'empty').length;
    out.push(
      measured(rule.kind, {
        severity: rule.severity,
        title: rule.title,
        detail: `${who} ${rule.problem}`,
        action: rule.action,
        evidence,
      }),
    );
  }
  const images = imagesItem(pages);
  if (images) out.push(images);
  return out;
}

function imagesItem(pages: HtmlFindings[]): Recommendation | undefined {
  const images = pages.flatMap((p) => p.imagesWithoutAlt.map((src) => ({ file: p.file, src })));
  if (images.length === 0) return undefined;
  return measured('html.img-alt', {
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
  });
}
