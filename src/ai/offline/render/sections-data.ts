/** Data (and its TypeScript types) for the shared sections, with per-kind wording. */
import type { CardCopy, PersonCopy, QuoteCopy } from '../content/pack-types.js';
import { PACKS } from '../content/packs.js';
import { eventType } from '../content/event-data.js';
import { authorOf, portfolioField } from '../content/portfolio-data.js';
import { initials, pick, slugify } from '../text.js';
import type { SectionId } from '../types.js';
import { itemId, type DataExport, type RenderContext } from './context.js';
import {
  APP_FAQ,
  APP_FEATURES,
  FALLBACK_TICKETS,
  HEADINGS,
  KIND_HEADINGS,
  PORTFOLIO_SERVICES,
  type Heading,
} from './sections-copy.js';

function heading(ctx: RenderContext, id: SectionId): Heading {
  const base = { ...HEADINGS[id], ...KIND_HEADINGS[ctx.spec.kind]?.[id] };
  if (ctx.spec.kind === 'event' && id === 'team') {
    const label = eventType(ctx.spec.topic).label;
    const title =
      label === 'Wedding'
        ? 'The wedding party'
        : label === 'Festival'
          ? 'Line-up'
          : label === 'Celebration'
            ? 'Your hosts'
            : 'Speakers';
    Object.assign(base, {
      label: title === 'The wedding party' ? 'Wedding party' : title,
      eyebrow: 'Who’s who',
      title,
      intro: '',
    });
  }
  return {
    label: base.label,
    eyebrow: ctx.fill(base.eyebrow),
    title: ctx.fill(base.title),
    intro: ctx.fill(base.intro),
  };
}

export function sectionLabel(ctx: RenderContext, id: SectionId): string {
  return heading(ctx, id).label;
}
function cardItems(ctx: RenderContext, copies: readonly CardCopy[]) {
  return copies.map(([icon, title, text, price], index) => ({
    id: itemId('card', index, title),
    icon,
    title: ctx.fill(title),
    text: ctx.fill(text),
    price: price === undefined ? '' : 'From ' + ctx.money(price),
  }));
}

function people(ctx: RenderContext, copies: readonly PersonCopy[]) {
  return copies.map(([name, role, bio], index) => ({
    id: itemId('person', index, name),
    name,
    role,
    bio: ctx.fill(bio),
    initials: initials(name) || '★',
    hue: (ctx.hue + index * 55) % 360,
  }));
}

/** The address the page shows and its forms write to (a placeholder the owner replaces). */
function contactEmail({ spec }: RenderContext): string {
  return 'hello@' + slugify(spec.name, 'hello').replace(/-/g, '').slice(0, 24) + '.com';
}

function contactDetails(ctx: RenderContext) {
  const { spec, pack } = ctx;
  const street = pick(
    ['Market Street', 'Harbor Road', 'Maple Avenue', 'Mill Lane', 'Orchard Row', 'Bridge Street'],
    spec.seed,
    3,
  );
  const number = 10 + (spec.seed % 180);
  const address =
    spec.place.venue || number + ' ' + street + (spec.place.city ? ', ' + spec.place.city : '');
  const tail = String(1000 + (spec.seed % 8999));
  const phone =
    spec.currency === 'GBP'
      ? '+44 20 7946 0' + tail.slice(1)
      : spec.currency === 'EUR'
        ? '+353 20 91' + tail.slice(0, 2) + ' ' + tail.slice(2) + '0'
        : '+1 (555) 01' + tail.slice(0, 1) + '-' + tail;
  const details: [string, string, string][] = [['✉️', 'Email', contactEmail(ctx)]];
  if (spec.kind === 'portfolio' || spec.kind === 'blog') {
    details.push(['📍', 'Based in', spec.place.city || 'Working remotely, worldwide']);
    details.push([
      '🗓️',
      'Availability',
      spec.kind === 'blog' ? 'I read every message' : 'Booking projects for next month',
    ]);
  } else {
    details.push(['📞', 'Phone', phone], ['📍', 'Address', address], ['🕒', 'Hours', pack.hours]);
  }
  return details.map(([icon, label, value], index) => ({
    id: itemId('detail', index, label),
    icon,
    label,
    value,
  }));
}

