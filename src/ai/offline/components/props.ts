/**
 * Props for each library component: the request's data where given, the rest filled from the
 * spec (its name, place, items, currency and the pack's section copy). Pure and deterministic.
 */
import { itemId, type RenderContext } from '../render/context.js';
import { sectionData } from '../render/sections-data.js';
import { capitalize, random } from '../text.js';
import { dateFromText, dateLabel } from './dates.js';
import { WEEKDAYS, type FeatureData, type FeatureId } from './schemas.js';

type Props = Record<string, unknown>;
type Builder<K extends FeatureId> = (
  ctx: RenderContext,
  data: FeatureData[K],
  anchor: string,
) => Props;

/** The shared section's data for the spec, as a fallback for the same kind of content. */
function section<T>(ctx: RenderContext, id: 'gallery' | 'pricing' | 'faq' | 'testimonials'): T {
  return sectionData(ctx, id).value as T;
}

function storageKey(ctx: RenderContext, anchor: string): string {
  return anchor + '-' + ctx.spec.seed.toString(36);
}

const countdown: Builder<'countdown'> = (ctx, data, anchor) => {
  const date = data.date ?? dateFromText(ctx.spec.place.date) ?? '--01-01';
  return {
    anchor,
    title: data.title ?? 'Countdown',
    date,
    dateLabel: data.dateLabel ?? dateLabel(date),
    doneText: data.doneText ?? 'The day is here!',
  };
};

const priorities: Builder<'priorities'> = (ctx, data, anchor) => {
  const labels = data.priorities ?? ['High', 'Medium', 'Low'];
  const levels = labels.map((label, index) => ({ id: itemId('p', index, label), label }));
  const level = (name: string | undefined, index: number) =>
    (
      levels.find((item) => item.label.toLowerCase() === name?.toLowerCase()) ??
      levels[index % levels.length]
    )?.id ?? '';
  const items: { text: string; priority?: string }[] =
    data.items ?? ctx.spec.items.slice(0, 8).map((text) => ({ text }));
  return {
    anchor,
    title:
      data.title ??
      (ctx.spec.subject ? capitalize(ctx.spec.subject) + ' by priority' : 'By priority'),
    storageKey: storageKey(ctx, anchor),
    priorities: levels,
    starter: items.map((item, index) => ({
      id: itemId('item', index, item.text),
      text: item.text,
      priority: level(item.priority, index),
    })),
  };
};

const rsvp: Builder<'rsvp'> = (ctx, data, anchor) => ({
  anchor,
  title: data.title ?? 'RSVP',
  intro: data.intro ?? 'Let us know if you can make it.',
  storageKey: storageKey(ctx, anchor),
  maxGuests: data.maxGuests ?? 6,
});

interface GalleryCopy {
  title: string;
  intro: string;
  items: { icon: string; caption: string }[];
}

const gallery: Builder<'gallery'> = (ctx, data, anchor) => {
  const copy = section<GalleryCopy>(ctx, 'gallery');
  const icons = copy.items.map((item) => item.icon);
  const items = data.items ?? copy.items;
  return {
    anchor,
    title: data.title ?? copy.title,
    intro: data.intro ?? copy.intro,
    items: items.map((item, index) => ({
      id: itemId('photo', index, item.caption),
      caption: item.caption,
      icon: item.icon ?? icons[index % icons.length] ?? '🖼️',
      hue: (ctx.hue + index * 35) % 360,
    })),
  };
};

interface PricingCopy {
  title: string;
  intro: string;
  featuredLabel: string;
  action: { label: string; href: string };
  plans: {
    id: string;
    name: string;
    price: string;
    period: string;
    features: string[];
    featured: boolean;
  }[];
}

const pricing: Builder<'pricing'> = (ctx, data, anchor) => {
  const copy = section<PricingCopy>(ctx, 'pricing');
  const plans =
    data.plans?.map((plan, index, all) => ({
      id: itemId(anchor, index, plan.name),
      name: plan.name,
      price: ctx.money(plan.price),
      period: plan.period ?? 'per month',
      features: plan.features ?? [],
      featured: plan.featured ?? (all.length === 3 && index === 1),
    })) ??
    copy.plans.map(({ id, name, price, period, features, featured }) => ({
      id: anchor + '-' + id,
      name,
      price,
      period,
      features,
      featured,
    }));
  return {
    anchor,
    title: data.title ?? copy.title,
    intro: data.intro ?? copy.intro,
    plans,
    featuredLabel: copy.featuredLabel,
    action: copy.action,
  };
};

