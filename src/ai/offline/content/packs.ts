/** Content packs by id, and the emoji that best fits a subject. */
import type { PackId } from '../types.js';
import type { Pack } from './pack-types.js';
import { agency, creative, tech } from './packs-brands.js';
import { home, health, professional } from './packs-care.js';
import { education, generic, retail } from './packs-general.js';
import { beauty, fitness, food } from './packs-local.js';

export type { Pack } from './pack-types.js';

export const PACKS: Readonly<Record<PackId, Pack>> = {
  food,
  fitness,
  beauty,
  tech,
  agency,
  creative,
  retail,
  home,
  health,
  professional,
  education,
  generic,
};

/** Subject words with a more specific emoji than their pack's. First match wins. */
const SUBJECT_EMOJI: readonly (readonly [RegExp, string])[] = [
  [/\b(bak(ery|er|ing)|croissants?|pastr(y|ies)|patisserie|bread)\b/, '🥐'],
  [/\b(coffee|caf[eé]|espresso|roaster)\b/, '☕'],
  [/\b(tea ?(room|house|shop)?)\b/, '🍵'],
  [/\b(pizz(a|eria))\b/, '🍕'],
  [/\b(sushi|japanese)\b/, '🍣'],
  [/\b(ramen|noodles?)\b/, '🍜'],
  [/\b(tacos?|taqueria|mexican)\b/, '🌮'],
  [/\b(burgers?|diner)\b/, '🍔'],
  [/\b(ice cream|gelato)\b/, '🍨'],
  [/\b(cakes?|cupcakes?|dessert)\b/, '🧁'],
  [/\b(wine|winery|vineyard)\b/, '🍷'],
  [/\b(beer|brewery|pub)\b/, '🍺'],
  [/\b(yoga|pilates|meditation)\b/, '🧘'],
  [/\b(barber(shop)?)\b/, '💈'],
  [/\b(hair|salon)\b/, '💇'],
  [/\b(spa|massage|skincare)\b/, '🌿'],
  [/\b(dent(ist|al))\b/, '🦷'],
  [/\b(vet(erinary)?|pets?|dogs?|cats?)\b/, '🐾'],
  [/\b(photo(graphy|grapher|s)?|cameras?)\b/, '📷'],
  [/\b(music(ian)?|band|singer|vinyl|records?)\b/, '🎵'],
  [/\b(books?|bookstore|reading|library)\b/, '📚'],
  [/\b(plants?|garden(ing)?|nursery)\b/, '🪴'],
  [/\b(flowers?|florist)\b/, '💐'],
  [/\b(candles?)\b/, '🕯️'],
  [/\b(shoes|sneakers)\b/, '👟'],
  [/\b(outdoor|hiking|camping|trail)\b/, '🏕️'],
  [/\b(travel|trips?|adventures?)\b/, '✈️'],
  [/\b(ai|robots?|machine learning)\b/, '🤖'],
  [/\b(fashion|clothing|apparel)\b/, '👗'],
  [/\b(jewel(le)?ry)\b/, '💍'],
  [/\b(bikes?|cycling)\b/, '🚲'],
  [/\b(real estate|realtor|homes?)\b/, '🏡'],
  [/\b(wedding)\b/, '💍'],
  [/\b(conference|summit|meetup|hackathon)\b/, '🎤'],
  [/\b(festival|concert|party|gala)\b/, '🎉'],
  [/\b(finance|budget|expenses?|money)\b/, '💰'],
];

/** The emoji for a subject, or the pack's own. */
export function emojiFor(text: string, pack: Pack): string {
  for (const [pattern, emoji] of SUBJECT_EMOJI) if (pattern.test(text)) return emoji;
  return pack.emoji;
}