function sectionValue(ctx: RenderContext, id: SectionId): unknown {
  const { spec, pack } = ctx;
  const head = heading(ctx, id);
  const { eyebrow, title, intro } = head;
  const kind = spec.kind;
  const isApp = kind === 'todo' || kind === 'dashboard';
  const listed = kind === 'landing' || kind === 'general' ? spec.items : [];
  switch (id) {
    case 'features': {
      const copies = isApp
        ? APP_FEATURES
        : listed.length >= 2
          ? listed.map((item, i): CardCopy => [
              pack.features[i % pack.features.length]![0],
              item,
              'Thoughtfully done, with the same care as everything else at {name}.',
            ])
          : pack.features;
      return { eyebrow, title, intro, items: cardItems(ctx, copies) };
    }
    case 'services': {
      const copies =
        kind === 'portfolio'
          ? PORTFOLIO_SERVICES
          : listed.length >= 2 && !spec.sections.includes('features')
            ? listed.map((item, i): CardCopy => [
                pack.services[i % pack.services.length]![0],
                item,
                'Ask us about ' + item.toLowerCase() + ': we will tailor it to what you need.',
              ])
            : pack.services;
      return { eyebrow, title, intro, items: cardItems(ctx, copies) };
    }
    case 'about': {
      let paragraphs = pack.about.paragraphs.map(ctx.fill);
      let highlights = [...pack.about.highlights];
      let stats = pack.stats;
      if (kind === 'portfolio') {
        const field = portfolioField(spec.topic);
        paragraphs = [
          'I’m ' +
            spec.name +
            ', a ' +
            field.role.toLowerCase() +
            (spec.place.city ? ' based in ' + spec.place.city : '') +
            '. ' +
            field.description,
          'I work closely with a small number of clients at a time, which leaves room to listen carefully, explore ideas and get the details right.',
        ];
        highlights = field.skills.slice(0, 4);
        stats = [
          ['10+', 'years of experience'],
          ['80+', 'projects delivered'],
          ['40', 'happy clients'],
        ];
      } else if (kind === 'blog') {
        const author = authorOf(spec.seed);
        paragraphs = [
          'Hi, I’m ' +
            author +
            '. I started ' +
            spec.name +
            ' to share what I am learning about ' +
            ctx.vars.subject +
            ', one honest post at a time.',
          'Expect practical notes, the occasional long read and plenty of lessons learned the hard way.',
        ];
        highlights = ['New posts every few weeks', 'No ads, no tracking', 'Replies to every email'];
        stats = [
          ['120+', 'posts'],
          ['8k', 'monthly readers'],
          ['6', 'years writing'],
        ];
      } else if (kind === 'event') {
        paragraphs = [
          spec.description,
          'Whether you come for the programme or the people, we want everyone to leave inspired, well fed and a little more connected.',
        ];
        highlights = ['Friendly and welcoming', 'Accessible venue', 'Food and drinks included'];
        stats = [
          ['300', 'guests'],
          ['1', 'unforgettable day'],
          ['12', 'sessions'],
        ];
      } else if (isApp) {
        paragraphs = [
          spec.name + ' is a small, focused tool that does one job well.',
          'It keeps things simple, works offline in your browser and stays out of your way.',
        ];
        highlights = ['No sign-up needed', 'Private by design', 'Free to use'];
        stats = [
          ['0', 'accounts needed'],
          ['100%', 'in your browser'],
          ['1s', 'to get started'],
        ];
      }
      return {
        eyebrow,
        title,
        paragraphs,
        highlights,
        stats: stats.map(([value, label], index) => ({
          id: itemId('stat', index, label),
          value,
          label,
        })),
      };
    }
    case 'gallery':
      return {
        eyebrow,
        title,
        intro,
        items: galleryTiles(pack.gallery, spec.facts?.categories ?? []).map(
          ([icon, caption], index) => ({
            id: itemId('tile', index, caption),
            icon,
            caption,
            hue: (ctx.hue + index * 37) % 360,
          }),
        ),
      };
    case 'team': {
      const type = kind === 'event' ? eventType(spec.topic) : null;
      let copies = type ? type.speakers : pack.team;
      if (type?.label === 'Wedding')
        copies = copies.map((person, index) =>
          index === 0
            ? [spec.name, person[1], 'The two of us, and the reason for the party.']
            : person,
        );
      return { eyebrow, title, intro, members: people(ctx, copies) };
    }
    case 'pricing': {
      const type = kind === 'event' ? eventType(spec.topic) : null;
      const copies = type
        ? type.tickets.length > 0
          ? type.tickets
          : FALLBACK_TICKETS
        : pack.pricing;
      const action = type
        ? { label: 'Reserve a spot', href: '#rsvp' }
        : { label: pack.cta, href: ctx.firstAnchor(['contact', 'newsletter']) };
      return {
        eyebrow,
        title,
        intro,
        featuredLabel: 'Most popular',
        action,
        plans: copies.map(([name, price, period, description, features], index) => ({
          id: itemId('plan', index, name),
          name,
          price: price === 0 ? 'Free' : ctx.money(price),
          period,
          description: ctx.fill(description),
          features: features.map(ctx.fill),
          featured: index === 1,
        })),
      };
    }
    case 'testimonials': {
      const copies: readonly QuoteCopy[] =
        kind === 'portfolio' ? PACKS.creative.testimonials : pack.testimonials;
      return {
        eyebrow,
        title,
        intro,
        items: copies.map(([quote, name, role], index) => ({
          id: itemId('quote', index, name),
          quote: ctx.fill(quote),
          name,
          role,
          rating: 5,
        })),
      };
    }
    case 'faq': {
      const copies = kind === 'event' ? eventType(spec.topic).faq : isApp ? APP_FAQ : pack.faq;
      return {
        eyebrow,
        title,
        intro,
        items: copies.map(([question, answer], index) => ({
          id: itemId('faq', index),
          question: ctx.fill(question),
          answer: ctx.fill(answer),
        })),
      };
    }
    case 'newsletter':
      return {
        title,
        intro,
        button: 'Subscribe by email',
        success:
          'Your email app should now show a sign-up request to {to}: send it from there to join. This page keeps no list of its own.',
        to: contactEmail(ctx),
      };
    case 'contact': {
      const mine = kind === 'portfolio' || kind === 'blog';
      return {
        eyebrow,
        title,
        intro,
        button: kind === 'menu' ? 'Write the request' : 'Write the email',
        success: mine
          ? 'Your email app should now show your message to {to}: send it from there and I will reply within two working days.'
          : 'Your email app should now show your message to {to}: send it from there and we will get back to you within one working day.',
        to: contactEmail(ctx),
        details: contactDetails(ctx),
      };
    }
  }
}

const TYPE_NAMES: Readonly<Record<SectionId, string>> = {
  features: 'CardSection',
  services: 'CardSection',
  about: 'AboutSection',
  gallery: 'GallerySection',
  team: 'TeamSection',
  pricing: 'PricingSection',
  testimonials: 'TestimonialsSection',
  faq: 'FaqSection',
  newsletter: 'NewsletterSection',
  contact: 'ContactSection',
};

/** The pack's tiles, captioned with the prompt's categories when it named some ("Wildlife"). */
function galleryTiles(
  tiles: readonly (readonly [string, string])[],
  categories: readonly string[],
): (readonly [string, string])[] {
  if (categories.length === 0) return [...tiles];
  return tiles.map(([icon], index) => {
    const category = categories[index % categories.length] ?? '';
    return [icon, category + ' · ' + (Math.floor(index / categories.length) + 1)] as const;
  });
}

/** The src/data.ts export for one section (named after the section id). */
export function sectionData(ctx: RenderContext, id: SectionId): DataExport {
  return { name: id, type: TYPE_NAMES[id], value: sectionValue(ctx, id) };
}
