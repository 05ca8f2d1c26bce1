/**
 * Prompt → AppSpec. Kind detection scores keyword tables (vocab.ts); the rest comes from
 * extract.ts and the content packs. Deterministic: the same prompt always gives the same spec.
 */
import { emojiFor, PACKS, type Pack } from './content/packs.js';
import { eventType } from './content/event-data.js';
import { PEOPLE, portfolioField } from './content/portfolio-data.js';
import {
  excludedSections,
  extractColors,
  extractItems,
  extractNameFacts,
  extractSections,
  explicitName,
} from './extract.js';
import { extractCurrency, extractPlace } from './extract-place.js';
import { extractFacts } from './facts.js';
import { blocksFor } from './spec-blocks.js';
import { clean, fill, hash, pick, titleCase } from './text.js';
import { COLOR_WORDS, mix } from './theme.js';
import {
  SECTION_IDS,
  type AppKind,
  type AppSpec,
  type PackId,
  type SectionId,
  type SpecFacts,
} from './types.js';
import {
  DEFAULT_SECTIONS,
  FILLER_WORDS,
  GENERIC_NOUNS,
  KIND_PRIORITY,
  KIND_RULES,
  NAV_MENU,
  PACK_RULES,
  STOP_WORDS,
} from './vocab.js';

/** Lower case, "to-do" → "todo", navigation menus removed, whitespace collapsed. */
export function normalize(prompt: string): string {
  return prompt
    .toLowerCase()
    .replace(/\bto-dos?\b|\bto do (?=list|app)/g, (match) =>
      match.endsWith('s') ? 'todos' : 'todo ',
    )
    .replace(NAV_MENU, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function kindScores(text: string): Record<AppKind, number> {
  const scores = { general: 0 } as Record<AppKind, number>;
  for (const kind of KIND_PRIORITY) {
    const rules = KIND_RULES[kind as Exclude<AppKind, 'general'>];
    scores[kind] = rules.reduce(
      (sum, [pattern, weight]) => sum + (pattern.test(text) ? weight : 0),
      0,
    );
  }
  return scores;
}

/** The kind with the best score (ties go to the more specific kind); 'general' when none match. */
export function detectKind(prompt: string): AppKind {
  const scores = kindScores(normalize(prompt));
  let best: AppKind = 'general';
  for (const kind of KIND_PRIORITY) if (scores[kind] > scores[best]) best = kind;
  return best;
}

const KIND_NOUNS = new Set(
  'page landing site website webpage homepage app application dashboard portfolio blog catalog catalogue menu todo tracker list checklist'.split(
    ' ',
  ),
);
const GERUNDS = new Set(
  'tracking managing organizing organising selling showing monitoring listing showcasing displaying'.split(
    ' ',
  ),
);

function tokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}&'’-]*|[.,;:!?()"“”]/gu) ?? [];
}

const isWord = (token: string) => /^[\p{L}\p{N}]/u.test(token);

function phraseAfter(words: string[], start: number, allowOf = false): string[] {
  const out: string[] = [];
  for (let i = start; i < words.length && out.length < 6; i++) {
    const word = words[i]!;
    const joins = allowOf && word === 'of' && out.length > 0 && isWord(words[i + 1] ?? '.');
    if (!isWord(word) || (STOP_WORDS.has(word) && !joins)) break;
    out.push(word);
  }
  return out;
}

function tidyPhrase(words: string[]): string {
  let list = words.filter((word) => !FILLER_WORDS.has(word) && !COLOR_WORDS[word]);
  while (list.length > 0 && GERUNDS.has(list[0]!)) list = list.slice(1);
  while (list.length > 0 && list[list.length - 1] === 'of') list = list.slice(0, -1);
  return list.slice(-3).join(' ');
}

/** The thing the app is about ("bakery", "sales metrics", "outdoor gear store"), or ''. */
export function extractSubject(text: string): string {
  const words = tokens(text);
  const candidates: (() => string)[] = [
    () => {
      const at = words.indexOf('about');
      if (at < 0 || /^(us|me|section|page|the (company|team))$/.test(words[at + 1] ?? ''))
        return '';
      const phrase = phraseAfter(words, at + 1, true);
      const subject = tidyPhrase(phrase);
      return phrase[0] === 'the' && subject.includes(' of ') ? 'the ' + subject : subject;
    },
    () => {
      for (let i = 0; i < words.length; i++) {
        if (!KIND_NOUNS.has(words[i]!)) continue;
        const before: string[] = [];
        for (let j = i - 1; j >= 0 && isWord(words[j]!) && !STOP_WORDS.has(words[j]!); j--)
          before.unshift(words[j]!);
        const phrase = tidyPhrase(before);
        if (phrase) return phrase;
      }
      return '';
    },
    () => after(words, (word) => word === 'selling'),
    () =>
      after(
        words,
        (word, i) =>
          word === 'of' &&
          /^(catalog|catalogue|collection|list|portfolio|showcase)$/.test(words[i - 1] ?? ''),
      ),
    () => after(words, (word) => word === 'for'),
    () => after(words, (word) => /^(showing|tracking|track|manage|organi[sz]e|plan)$/.test(word)),
  ];
  let weak = '';
  for (const candidate of candidates) {
    const subject = candidate();
    if (!subject) continue;
    if (!WEAK_SUBJECTS.has(subject)) return subject.slice(0, 80);
    weak ||= subject;
  }
  return weak.slice(0, 80);
}

