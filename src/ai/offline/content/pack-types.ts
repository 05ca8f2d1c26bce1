/** The shape of a content pack: copy for every shared section, for one family of subjects. */

/** icon, title, text, optional price (a number in the app's currency) */
export type CardCopy = readonly [string, string, string, number?];
/** quote, person, role */
export type QuoteCopy = readonly [string, string, string];
/** question, answer */
export type FaqCopy = readonly [string, string];
/** name, monthly price, period label, description, included features */
export type PlanCopy = readonly [string, number, string, string, readonly string[]];
/** name, role, short bio */
export type PersonCopy = readonly [string, string, string];
/** icon, caption */
export type TileCopy = readonly [string, string];

export interface Pack {
  emoji: string;
  font: 'sans' | 'serif';
  primary: string;
  accent: string;
  /** Used in names and copy when the prompt gives no subject. */
  noun: string;
  eyebrow: string;
  tagline: string;
  description: string;
  highlights: readonly string[];
  cta: string;
  features: readonly CardCopy[];
  services: readonly CardCopy[];
  about: { paragraphs: readonly string[]; highlights: readonly string[] };
  stats: readonly (readonly [string, string])[];
  testimonials: readonly QuoteCopy[];
  faq: readonly FaqCopy[];
  pricing: readonly PlanCopy[];
  team: readonly PersonCopy[];
  gallery: readonly TileCopy[];
  hours: string;
}
