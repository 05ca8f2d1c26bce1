/**
 * What a prompt asked for, and whether the generated app honours each ask. The offline engine
 * cannot build everything; its plan lists every ask it recognised so that one it could not
 * honour is reported (`plan.unmet`, a recommendation) rather than silently dropped.
 *
 * An entity, date or count is honoured only when its words appear in the generated content
 * (src/data.ts or index.html); a section when the page has it; a feature when the kind
 * implements it; a colour when the theme uses it.
 */
import { normalize } from './analyze.js';
import { countedWords, countOf } from './facts.js';
import {
  colourMentions,
  excludedSections,
  extractColors,
  extractItems,
  extractNameFacts,
} from './extract.js';
import { FEATURES, type FeatureId } from './components/index.js';
import { FEATURE_RULES } from './feature-rules.js';
import { createContext } from './render/context.js';
import { sectionNames } from './update.js';
import { EMPTY_FACTS, type AppSpec, type Ask, type UnmetAsk } from './types.js';
import { SECTION_RULES } from './vocab.js';
import { SECTION_IDS } from './types.js';

/** Generated content a reader sees: the data module and the HTML shell (never the stored spec). */
export function visibleContent(files: ReadonlyMap<string, string>): string {
  return fold((files.get('src/data.ts') ?? '') + '\n' + (files.get('index.html') ?? ''));
}

