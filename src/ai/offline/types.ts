/**
 * The offline engine's description of an app: what `analyzePrompt` extracts from a prompt and
 * what every renderer reads. It is stored in the generated app as `src/app-spec.json` so that
 * updates can load it, change it and render again.
 */
import { z } from 'zod';
import { BlockSchema } from './components/schemas.js';

export const APP_KINDS = [
  'landing',
  'todo',
  'portfolio',
  'blog',
  'dashboard',
  'catalog',
  'event',
  'menu',
  'general',
] as const;
export type AppKind = (typeof APP_KINDS)[number];

/** Shared page sections, in the order they appear on a page. */
export const SECTION_IDS = [
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
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

/** Content families: which copy, emoji and default colours suit the subject. */
export const PACK_IDS = [
  'food',
  'fitness',
  'beauty',
  'tech',
  'agency',
  'creative',
  'retail',
  'home',
  'health',
  'professional',
  'education',
  'generic',
] as const;
export type PackId = (typeof PACK_IDS)[number];

export const CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

const hex = z.string().regex(/^#[0-9a-f]{6}$/);
const text = (max: number) => z.string().max(max);

/** What the prompt named that the data must carry (see facts.ts). */
export const SpecFactsSchema = z.object({
  /** A named pet or person the app is about ("Biscuit"), '' when none. */
  person: text(60),
  /** What they are to the writer ("cat", "daughter"), '' when none. */
  relation: text(30),
  /** "5th birthday party", '' when none. */
  occasion: text(60),
  /** A counted group the data splits by ("three coffee shops"). */
  group: z.object({ noun: text(40), names: z.array(text(60)).max(8) }).nullable(),
  /** A kind of product the data lists ("drinks"). */
  products: z.object({ noun: text(40), names: z.array(text(60)).max(12) }).nullable(),
  /** Categories of work ("Wedding", "Wildlife"). */
  categories: z.array(text(40)).max(6),
});
export type SpecFacts = z.infer<typeof SpecFactsSchema>;

export const EMPTY_FACTS: SpecFacts = {
  person: '',
  relation: '',
  occasion: '',
  group: null,
  products: null,
  categories: [],
};

export const AppSpecSchema = z.object({
  version: z.literal(1),
  kind: z.enum(APP_KINDS),
  name: z.string().min(1).max(80),
  tagline: text(200),
  /** The hero paragraph (a rename replaces the old name in it). */
  description: text(400),
  subject: text(80),
  /** The lower-cased prompt (first 500 characters): content is chosen from its words. */
  topic: text(500),
  pack: z.enum(PACK_IDS),
  theme: z.object({
    primary: hex,
    accent: hex,
    dark: z.boolean(),
    font: z.enum(['sans', 'serif']),
  }),
  sections: z.array(z.enum(SECTION_IDS)).max(SECTION_IDS.length),
  items: z.array(text(80)).max(12),
  currency: z.enum(CURRENCIES),
  logo: text(16),
  /** City, venue, date and time the prompt mentioned ('' when it did not). */
  place: z.object({ city: text(60), venue: text(120), date: text(60), time: text(40) }),
  seed: z.number().int().min(0).max(0xffffffff),
  /** Absent in specs written before facts were extracted: read as EMPTY_FACTS. */
  facts: SpecFactsSchema.optional(),
  /** Components from the shared library, mounted after the kind's own (components/index.ts). */
  blocks: z.array(BlockSchema).max(12).optional(),
});

export type AppSpec = z.infer<typeof AppSpecSchema>;
export type Theme = AppSpec['theme'];

/** The AppSpec in `value`, or null when it is not one (e.g. an edited or foreign file). */
export function parseSpec(value: unknown): AppSpec | null {
  const result = AppSpecSchema.safeParse(value);
  return result.success ? result.data : null;
}

/** Where the spec lives inside a generated app. */
export const SPEC_PATH = 'src/app-spec.json';

/** What a prompt asked for, as the plan lists it. */
export const ASK_KINDS = ['entity', 'section', 'feature', 'colour', 'date', 'count'] as const;
export type AskKind = (typeof ASK_KINDS)[number];

export interface Ask {
  kind: AskKind;
  /** The ask in the prompt's words ("a countdown", "gold", "14 March"). */
  text: string;
  honoured: boolean;
  /** How it was honoured, or why it could not be. */
  reason: string;
  /** Where a reader of the page sees it: text on the page, an element, or a theme colour. */
  shows:
    | { text: string }
    | { selector: string }
    | { colour: string }
    | { scheme: 'dark' | 'light' }
    | null;
}

/** An ask the engine could not honour, as the build view returns it (`plan.unmet`). */
export interface UnmetAsk {
  kind: AskKind;
  text: string;
  reason: string;
}
