/**
 * Pulls explicit facts out of a prompt: quoted or "called …" names, a tagline, colours, requested
 * sections and listed items (place, date and currency: extract-place.ts). Every function is pure
 * and deterministic.
 */
import { COLOR_WORDS, normalizeHex } from './theme.js';
import { SECTION_IDS, type SectionId } from './types.js';
import { capitalize, clean, titleCase } from './text.js';
import { SECTION_RULES } from './vocab.js';

interface Quoted {
  text: string;
  index: number;
  end: number;
  role: 'name' | 'tagline' | 'item' | 'plain';
}

const QUOTES = [
  /"([^"\n]{1,120})"/g,
  /“([^”\n]{1,120})”/g,
  /«([^»\n]{1,120})»/g,
  /`([^`\n]{1,120})`/g,
  /(?:^|(?<=[\s(:]))'([^'\n]{2,120})'(?=[\s.,!?;:)]|$)/g,
];

const BEFORE_NAME =
  /\b(called|named|titled|name it|name is|name of|brand(ed)?( as)?|name)\s*:?\s*$/i;
const BEFORE_TAGLINE =
  /\b(tagline|slogan|headline|motto|subtitle|subheading)\s*(is|of|reads|saying|that says)?\s*:?\s*$/i;
const BEFORE_ITEM =
  /(\b(tasks?|items?|dishes|products?|posts?|articles?|projects?|sessions?|talks?|categories|metrics|such as|including|like|with|and|or|e\.g\.)\s*:?\s*|,\s*)$/i;

function quotedStrings(prompt: string): Quoted[] {
  const found: Quoted[] = [];
  for (const pattern of QUOTES) {
    for (const match of prompt.matchAll(pattern)) {
      const text = clean(match[1] ?? '');
      const index = match.index + match[0].indexOf(match[1] ?? '') - 1;
      if (!text || found.some((q) => index < q.end && index + match[0].length > q.index)) continue;
      const before = prompt.slice(Math.max(0, index - 40), index);
      const role = BEFORE_TAGLINE.test(before)
        ? 'tagline'
        : BEFORE_NAME.test(before)
          ? 'name'
          : BEFORE_ITEM.test(before)
            ? 'item'
            : 'plain';
      found.push({ text, index, end: index + match[0].length, role });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const NAME_END =
  /$|[.,;!?\n()]|\s+(?:with|that|which|for|and|in|on|at|using|featuring|including|where|who|to|it|but|has|have|should|is|in)\b/;
export const NOT_NAMES = new Set([
  'i',
  'a',
  'an',
  'my',
  'our',
  'your',
  'me',
  'react',
  'typescript',
  'vue',
  'mobile',
  'desktop',
  'ios',
  'android',
  'the',
]);

/** A name cleaned of quotes and stray punctuation, cut to 60 characters at a word boundary. */
export function tidyName(raw: string): string {
  let name = clean(raw.replace(/^["'“”‘’`«»]+|["'“”‘’`«»]+$/g, '')).replace(/[.,;:!?]+$/, '');
  if (name.length > 60) name = name.slice(0, 60).replace(/\s+\S*$/, '');
  return name;
}

/** A name the caller gave explicitly: kept as written, whitespace collapsed, at most 80 characters. */
export function explicitName(raw: string | undefined): string {
  const name = clean(raw ?? '');
  return name.length > 80 ? name.slice(0, 80).replace(/\s+\S*$/, '') || name.slice(0, 80) : name;
}

export interface NameFacts {
  name: string | null;
  tagline: string | null;
  /** Quoted strings that are neither the name nor the tagline. */
  quotedItems: string[];
  /** Spans of the prompt that are names or quotes (ignored when looking for colours). */
  spans: string[];
}

export function extractNameFacts(prompt: string): NameFacts {
  const quoted = quotedStrings(prompt);
  const tagline = quoted.find((q) => q.role === 'tagline')?.text ?? unquotedTagline(prompt);
  let name = quoted.find((q) => q.role === 'name')?.text ?? null;
  if (!name) name = quoted.find((q) => q.role === 'plain')?.text ?? null;
  if (!name) name = calledName(prompt) ?? forName(prompt) ?? appositiveName(prompt);
  const cleanName = name ? tidyName(name) : '';
  const quotedItems = quoted
    .filter((q) => q.role !== 'tagline' && q.text !== name)
    .map((q) => q.text);
  const spans = quoted.map((q) => q.text);
  if (cleanName) spans.push(cleanName);
  return {
    name: cleanName || null,
    tagline: tagline ? tidyTagline(tagline) : null,
    quotedItems,
    spans,
  };
}

