/** What every renderer receives: the spec, its content pack and formatting helpers. */
import { PACKS, type Pack } from '../content/packs.js';
import { fill, slugify, type FillVars } from '../text.js';
import { hueOf } from '../theme.js';
import type { AppSpec, SectionId } from '../types.js';

export interface Link {
  label: string;
  href: string;
}

export interface RenderContext {
  spec: AppSpec;
  pack: Pack;
  vars: FillVars;
  /** Hue (0–359) of the primary colour, for tiles and avatars. */
  hue: number;
  fill: (text: string) => string;
  money: (amount: number) => string;
  has: (section: SectionId) => boolean;
  /** The first of these anchors the page has, else `#top`. */
  firstAnchor: (ids: readonly string[]) => string;
  /** Anchors the kind itself renders (e.g. `products`, `rsvp`). */
  kindAnchors: readonly string[];
}

/** One exported constant of src/data.ts: its name, TypeScript type and JSON-compatible value. */
export interface DataExport {
  name: string;
  type: string;
  value: unknown;
}

/** What a kind contributes to the app. */
export interface KindPart {
  /** Components rendered in <main> after the hero, in order: src/components/<Name>.tsx. */
  components: { name: string; source: string }[];
  /** Supporting files that are not rendered directly (e.g. a chart, a formatter). */
  files: { path: string; source: string }[];
  /** Type declarations for src/data.ts. */
  types: string;
  data: DataExport[];
  css: string;
  nav: Link[];
  hero: {
    compact: boolean;
    eyebrow: string;
    highlights: string[];
    cta: Link | null;
    secondary: Link | null;
  };
}

const KIND_ANCHORS: Readonly<Record<AppSpec['kind'], readonly string[]>> = {
  landing: [],
  general: [],
  todo: ['tasks'],
  dashboard: ['overview', 'trends', 'activity'],
  portfolio: ['work'],
  blog: ['posts'],
  catalog: ['products'],
  event: ['details', 'schedule', 'rsvp'],
  menu: ['menu'],
};

export function createContext(spec: AppSpec): RenderContext {
  const pack = PACKS[spec.pack];
  const cur = spec.currency === 'EUR' ? '€' : spec.currency === 'GBP' ? '£' : '$';
  const fallback = spec.kind === 'blog' ? 'writing' : 'what we do';
  const vars: FillVars = { name: spec.name, subject: spec.subject || fallback, cur };
  const anchors = new Set<string>([...KIND_ANCHORS[spec.kind], ...spec.sections]);
  const formats = new Map<boolean, Intl.NumberFormat>();
  const format = (fraction: boolean) => {
    let formatter = formats.get(fraction);
    if (!formatter) {
      formatter = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: spec.currency,
        minimumFractionDigits: fraction ? 2 : 0,
        maximumFractionDigits: fraction ? 2 : 0,
      });
      formats.set(fraction, formatter);
    }
    return formatter;
  };
  return {
    spec,
    pack,
    vars,
    hue: hueOf(spec.theme.primary),
    fill: (text) => fill(text, vars),
    money: (amount) => format(!Number.isInteger(amount)).format(amount),
    has: (section) => spec.sections.includes(section),
    firstAnchor: (ids) => {
      const found = ids.find((id) => anchors.has(id));
      return found ? '#' + found : '#top';
    },
    kindAnchors: KIND_ANCHORS[spec.kind],
  };
}

/** A short, stable, ASCII id for list items. */
export function itemId(prefix: string, index: number, text = ''): string {
  return prefix + '-' + (index + 1) + (text ? '-' + slugify(text).slice(0, 24) : '');
}
