/**
 * Things a prompt names that the generated data must carry instead of canned content: the pet
 * or person the app is about, the occasion, a counted group ("three coffee shops"), a kind of
 * product ("best-selling drinks") and categories of work ("wedding and wildlife photographer").
 * Pure and deterministic, like the rest of the analysis.
 */
import { capitalize, clean, singular } from './text.js';
import type { SpecFacts } from './types.js';

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

/** "three" → 3, "12" → 12; null for anything else. */
export function countOf(word: string): number | null {
  const lower = word.toLowerCase();
  if (/^\d{1,3}$/.test(lower)) return Number(lower);
  return NUMBER_WORDS[lower] ?? null;
}

const COUNT_WORD = '(\\d{1,3}|' + Object.keys(NUMBER_WORDS).join('|') + ')';

const RELATIONS =
  'cat|dog|puppy|kitten|pet|rabbit|bunny|hamster|parrot|horse|pony|son|daughter|kid|baby|boy|girl|grandma|grandpa|grandmother|grandfather|mum|mom|dad|sister|brother|wife|husband|friend|partner|niece|nephew';

/** "my cat Biscuit", "our dog Rex": the name (as written) and what they are. */
function namedSubject(prompt: string): { name: string; relation: string } | null {
  const match = new RegExp(
    '\\b(?:my|our|for)\\s+(?:little\\s+|best\\s+)?(' +
      RELATIONS +
      ")\\s+([A-Z][\\p{L}'’-]+)(?:'s|’s)?",
    'u',
  ).exec(prompt);
  if (!match?.[1] || !match[2]) return null;
  return { name: match[2].replace(/['’]s$/, ''), relation: match[1].toLowerCase() };
}

const OCCASIONS =
  /\b(?:(\d{1,3})(?:st|nd|rd|th)\s+)?(birthday party|birthday|anniversary|graduation party|graduation|baby shower|housewarming|retirement party|wedding)\b/i;

/** "5th birthday party" when the prompt names an occasion, else ''. */
function occasionOf(prompt: string): string {
  const match = OCCASIONS.exec(prompt);
  if (!match?.[2]) return '';
  const age = match[1] ?? /\bturn(?:s|ing)\s+(\d{1,3})\b/i.exec(prompt)?.[1];
  const numbered = age && /birthday/i.test(match[2]);
  return clean((numbered ? ordinal(Number(age)) + ' ' : '') + match[2].toLowerCase());
}

function ordinal(value: number): string {
  const tens = value % 100;
  if (tens >= 11 && tens <= 13) return value + 'th';
  return value + (['th', 'st', 'nd', 'rd'][value % 10] ?? 'th');
}

const JOINING = new Set('at on in with for and of per to from by or'.split(' '));

/**
 * The one or two words after a number that name what is counted: "coffee shops" of "three
 * coffee shops", "gyms" of "two gyms showing"; none for "14 at Willow Farm".
 */
export function countedWords(phrase: string): string[] {
  const words = phrase.toLowerCase().split(' ').filter(Boolean);
  if (words.length === 0 || JOINING.has(words[0]!)) return [];
  if (words.length === 2 && (JOINING.has(words[1]!) || /(ing|ed)$/.test(words[1]!)))
    return [words[0]!];
  return words;
}

/** Counted groups whose members the data can name ("three coffee shops"). */
const GROUP_NOUNS =
  /^(shops?|stores?|cafes?|cafés?|restaurants?|branches|locations?|sites?|clinics?|gyms?|studios?|salons?|bakeries|bars?|warehouses?|teams?|offices?|regions?|hotels?)$/;

function countedGroup(prompt: string): SpecFacts['group'] {
  const pattern = new RegExp('\\b' + COUNT_WORD + '\\s+((?:[a-z]+\\s+)?[a-z]+)\\b', 'gi');
  for (const match of prompt.matchAll(pattern)) {
    const count = countOf(match[1] ?? '');
    const words = countedWords(match[2] ?? '');
    const noun = words[words.length - 1] ?? '';
    if (!count || count < 2 || count > 8 || !GROUP_NOUNS.test(noun)) continue;
    const label = capitalize([...words.slice(0, -1), singular(noun)].join(' '));
    const names =
      memberNames(prompt.slice((match.index ?? 0) + match[0].length), count) ??
      Array.from({ length: count }, (_, index) => label + ' ' + (index + 1));
    return { noun: words.join(' '), names };
  }
  return null;
}

/**
 * The members' own names when the prompt lists them right after the group: "three coffee
 * shops: Bean There, Cup & Co and Daily Grind", "(…)", "called …". Only a list of exactly
 * `count` capitalised names counts; anything else leaves the numbered names.
 */
function memberNames(after: string, count: number): string[] | null {
  const list = /^\s*(?::|\(|,?\s+(?:called|named)\b)\s*([^.;:()\n]+)/i.exec(after)?.[1];
  if (!list) return null;
  const parts = list
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((name) => clean(name))
    .filter(Boolean);
  // The names run until the first part that is not one ("…, with a monthly chart").
  const end = parts.findIndex((part) => !/^[A-Z0-9]/.test(part) || part.length > 40);
  const names = end < 0 ? parts : parts.slice(0, end);
  return names.length === count ? names : null;
}

/** Product nouns the data can fill with believable names of that thing. */
const PRODUCT_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  drinks: ['Latte', 'Cappuccino', 'Flat white', 'Cold brew', 'Mocha'],
  coffees: ['Latte', 'Cappuccino', 'Flat white', 'Cold brew', 'Espresso'],
  teas: ['Earl Grey', 'Green tea', 'Chai latte', 'Peppermint', 'Matcha'],
  cocktails: ['Negroni', 'Margarita', 'Old fashioned', 'Mojito', 'Spritz'],
  beers: ['Pale ale', 'Lager', 'Stout', 'IPA', 'Wheat beer'],
  wines: ['Pinot noir', 'Chardonnay', 'Rioja', 'Prosecco', 'Sauvignon blanc'],
  pastries: ['Croissant', 'Pain au chocolat', 'Cinnamon bun', 'Almond tart', 'Danish'],
  cakes: ['Carrot cake', 'Lemon drizzle', 'Chocolate fudge', 'Victoria sponge', 'Cheesecake'],
  pizzas: ['Margherita', 'Pepperoni', 'Quattro formaggi', 'Diavola', 'Funghi'],
  books: ['Fiction', 'Cookbooks', 'Travel guides', 'Poetry', 'Children’s books'],
  plants: ['Monstera', 'Snake plant', 'Fiddle leaf fig', 'Pothos', 'Peace lily'],
  candles: ['Soy candle', 'Beeswax pillar', 'Travel tin', 'Three-wick candle', 'Tealights'],
  shoes: ['Runners', 'Loafers', 'Boots', 'Sandals', 'Trainers'],
  courses: ['Beginner course', 'Intermediate course', 'Masterclass', 'Workshop', 'Bootcamp'],
};

function productsOf(prompt: string): SpecFacts['products'] {
  const lower = prompt.toLowerCase();
  for (const [noun, names] of Object.entries(PRODUCT_EXAMPLES)) {
    if (new RegExp('\\b' + noun + '\\b').test(lower)) return { noun, names: [...names] };
  }
  return null;
}

/** Fields of work a portfolio is split into ("wedding and wildlife photographer"). */
const WORK_FIELDS =
  /\b((?:[a-z]+(?:,\s*|\s+and\s+|\s*&\s*|\s*\/\s*))*[a-z]+)\s+(photographer|photography|illustrator|designer|architect|painter|artist|filmmaker|videographer)\b/i;
const NOT_FIELDS = new Set(
  'a an the my our freelance professional based local award winning award-winning young senior junior and'.split(
    ' ',
  ),
);

function categoriesOf(prompt: string): string[] {
  const match = WORK_FIELDS.exec(prompt);
  if (!match?.[1]) return [];
  return (
    match[1]
      .split(/,\s*|\s+and\s+|\s*&\s*|\s*\/\s*/)
      .map((word) => word.trim())
      // A capitalised word there is a name ("Maya Okafor, wedding photographer"), not a field.
      .filter((word) => word && /^[a-z]/.test(word) && !NOT_FIELDS.has(word))
      .slice(0, 6)
      .map(capitalize)
  );
}

export function extractFacts(prompt: string): SpecFacts {
  const subject = namedSubject(prompt);
  return {
    person: subject?.name ?? '',
    relation: subject?.relation ?? '',
    occasion: occasionOf(prompt),
    group: countedGroup(prompt),
    products: productsOf(prompt),
    categories: categoriesOf(prompt),
  };
}
