/**
 * The component library every kind can compose: a feature id → the template files it needs
 * (templates/components/) and the props it is mounted with. A kind asks for components through
 * the spec's `blocks` list ([{ feature, data }], see ./schemas.ts); `mountBlocks` turns that
 * list into files, styles, data exports and the JSX that App.tsx renders, in order.
 */
import type { DataExport, Link, RenderContext } from '../render/context.js';
import { template } from '../templates.js';
import { BUILDERS } from './props.js';
import type { Block, FeatureId } from './schemas.js';

export {
  BlockSchema,
  FEATURE_DATA,
  FEATURE_IDS,
  type Block,
  type BlockRequest,
  type FeatureData,
  type FeatureId,
} from './schemas.js';

export interface Feature {
  /** src/components/<component>.tsx, from templates/components/<component>.tsx. */
  component: string;
  /** Other files under templates/components/ the component imports. */
  helpers: string[];
  /** Stylesheets under templates/components/, appended to src/styles.css once each. */
  css: string[];
  /** Its heading in the site's navigation. */
  label: string;
  /** What it does, for plans and for telling a user what the engine can honour. */
  summary: string;
}

export const FEATURES: Readonly<Record<FeatureId, Feature>> = {
  countdown: {
    component: 'Countdown',
    helpers: [],
    css: ['countdown.css'],
    label: 'Countdown',
    summary: 'a live countdown to a date',
  },
  priorities: {
    component: 'PriorityList',
    helpers: ['stored-list.ts'],
    css: ['lists.css', 'priority-list.css'],
    label: 'Priorities',
    summary: 'a list with a priority per item, sortable, saved in the browser',
  },
  rsvp: {
    component: 'RsvpList',
    helpers: ['stored-list.ts'],
    css: ['lists.css', 'rsvp-list.css'],
    label: 'RSVP',
    summary: 'an RSVP form that keeps the list of replies in the browser',
  },
  gallery: {
    component: 'LightboxGallery',
    helpers: [],
    css: ['lightbox-gallery.css'],
    label: 'Gallery',
    summary: 'a gallery that opens each picture in a lightbox',
  },
  pricing: {
    component: 'PricingTable',
    helpers: [],
    css: [],
    label: 'Pricing',
    summary: 'a pricing table',
  },
  faq: {
    component: 'FaqList',
    helpers: [],
    css: [],
    label: 'FAQ',
    summary: 'questions and answers',
  },
  testimonials: {
    component: 'TestimonialList',
    helpers: [],
    css: [],
    label: 'Testimonials',
    summary: 'quotes from customers',
  },
  hours: {
    component: 'OpeningHours',
    helpers: [],
    css: ['opening-hours.css'],
    label: 'Hours',
    summary: 'opening hours with open or closed now',
  },
  map: {
    component: 'MapLink',
    helpers: [],
    css: ['map-link.css'],
    label: 'Find us',
    summary: 'the address with a link to it on OpenStreetMap',
  },
  newsletter: {
    component: 'NewsletterSignup',
    helpers: ['mailto.ts'],
    css: ['forms-honest.css'],
    label: 'Newsletter',
    summary: 'a newsletter sign-up that emails the request to the owner (no list service)',
  },
  contact: {
    component: 'ContactForm',
    helpers: ['mailto.ts'],
    css: ['forms-honest.css'],
    label: 'Contact',
    summary: 'a contact form that opens an email to the owner and says so (no backend)',
  },
  chart: {
    component: 'SeriesChart',
    helpers: [],
    css: ['series-chart.css'],
    label: 'Chart',
    summary: 'an SVG chart of one or more series',
  },
};

/** One mounted component: rendered in App.tsx as `<component {...dataName} />`. */
export interface Mount {
  feature: FeatureId;
  component: string;
  /** The section's id on the page (the feature id, or `<id>-2`… when it is taken). */
  anchor: string;
  nav: Link;
  /** Its props, as a src/data.ts export typed by the component's own props interface. */
  data: DataExport;
}

export interface Mounted {
  mounts: Mount[];
  /** App paths (src/components/…) and contents of every file the mounts need. */
  files: Map<string, string>;
  css: string;
  /** `import type` lines for src/data.ts. */
  typeImports: string[];
}

function uniqueAnchor(id: string, taken: Set<string>): string {
  let anchor = id;
  for (let n = 2; taken.has(anchor); n++) anchor = id + '-' + n;
  taken.add(anchor);
  return anchor;
}

/** `gallery-2` → `gallery2Block`: an identifier no other data.ts export uses. */
function dataName(anchor: string): string {
  return anchor.replace(/-(\w)/g, (_match, next: string) => next.toUpperCase()) + 'Block';
}

/** Mounts `blocks` in order. `taken` holds the anchors the kind and sections already use. */
export function mountBlocks(
  ctx: RenderContext,
  blocks: readonly Block[],
  taken: Iterable<string>,
): Mounted {
  const anchors = new Set(taken);
  const files = new Map<string, string>();
  const css = new Set<string>();
  const types = new Set<string>();
  const mounts = blocks.map((block): Mount => {
    const feature = FEATURES[block.feature];
    const anchor = uniqueAnchor(block.feature, anchors);
    // TypeScript cannot tie BUILDERS[feature] to the block's own data type; the schema did.
    const build = BUILDERS[block.feature] as (c: RenderContext, d: unknown, a: string) => object;
    for (const file of [feature.component + '.tsx', ...feature.helpers]) {
      files.set('src/components/' + file, template('components/' + file));
    }
    feature.css.forEach((file) => css.add(file));
    types.add(
      'import type { ' +
        feature.component +
        "Props } from './components/" +
        feature.component +
        "';",
    );
    return {
      feature: block.feature,
      component: feature.component,
      anchor,
      nav: { label: feature.label, href: '#' + anchor },
      data: {
        name: dataName(anchor),
        type: feature.component + 'Props',
        value: build(ctx, block.data, anchor),
      },
    };
  });
  return {
    mounts,
    files,
    css: [...css].map((file) => template('components/' + file)).join('\n'),
    typeImports: [...types].sort(),
  };
}