/** Subjects so generic that a more specific phrase elsewhere in the prompt should win. */
const WEAK_SUBJECTS = new Set(
  'restaurant business company shop store product products event events team startup agency brand me'.split(
    ' ',
  ),
);

function after(words: string[], test: (word: string, index: number) => boolean): string {
  for (let i = 0; i < words.length; i++) {
    if (!test(words[i]!, i)) continue;
    let start = i + 1;
    while (GERUNDS.has(words[start] ?? '')) start++;
    const phrase = tidyPhrase(phraseAfter(words, start));
    if (phrase) return phrase;
  }
  return '';
}

export function detectPack(kind: AppKind, subject: string, text: string): PackId {
  if (kind === 'menu') return 'food';
  const found =
    PACK_RULES.find(([, test]) => test.test(subject))?.[0] ??
    PACK_RULES.find(([, test]) => test.test(text))?.[0];
  if (kind === 'catalog') {
    return found && ['retail', 'food', 'beauty', 'creative', 'fitness'].includes(found)
      ? found
      : 'retail';
  }
  if (found) return found;
  return kind === 'portfolio' ? 'creative' : 'generic';
}

const ADJECTIVES = [
  'Sunrise',
  'Maple',
  'Bluebird',
  'Harbor',
  'Juniper',
  'Copper',
  'Willow',
  'Northstar',
  'Evergreen',
  'Little Fox',
  'Wildflower',
  'Lantern',
  'Meadow',
  'Saltwater',
  'Golden Hour',
  'Hearth',
];

/** A name from the kind and subject when the prompt gives none ("Maple Bakery", "Sales Dashboard"). */
export function deriveName(kind: AppKind, subject: string, pack: Pack, seed: number): string {
  const adjective = pick(ADJECTIVES, seed);
  const words = subject.split(' ').filter(Boolean);
  if (
    kind === 'catalog' &&
    words.length > 1 &&
    /^(store|shop|boutique)$/.test(words[words.length - 1]!)
  )
    words.pop();
  const title = titleCase(words.join(' '));
  const last = words[words.length - 1] ?? '';
  switch (kind) {
    case 'portfolio':
      return pick(PEOPLE, seed, 1);
    case 'todo':
      return title ? title + ' Checklist' : adjective + ' Tasks';
    case 'dashboard':
      return title ? title + ' Dashboard' : adjective + ' Analytics';
    case 'blog':
      return title ? 'The ' + title + ' Journal' : adjective + ' Notes';
    case 'event':
      return title ? adjective + ' ' + title : adjective + ' ' + eventType(subject).noun;
    case 'general':
      return title || adjective + ' ' + pack.noun;
    default: {
      if (!title) return adjective + ' ' + pack.noun;
      const suffix = words.length === 1 ? GENERIC_NOUNS[last] : undefined;
      return adjective + ' ' + (suffix ?? title);
    }
  }
}

interface KindDefaults {
  emoji: string;
  primary: string;
  accent: string;
  font: 'sans' | 'serif';
  tagline: string;
  description: string;
}

function kindDefaults(kind: AppKind, subject: string, topic: string, pack: Pack): KindDefaults {
  const emoji = emojiFor(subject || topic, pack);
  const base = { emoji, primary: pack.primary, accent: pack.accent, font: pack.font };
  const about = subject ? subject : '';
  switch (kind) {
    case 'todo':
      return {
        ...base,
        emoji: '✅',
        primary: '#0d9488',
        accent: '#f59e0b',
        font: 'sans',
        tagline: about
          ? 'A tidy ' + about + ' list you can actually keep up with.'
          : 'Plan your day, tick things off and enjoy the progress.',
        description:
          'Add what needs doing, check it off when it is done and pick up where you left off. Your list is saved in this browser.',
      };
    case 'dashboard':
      return {
        ...base,
        emoji: '📊',
        primary: '#4f46e5',
        accent: '#10b981',
        font: 'sans',
        tagline: about
          ? 'Your ' + about + ' numbers at a glance.'
          : 'Your key numbers at a glance.',
        description:
          'Track the metrics that matter, spot trends early and see where to focus next.',
      };
    case 'blog':
      return {
        ...base,
        emoji: emoji === pack.emoji ? '📝' : emoji,
        primary: '#9a3412',
        accent: '#0f766e',
        font: 'serif',
        tagline: about
          ? 'Stories, ideas and practical notes about ' + about + '.'
          : 'Stories, ideas and notes worth sharing.',
        description: 'New posts every few weeks: honest, practical and written for curious people.',
      };
    case 'portfolio': {
      const field = portfolioField(topic);
      return {
        ...base,
        emoji: emoji === pack.emoji ? '🎨' : emoji,
        primary: '#7c3aed',
        accent: '#f97316',
        font: 'serif',
        tagline: field.tagline,
        description: field.description,
      };
    }
    case 'event': {
      const type = eventType(topic);
      return {
        ...base,
        emoji: type.emoji,
        primary: type.primary,
        accent: type.accent,
        font: 'sans',
        tagline: type.tagline,
        description: type.description,
      };
    }
    default:
      return { ...base, tagline: pack.tagline, description: pack.description };
  }
}