function tidyTagline(raw: string): string {
  const text = clean(raw).replace(/^["'“”`]+|["'“”`]+$/g, '');
  return text.length > 160 ? text.slice(0, 160).replace(/\s+\S*$/, '') + '…' : text;
}

function unquotedTagline(prompt: string): string | null {
  const match =
    /\b(?:tagline|slogan|headline|motto)\s*(?:is|of|reads|saying)?\s*:\s*([^\n.!?]{3,160})/i.exec(
      prompt,
    );
  return match?.[1] ? clean(match[1]) : null;
}

function calledName(prompt: string): string | null {
  const match = /\b(?:called|named|titled)\s+(.+)/i.exec(prompt);
  if (!match?.[1]) return null;
  const rest = match[1];
  const end = NAME_END.exec(rest);
  let name = clean(rest.slice(0, end ? end.index : rest.length));
  const words = name.split(' ').filter(Boolean);
  if (words.length === 0 || NOT_NAMES.has(words[0]!.toLowerCase())) return null;
  name = words.slice(0, 5).join(' ');
  return name === name.toLowerCase() ? titleCase(name) : name;
}

function forName(prompt: string): string | null {
  const match =
    /\bfor\s+((?:[A-Z0-9][\w'’&.-]*)(?:\s+(?:[A-Z0-9][\w'’&.-]*|&|of|and|the|de|la|du|von))*)/.exec(
      prompt,
    );
  if (!match?.[1]) return null;
  const words = match[1].split(/\s+/);
  while (words.length > 0 && /^(of|and|the|de|la|du|von|&)$/.test(words[words.length - 1]!))
    words.pop();
  if (words.length === 0 || NOT_NAMES.has(words[0]!.toLowerCase())) return null;
  if (words.length === 1 && /^[A-Z][a-z]+$/.test(words[0]!) && MONTHS.test(words[0]!)) return null;
  return words.slice(0, 6).join(' ');
}

/** "my plumbing business, Rapid Pipes, with …": a capitalised name set off after the business. */
function appositiveName(prompt: string): string | null {
  const match =
    /\b(?:business|shop|store|company|studio|bakery|caf[eé]|salon|gym|restaurant|agency|firm|brand|band|podcast|clinic|practice|startup)\s*,\s*([A-Z][\w'’&-]*(?:\s+(?:[A-Z][\w'’&-]*|&|of|the)){0,4})\s*(?=[,.;]|$)/.exec(
      prompt,
    );
  const name = match?.[1];
  if (!name || NOT_NAMES.has(name.toLowerCase())) return null;
  return name;
}

export const MONTHS =
  /^(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)$/i;

/** Colour words that are also ordinary nouns count only where colours are being discussed. */
const AMBIGUOUS = new Set(
  'forest sky mint sage olive tan cream chocolate slate silver gold golden rose peach lime plum coral amber charcoal mustard lavender aqua'.split(
    ' ',
  ),
);
const COLOR_CONTEXT =
  /\b(colou?rs?|theme|themed|palette|accents?|tones?|background|scheme|shades?|hues?|branding)\b/;

export interface ColorFacts {
  primary: string | null;
  accent: string | null;
  dark: boolean | null;
}

/** A colour the prompt names: the word or hex as written, its shade, and whether it is an accent. */
export interface ColourMention {
  word: string;
  hex: string;
  index: number;
  accent: boolean;
}

function colourText(prompt: string, ignore: readonly string[]): string {
  let text = prompt.toLowerCase();
  for (const span of ignore) if (span) text = text.split(span.toLowerCase()).join(' ');
  return text.replace(/\b(ice|sour|whipped|clotted) cream\b|\bcream (cheese|puffs?|tea)\b/g, ' ');
}

/** "in rose and sage": an ambiguous word named as what the page is in, alone or in a list. */
function listedAsColour(text: string, word: string): boolean {
  return new RegExp(
    '\\bin\\s+(?:\\w+\\s+(?:and|&)\\s+)?' +
      word +
      '(?:\\s+(?:and|&)\\s+\\w+)?(?=\\s*(?:,|$|\\bwith\\b))',
  ).test(text);
}

/** A hex colour or a colour word; compiled once (it is long, and every prompt runs it). */
const COLOUR_PATTERN = new RegExp(
  '#[0-9a-f]{6}\\b|#[0-9a-f]{3}\\b|\\b(' + Object.keys(COLOR_WORDS).join('|') + ')\\b',
  'g',
);

/** Every colour the prompt asks for, in order (ambiguous words only where colours are discussed). */
export function colourMentions(prompt: string, ignore: readonly string[] = []): ColourMention[] {
  const text = colourText(prompt, ignore);
  const found: ColourMention[] = [];
  for (const sentence of splitSentences(text)) {
    const matches = [...sentence.text.matchAll(COLOUR_PATTERN)];
    const unambiguous = matches.some((m) => m[1] && !AMBIGUOUS.has(m[1]));
    for (const match of matches) {
      const word = match[1];
      if (
        word &&
        AMBIGUOUS.has(word) &&
        !unambiguous &&
        !COLOR_CONTEXT.test(sentence.text) &&
        !listedAsColour(sentence.text, word)
      )
        continue;
      const hex = word ? COLOR_WORDS[word] : normalizeHex(match[0]);
      if (!hex) continue;
      const around = sentence.text.slice(
        Math.max(0, match.index - 25),
        match.index + match[0].length + 12,
      );
      const accent =
        new RegExp('\\b(accent|secondary)\\b[^,.;]*' + escapeRe(match[0])).test(around) ||
        new RegExp(escapeRe(match[0]) + '\\s+(accents?|highlights?|details)\\b').test(around);
      found.push({ word: match[0], hex, index: sentence.start + match.index, accent });
    }
  }
  return found;
}

