/**
 * A small HTML tokenizer for the facts the checks need: start tags with their attributes, and
 * the text of <title>. It follows the parts of the HTML syntax that decide where a tag is
 * (comments, doctype, raw text of script/style, RCDATA of title/textarea, quoted attribute
 * values holding `>`), and never throws: a malformed page yields what could be read.
 */

export interface StartTag {
  name: string;
  /** Lower-cased names; the first of a repeated attribute wins, as in browsers. A bare attribute is ''. */
  attrs: Map<string, string>;
}

export interface ScannedHtml {
  tags: StartTag[];
  /** The text of the first <title>, entities decoded; undefined when there is no <title>. */
  title: string | undefined;
}

/** Elements whose content is text up to their own end tag, never markup. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed']);

export function scanHtml(html: string): ScannedHtml {
  const tags: StartTag[] = [];
  let title: string | undefined;
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end === -1 ? html.length : end + 3;
      continue;
    }
    const next = html.charAt(lt + 1);
    if (next === '!' || next === '?' || next === '/') {
      // Doctype, processing instruction or end tag: nothing the checks need.
      const end = html.indexOf('>', lt + 1);
      i = end === -1 ? html.length : end + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(next)) {
      i = lt + 1;
      continue;
    }
    const tag = readStartTag(html, lt + 1);
    tags.push(tag.tag);
    i = tag.end;
    if (RAW_TEXT.has(tag.tag.name)) {
      const close = findEndTag(html, tag.tag.name, i);
      if (tag.tag.name === 'title' && title === undefined)
        title = decodeEntities(html.slice(i, close));
      i = close;
    }
  }
  return { tags, title };
}

/** Reads a start tag whose name begins at `start`; `end` is just past its `>`. */
function readStartTag(html: string, start: number): { tag: StartTag; end: number } {
  let i = start;
  while (i < html.length && !/[\s/>]/.test(html.charAt(i))) i++;
  const name = html.slice(start, i).toLowerCase();
  const attrs = new Map<string, string>();
  while (i < html.length) {
    while (i < html.length && /[\s/]/.test(html.charAt(i))) i++;
    if (i >= html.length || html.charAt(i) === '>') break;
    const nameStart = i;
    // An attribute name may start with '=' (the spec's quirk), but never holds one after that.
    i++;
    while (i < html.length && !/[\s/>=]/.test(html.charAt(i))) i++;
    const attrName = html.slice(nameStart, i).toLowerCase();
    while (i < html.length && /\s/.test(html.charAt(i))) i++;
    let value = '';
    if (html.charAt(i) === '=') {
      i++;
      while (i < html.length && /\s/.test(html.charAt(i))) i++;
      const quote = html.charAt(i);
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        const end = close === -1 ? html.length : close;
        value = html.slice(i + 1, end);
        i = end + 1;
      } else {
        const valueStart = i;
        while (i < html.length && !/[\s>]/.test(html.charAt(i))) i++;
        value = html.slice(valueStart, i);
      }
    }
    if (!attrs.has(attrName)) attrs.set(attrName, decodeEntities(value));
  }
  return { tag: { name, attrs }, end: Math.min(i + 1, html.length) };
}

/** Where the raw text of `name` ends: at its end tag, or at the end of the document. */
function findEndTag(html: string, name: string, from: number): number {
  const pattern = new RegExp(`</${name}[\\s/>]`, 'gi');
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  return match ? match.index : html.length;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Numeric references and the few named ones that matter for "is this text empty?". */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** Empty to a reader: nothing but whitespace (no-break spaces included). */
export function isBlank(text: string | undefined): boolean {
  return text === undefined || text.replace(/[\s\u00a0]/g, '') === '';
}