interface ListCopy<T> {
  title: string;
  items: T[];
}

const faq: Builder<'faq'> = (ctx, data, anchor) => {
  const copy = section<ListCopy<{ question: string; answer: string }>>(ctx, 'faq');
  return {
    anchor,
    title: data.title ?? copy.title,
    items: (data.items ?? copy.items).map((item, index) => ({
      id: itemId(anchor, index),
      question: item.question,
      answer: item.answer,
    })),
  };
};

const testimonials: Builder<'testimonials'> = (ctx, data, anchor) => {
  const copy = section<ListCopy<{ quote: string; name: string; role: string }>>(
    ctx,
    'testimonials',
  );
  return {
    anchor,
    title: data.title ?? copy.title,
    items: (data.items ?? copy.items).map((item, index) => ({
      id: itemId(anchor, index),
      quote: item.quote,
      name: item.name,
      role: item.role ?? '',
    })),
  };
};

const DEFAULT_HOURS: NonNullable<FeatureData['hours']['days']> = [
  ...WEEKDAYS.slice(0, 5).map((day) => ({ day, opens: '09:00', closes: '17:00' })),
  { day: 'saturday', opens: '10:00', closes: '14:00' },
];

const hours: Builder<'hours'> = (_ctx, data, anchor) => {
  const given = data.days ?? DEFAULT_HOURS;
  return {
    anchor,
    title: data.title ?? 'Opening hours',
    note: data.note ?? 'Times are local. Hours may differ on public holidays.',
    days: WEEKDAYS.map((day, index) => {
      const row = given.find((item) => item.day === day);
      return {
        day: (index + 1) % 7,
        label: capitalize(day),
        opens: row?.opens ?? '',
        closes: row?.closes ?? '',
      };
    }),
  };
};

const map: Builder<'map'> = (ctx, data, anchor) => {
  const { venue, city } = ctx.spec.place;
  return {
    anchor,
    title: data.title ?? 'Find us',
    address: data.address ?? ([venue, city].filter(Boolean).join(', ') || ctx.spec.name),
  };
};

const newsletter: Builder<'newsletter'> = (ctx, data, anchor) => ({
  anchor,
  title: data.title ?? 'Stay in the loop',
  intro: data.intro ?? 'News from ' + ctx.spec.name + ', now and then.',
  to: data.email ?? '',
  listName: 'the ' + ctx.spec.name + ' mailing list',
});

const contact: Builder<'contact'> = (ctx, data, anchor) => ({
  anchor,
  title: data.title ?? 'Get in touch',
  intro: data.intro ?? '',
  to: data.email ?? '',
  subject: 'Message for ' + ctx.spec.name,
});

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const chart: Builder<'chart'> = (ctx, data, anchor) => {
  const labels = data.labels ?? MONTHS;
  const next = random(ctx.spec.seed);
  const series = data.series ?? [
    {
      name: ctx.spec.subject ? capitalize(ctx.spec.subject) : 'Total',
      values: labels.map((_, index) => Math.round(400 + index * 35 + next() * 160)),
    },
  ];
  return {
    anchor,
    title: data.title ?? 'The numbers',
    intro: data.intro ?? '',
    labels,
    // One value per label: missing values show as 0, extra ones are dropped.
    series: series.map((item) => ({
      name: item.name,
      values: labels.map((_, index) => item.values[index] ?? 0),
    })),
    unit: data.unit ?? 'number',
    currency: ctx.spec.currency,
    style: data.style ?? 'line',
  };
};

export const BUILDERS: { [K in FeatureId]: Builder<K> } = {
  countdown,
  priorities,
  rsvp,
  gallery,
  pricing,
  faq,
  testimonials,
  hours,
  map,
  newsletter,
  contact,
  chart,
};