function chooseSections(kind: AppKind, text: string, topic: string): SectionId[] {
  const requested = extractSections(text);
  const excluded = new Set(excludedSections(text));
  if (kind === 'event' && /\b(speakers?|line-?up|hosts?|performers?|artists?)\b/.test(text))
    requested.push('team');
  const exact = requested.length >= 3 || (requested.length > 0 && /\b(only|just)\b/.test(text));
  const chosen = new Set<SectionId>(exact ? requested : [...DEFAULT_SECTIONS[kind], ...requested]);
  if (kind === 'event' && !exact) {
    if (eventType(topic).label !== 'Wedding') chosen.add('team');
    if (eventType(topic).tickets.length > 0) chosen.add('pricing');
  }
  return SECTION_IDS.filter(
    (id) => chosen.has(id) && (!excluded.has(id) || requested.includes(id)),
  );
}

export interface AnalyzeOptions {
  /** An explicit app name; wins over anything in the prompt. */
  name?: string;
}

/** "Biscuit's 5th Birthday Party": the named pet or person and the occasion, when both are there. */
function personalName(facts: SpecFacts): string {
  if (!facts.person) return '';
  return facts.person + (facts.occasion ? '’s ' + titleCase(facts.occasion) : '');
}

/** "Biscuit turns 5! Come and celebrate on March 14." for a numbered birthday, else null. */
function personalTagline(facts: SpecFacts, date: string): string | null {
  const age = /^(\d+)\w\w birthday/.exec(facts.occasion)?.[1];
  if (!facts.person || !age) return null;
  return (
    facts.person + ' turns ' + age + '! Come and celebrate' + (date ? ' on ' + date : '') + '.'
  );
}

/** The prompt's colours; an accent named alone ("gold accents") tints the primary too. */
function themeColors(
  prompt: string,
  spans: string[],
  defaults: { primary: string; accent: string },
) {
  const colors = extractColors(prompt, spans);
  const primary =
    colors.primary ?? (colors.accent ? mix(colors.accent, '#000000', 0.3) : defaults.primary);
  let accent =
    colors.accent ?? (colors.primary ? mix(colors.primary, '#000000', 0.35) : defaults.accent);
  if (accent === primary) accent = mix(primary, '#000000', 0.35);
  return { primary, accent, dark: colors.dark ?? false };
}

export function analyzePrompt(prompt: string, options: AnalyzeOptions = {}): AppSpec {
  const text = normalize(prompt);
  const kind = detectKind(prompt);
  const facts = extractNameFacts(prompt);
  const named = extractFacts(prompt);
  const subject = named.person ? named.person.toLowerCase() : extractSubject(text);
  const topic = clean(subject + ' ' + text).slice(0, 500);
  const packId = detectPack(kind, subject, text);
  const pack = PACKS[packId];
  const seed = hash(clean(prompt).toLowerCase());
  const name =
    explicitName(options.name) ||
    facts.name ||
    personalName(named) ||
    deriveName(kind, subject, pack, seed);
  const defaults = kindDefaults(kind, subject, topic, pack);
  const theme = themeColors(prompt, facts.spans, defaults);
  const currency = extractCurrency(prompt);
  const vars = {
    name,
    subject: named.person || subject || 'what we do',
    cur: currency === 'EUR' ? '€' : currency === 'GBP' ? '£' : '$',
  };
  const place = extractPlace(prompt, name);
  return {
    version: 1,
    kind,
    name,
    tagline: facts.tagline ?? personalTagline(named, place.date) ?? fill(defaults.tagline, vars),
    description: fill(defaults.description, vars),
    subject: named.person || subject,
    topic,
    pack: packId,
    logo: defaults.emoji,
    theme: { ...theme, font: defaults.font },
    sections: chooseSections(kind, text, topic),
    items: extractItems(prompt, facts.quotedItems).filter((item) => item !== name),
    currency,
    place,
    seed,
    facts: named,
    ...blocksFor(kind, text, named, seed),
  };
}