/** Lower case, curly apostrophes straight, escapes of quotes undone: for "does it appear". */
function fold(value: string): string {
  return value
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\\'/g, "'")
    .replace(/&#39;|&apos;/g, "'");
}

/** The anchor a block mounts at: its feature id, or '<id>-2' when the page already has one. */
function blockAnchor(spec: AppSpec, feature: FeatureId): string {
  const taken = new Set<string>([...createContext(spec).kindAnchors, ...spec.sections]);
  return taken.has(feature) ? feature + '-2' : feature;
}

/** "an event app", "a todo app". */
function anApp(spec: AppSpec): string {
  return (/^[aeiou]/.test(spec.kind) ? 'an ' : 'a ') + spec.kind + ' app';
}

function textAsk(kind: Ask['kind'], text: string, content: string, missing: string): Ask {
  const honoured = content.includes(fold(text));
  return {
    kind,
    text,
    honoured,
    reason: honoured ? 'Shown on the page.' : missing,
    shows: honoured ? { text } : null,
  };
}

function entityAsks(prompt: string, spec: AppSpec, content: string): Ask[] {
  const facts = spec.facts ?? EMPTY_FACTS;
  const named = extractNameFacts(prompt);
  const asks: Ask[] = [];
  const notShown = 'The offline engine has no place for this in ' + anApp(spec) + '.';
  if (named.name) asks.push(textAsk('entity', named.name, content, notShown));
  if (facts.person && facts.person !== named.name)
    asks.push(textAsk('entity', facts.person, content, notShown));
  if (facts.person && facts.occasion)
    asks.push(textAsk('entity', facts.occasion, content, notShown));
  for (const category of facts.categories)
    asks.push(textAsk('entity', category, content, notShown));
  if (spec.place.city) asks.push(textAsk('entity', spec.place.city, content, notShown));
  if (spec.place.venue) asks.push(textAsk('entity', spec.place.venue, content, notShown));
  if (facts.group) asks.push(namedThings(facts.group.noun, facts.group.names, content, notShown));
  const items = extractItems(prompt, named.quotedItems);
  // A catalog's listed items are its products ("books such as Dune, Emma"), judged one by one.
  if (facts.products && !(spec.kind === 'catalog' && items.length >= 2))
    asks.push(namedThings(facts.products.noun, facts.products.names, content, notShown));
  for (const item of items)
    if (!asks.some((ask) => fold(ask.text) === fold(item)))
      asks.push(itemAsk(item, content, notShown));
  return asks;
}

const MINOR_WORDS = new Set('per the and for with our your from into over each all'.split(' '));

/**
 * A listed item ("revenue per shop") is honoured when each of its words is on the page, so
 * "Revenue by shop" counts; the shown text is its longest word.
 */
function itemAsk(item: string, content: string, missing: string): Ask {
  const words = fold(item)
    .split(/[^\p{L}\p{N}']+/u)
    .filter((word) => word.length > 2 && !MINOR_WORDS.has(word));
  const shown = (word: string) =>
    content.includes(word) || content.includes(word.replace(/e?s$/, ''));
  if (words.length < 2) return textAsk('entity', item, content, missing);
  const honoured = words.every(shown);
  const longest = [...words].sort((a, b) => b.length - a.length)[0] ?? item;
  return {
    kind: 'entity',
    text: item,
    honoured,
    reason: honoured ? 'Its words are on the page.' : missing,
    shows: honoured
      ? {
          text: shown(longest) && content.includes(longest) ? longest : longest.replace(/e?s$/, ''),
        }
      : null,
  };
}

/** "drinks" is honoured when the drinks the data lists are on the page. */
function namedThings(noun: string, names: string[], content: string, missing: string): Ask {
  const first = names[0] ?? noun;
  const honoured = names.length > 0 && names.every((name) => content.includes(fold(name)));
  return {
    kind: 'entity',
    text: noun,
    honoured,
    reason: honoured ? 'Listed as ' + names.join(', ') + '.' : missing,
    shows: honoured ? { text: first } : null,
  };
}

function sectionAsks(prompt: string, spec: AppSpec): Ask[] {
  const text = normalize(prompt);
  const excluded = new Set(excludedSections(text));
  return SECTION_IDS.filter(
    (id) =>
      !excluded.has(id) &&
      SECTION_RULES[id].some((rule) =>
        [...text.matchAll(new RegExp(rule.source, 'g'))].some(() => true),
      ),
  ).map((id) => {
    const honoured = spec.sections.includes(id);
    return {
      kind: 'section' as const,
      text: sectionNames([id]).toLowerCase(),
      honoured,
      reason: honoured
        ? 'A ' + sectionNames([id]) + ' section is on the page.'
        : 'The prompt named more sections than ' + anApp(spec) + ' holds; this one was left out.',
      shows: honoured ? { selector: '#' + id } : null,
    };
  });
}

function featureAsks(prompt: string, spec: AppSpec): Ask[] {
  const text = normalize(prompt);
  const asks: Ask[] = [];
  for (const rule of FEATURE_RULES) {
    const match = rule.pattern.exec(text);
    if (!match || rule.unless?.test(text)) continue;
    const block = rule.component && spec.blocks?.some((b) => b.feature === rule.component);
    if (block && rule.component) {
      const anchor = blockAnchor(spec, rule.component);
      asks.push({
        kind: 'feature',
        text: match[0],
        honoured: true,
        reason: 'Added ' + FEATURES[rule.component].summary + '.',
        shows: { selector: '#' + anchor },
      });
      continue;
    }
    const honoured = rule.kinds.includes(spec.kind);
    asks.push({
      kind: 'feature',
      text: match[0],
      honoured,
      reason: honoured
        ? rule.how
        : 'The offline engine has no ' +
          rule.label +
          ' for ' +
          anApp(spec) +
          '; this needs an AI engine.',
      shows: honoured ? rule.shows : null,
    });
  }
  return asks;
}

function colourAsks(prompt: string, spec: AppSpec): Ask[] {
  const spans = extractNameFacts(prompt).spans;
  const asks: Ask[] = [];
  const seen = new Set<string>();
  for (const mention of colourMentions(prompt, spans)) {
    if (seen.has(mention.hex)) continue;
    seen.add(mention.hex);
    const used = [spec.theme.primary, spec.theme.accent].includes(mention.hex);
    asks.push({
      kind: 'colour',
      text: mention.word,
      honoured: used,
      reason: used
        ? (mention.hex === spec.theme.primary ? 'The primary colour' : 'The accent colour') +
          ' is ' +
          mention.hex +
          '.'
        : 'A theme has two colours, a primary and an accent; this third one was not used.',
      shows: used ? { colour: mention.hex } : null,
    });
  }
  const dark = extractColors(prompt, spans).dark;
  if (dark !== null) {
    const scheme = dark ? 'dark' : 'light';
    const honoured = spec.theme.dark === dark;
    asks.push({
      kind: 'colour',
      text: scheme,
      honoured,
      reason: honoured
        ? 'The theme is ' + scheme + '.'
        : 'The theme could not be made ' + scheme + '.',
      shows: honoured ? { scheme } : null,
    });
  }
  return asks;
}

function dateAsks(spec: AppSpec, content: string): Ask[] {
  const missing = 'The offline engine does not show dates in ' + anApp(spec) + '.';
  const asks: Ask[] = [];
  if (spec.place.date) asks.push(textAsk('date', spec.place.date, content, missing));
  if (spec.place.time) asks.push(textAsk('date', spec.place.time, content, missing));
  return asks;
}

const COUNTED =
  /\b(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ -]((?:[a-z]+ )?[a-z]+)\b/gi;

/** What follows a number without counting things: times, months of a date, ages, units. */
const NOT_COUNTED =
  /^(am|pm|a\.?m|p\.?m|years? old|minutes?|hours?|percent|o'?clock|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)\b|^\d/;

/** "three coffee shops", "a 12-month chart": honoured only when the data has that many. */
function countAsks(prompt: string, spec: AppSpec): Ask[] {
  const facts = spec.facts ?? EMPTY_FACTS;
  const asks: Ask[] = [];
  for (const match of prompt.matchAll(COUNTED)) {
    const count = countOf(match[1] ?? '');
    const what = countedWords(match[2] ?? '').join(' ');
    if (count === null || !what || NOT_COUNTED.test(what)) continue;
    // As written, up to the counted words: "three coffee shops", "12-month chart".
    const text = match[0].slice(0, match[0].toLowerCase().indexOf(what) + what.length);
    let reason =
      'The offline engine does not set how many ' + what + ' there are; this needs an AI engine.';
    let shows: Ask['shows'] = null;
    if (facts.group && facts.group.noun === what && facts.group.names.length === count) {
      reason = 'The data has ' + count + ' ' + what + ': ' + facts.group.names.join(', ') + '.';
      shows = { text: facts.group.names[0] ?? what };
    } else if (spec.kind === 'dashboard' && count === 12 && /^months?\b/.test(what)) {
      reason = 'The chart shows 12 months.';
      shows = { selector: '#trends svg' };
    }
    asks.push({ kind: 'count', text, honoured: shows !== null, reason, shows });
  }
  return asks;
}

/** Every ask recognised in the prompt, each marked honoured or not against the generated app. */
export function assessAsks(
  prompt: string,
  spec: AppSpec,
  files: ReadonlyMap<string, string>,
): Ask[] {
  const content = visibleContent(files);
  const counts = countAsks(prompt, spec);
  // A listed item that is a count ("a 12-month chart") is judged as the count, once.
  const counted = new Set(counts.map((ask) => fold(ask.text)));
  return [
    ...entityAsks(prompt, spec, content).filter((ask) => !counted.has(fold(ask.text))),
    ...sectionAsks(prompt, spec),
    ...featureAsks(prompt, spec),
    ...colourAsks(prompt, spec),
    ...dateAsks(spec, content),
    ...counts,
  ];
}

export function unmetOf(asks: readonly Ask[]): UnmetAsk[] {
  return asks
    .filter((ask) => !ask.honoured)
    .map(({ kind, text, reason }) => ({ kind, text, reason }));
}