export function extractColors(prompt: string, ignore: readonly string[] = []): ColorFacts {
  const text = colourText(prompt, ignore);
  const found = colourMentions(prompt, ignore);
  const accentHit = found.find((f) => f.accent);
  const primaryHit = found.find((f) => !f.accent);
  const second = found.find((f) => f !== primaryHit && f.hex !== primaryHit?.hex);
  let dark: boolean | null = null;
  if (
    /\b(dark|night) (mode|theme|background|colou?r scheme|ui|look|design)\b|\bdark-themed\b|\bdark(,| with\b| and\b)|\b(in|all|go|make it) dark\b/.test(
      text,
    )
  )
    dark = true;
  else if (/\blight (mode|theme|background)\b/.test(text)) dark = false;
  return {
    primary: primaryHit?.hex ?? null,
    accent: accentHit?.hex ?? second?.hex ?? null,
    dark,
  };
}

function escapeRe(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function splitSentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?\n]+(\s|$)/g)) {
    out.push({ text: text.slice(start, match.index), start });
    start = match.index + match[0].length;
  }
  out.push({ text: text.slice(start), start });
  return out;
}

const NEGATION = /\b(no|without|not|skip|exclude|except|minus|remove|drop|don'?t)\b[^,.;]*$/;

/** Sections the prompt asks for (negated mentions such as "without pricing" do not count). */
export function extractSections(text: string): SectionId[] {
  const requested = new Set<SectionId>();
  for (const id of SECTION_IDS) {
    for (const rule of SECTION_RULES[id]) {
      const global = new RegExp(rule.source, 'g');
      for (const match of text.matchAll(global)) {
        const before = text.slice(Math.max(0, match.index - 30), match.index);
        if (!NEGATION.test(before)) requested.add(id);
      }
    }
  }
  return SECTION_IDS.filter((id) => requested.has(id));
}

/** Sections the prompt explicitly excludes ("no pricing", "without testimonials"). */
export function excludedSections(text: string): SectionId[] {
  return SECTION_IDS.filter((id) =>
    SECTION_RULES[id].some((rule) =>
      [...text.matchAll(new RegExp(rule.source, 'g'))].some((match) =>
        NEGATION.test(text.slice(Math.max(0, match.index - 30), match.index)),
      ),
    ),
  );
}

const LIST_INTRO = /(?:\b(?:such as|including|e\.g\.|for example|like)\b|:)\s*([^.;\n!?]+)/gi;
const LIST_CUT = /\s+(?:with|in|using|on|for|and also)\s+(?:a|an|the|some|my|our)\b.*$/i;
const ITEM_NOISE =
  /\b(colou?rs?|theme|palette|background|sections?|pages?|layout|font|style|footer|header|navigation|nav|opening hours|address|map)\b/i;

/** Listed things ("dishes: pizza, pasta and tiramisu", quoted items), up to 12, de-duplicated. */
export function extractItems(prompt: string, quotedItems: readonly string[]): string[] {
  const raw: string[] = [...quotedItems];
  for (const match of prompt.matchAll(LIST_INTRO)) {
    const list = (match[1] ?? '').replace(LIST_CUT, '');
    const parts = list.split(/\s*,\s*/);
    const last = parts.pop() ?? '';
    parts.push(...last.split(/\s+(?:and|or|&)\s+/));
    // "shakshuka and pancakes" inside the list is two items too, "plus opening hours" one.
    const split = parts.slice(0, -1).flatMap((part) => part.split(/\s+(?:and|&)\s+/));
    parts.splice(0, parts.length - 1, ...split);
    if (parts.length < 2 && !match[0].includes(':')) continue;
    raw.push(...parts);
  }
  const out: string[] = [];
  const seen = new Set<string>();
  const sectionWord = new RegExp(
    '^(' + SECTION_IDS.join('|') + '|about us|testimonials|reviews|faqs?|gallery|team)$',
    'i',
  );
  for (const part of raw) {
    const item = clean(
      part.replace(/^(and|or|a|an|the|some|plus|also)\s+/i, '').replace(/\s+etc\.?$/i, ''),
    ).replace(/^["'“”`]+|["'“”`.]+$/g, '');
    if (/^in\s+\S+$/i.test(item) && COLOR_WORDS[item.slice(3).toLowerCase()]) continue;
    const key = item.toLowerCase();
    if (!item || item.length > 60 || seen.has(key) || sectionWord.test(item)) continue;
    if (ITEM_NOISE.test(item) || COLOR_WORDS[key] || /^#[0-9a-f]{3,6}$/i.test(item)) continue;
    seen.add(key);
    out.push(capitalize(item));
    if (out.length === 12) break;
  }
  return out;
}
