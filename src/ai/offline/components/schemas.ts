/**
 * What a kind may ask the component library for: a feature id and data for it. Every data field
 * is optional; the registry fills what is missing from the spec (see ./index.ts). Requests are
 * stored in the app's spec (`blocks`), so they are validated like the rest of it.
 */
import { z } from 'zod';

export const FEATURE_IDS = [
  'countdown',
  'priorities',
  'rsvp',
  'gallery',
  'pricing',
  'faq',
  'testimonials',
  'hours',
  'map',
  'newsletter',
  'contact',
  'chart',
] as const;
export type FeatureId = (typeof FEATURE_IDS)[number];

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const email = z
  .string()
  .max(120)
  .regex(/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/);
/** A day (`2027-03-14`), a moment (`2027-03-14T18:30`), or a day every year (`--03-14`). */
const date = z
  .string()
  .regex(
    /^(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d)?|--(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$/,
  );

const heading = { title: text(80).optional(), intro: text(240).optional() };

export const FEATURE_DATA = {
  countdown: z.object({
    title: text(80).optional(),
    date: date.optional(),
    dateLabel: text(60).optional(),
    doneText: text(120).optional(),
  }),
  priorities: z.object({
    title: text(80).optional(),
    priorities: z.array(text(24)).min(2).max(5).optional(),
    items: z
      .array(z.object({ text: text(140), priority: text(24).optional() }))
      .max(20)
      .optional(),
  }),
  rsvp: z.object({ ...heading, maxGuests: z.number().int().min(1).max(20).optional() }),
  gallery: z.object({
    ...heading,
    items: z
      .array(z.object({ caption: text(80), icon: text(8).optional() }))
      .min(1)
      .max(12)
      .optional(),
  }),
  pricing: z.object({
    ...heading,
    plans: z
      .array(
        z.object({
          name: text(40),
          price: z.number().min(0).max(1_000_000),
          period: text(30).optional(),
          features: z.array(text(80)).max(8).optional(),
          featured: z.boolean().optional(),
        }),
      )
      .min(1)
      .max(4)
      .optional(),
  }),
  faq: z.object({
    title: text(80).optional(),
    items: z
      .array(z.object({ question: text(160), answer: text(600) }))
      .min(1)
      .max(12)
      .optional(),
  }),
  testimonials: z.object({
    title: text(80).optional(),
    items: z
      .array(z.object({ quote: text(400), name: text(60), role: text(60).optional() }))
      .min(1)
      .max(6)
      .optional(),
  }),
  hours: z.object({
    title: text(80).optional(),
    note: text(200).optional(),
    /** Days not listed are shown as closed. */
    days: z
      .array(z.object({ day: z.enum(WEEKDAYS), opens: time, closes: time }))
      .max(7)
      .optional(),
  }),
  map: z.object({ title: text(80).optional(), address: text(200).optional() }),
  newsletter: z.object({ ...heading, email: email.optional() }),
  contact: z.object({ ...heading, email: email.optional() }),
  chart: z.object({
    ...heading,
    labels: z.array(text(20)).min(1).max(24).optional(),
    series: z
      .array(z.object({ name: text(40), values: z.array(z.number().finite()).max(24) }))
      .min(1)
      .max(6)
      .optional(),
    unit: z.enum(['currency', 'number', 'percent']).optional(),
    style: z.enum(['line', 'bar']).optional(),
  }),
} as const satisfies Record<FeatureId, z.ZodType>;

export type FeatureData = { [K in FeatureId]: z.infer<(typeof FEATURE_DATA)[K]> };

/** One requested component: `{ feature: 'countdown', data: { date: '--03-14' } }`. */
export const BlockSchema = z.discriminatedUnion('feature', [
  z.object({ feature: z.literal('countdown'), data: FEATURE_DATA.countdown.default({}) }),
  z.object({ feature: z.literal('priorities'), data: FEATURE_DATA.priorities.default({}) }),
  z.object({ feature: z.literal('rsvp'), data: FEATURE_DATA.rsvp.default({}) }),
  z.object({ feature: z.literal('gallery'), data: FEATURE_DATA.gallery.default({}) }),
  z.object({ feature: z.literal('pricing'), data: FEATURE_DATA.pricing.default({}) }),
  z.object({ feature: z.literal('faq'), data: FEATURE_DATA.faq.default({}) }),
  z.object({ feature: z.literal('testimonials'), data: FEATURE_DATA.testimonials.default({}) }),
  z.object({ feature: z.literal('hours'), data: FEATURE_DATA.hours.default({}) }),
  z.object({ feature: z.literal('map'), data: FEATURE_DATA.map.default({}) }),
  z.object({ feature: z.literal('newsletter'), data: FEATURE_DATA.newsletter.default({}) }),
  z.object({ feature: z.literal('contact'), data: FEATURE_DATA.contact.default({}) }),
  z.object({ feature: z.literal('chart'), data: FEATURE_DATA.chart.default({}) }),
]);
export type Block = z.infer<typeof BlockSchema>;
/** A request as a caller writes it (`data` may be left out). */
export type BlockRequest = z.input<typeof BlockSchema>;
