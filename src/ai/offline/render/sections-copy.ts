/** Section wording (headings per kind, app-specific copy) and the TypeScript types of section data. */
import type { CardCopy, FaqCopy, PlanCopy } from '../content/pack-types.js';
import type { AppKind, SectionId } from '../types.js';

export interface Heading {
  label: string;
  eyebrow: string;
  title: string;
  intro: string;
}

export const HEADINGS: Readonly<Record<SectionId, Heading>> = {
  features: {
    label: 'Features',
    eyebrow: 'Why {name}',
    title: 'Made to make life easier',
    intro: 'A few of the reasons people choose us, and keep coming back.',
  },
  services: {
    label: 'Services',
    eyebrow: 'What we offer',
    title: 'Services',
    intro: 'Everything we do, done with the same care.',
  },
  about: { label: 'About', eyebrow: 'Our story', title: 'About {name}', intro: '' },
  gallery: {
    label: 'Gallery',
    eyebrow: 'Take a look',
    title: 'Gallery',
    intro: 'A few favourite moments. Select a picture to see it larger.',
  },
  team: {
    label: 'Team',
    eyebrow: 'The people',
    title: 'Meet the team',
    intro: 'Friendly faces who make it all happen.',
  },
  pricing: {
    label: 'Pricing',
    eyebrow: 'Simple pricing',
    title: 'Plans & prices',
    intro: 'Clear prices with no surprises.',
  },
  testimonials: { label: 'Reviews', eyebrow: 'Kind words', title: 'What people say', intro: '' },
  faq: { label: 'FAQ', eyebrow: 'Good to know', title: 'Frequently asked questions', intro: '' },
  newsletter: {
    label: 'Newsletter',
    eyebrow: '',
    title: 'Stay in the loop',
    intro: 'One short email a month with news, ideas and the occasional offer. No spam, ever.',
  },
  contact: {
    label: 'Contact',
    eyebrow: 'Say hello',
    title: 'Get in touch',
    intro: 'Questions, bookings or just a hello: we usually reply within one working day.',
  },
};

export type Override = Partial<Heading>;

export const KIND_HEADINGS: Partial<Record<AppKind, Partial<Record<SectionId, Override>>>> = {
  menu: {
    about: { title: 'Our kitchen' },
    testimonials: { title: 'What our guests say' },
    contact: {
      label: 'Visit',
      eyebrow: 'Find us',
      title: 'Visit us',
      intro:
        'Walk-ins are always welcome. For groups of six or more, send us a message and we will hold a table.',
    },
  },
  catalog: { features: { eyebrow: 'Why shop with us', title: 'Shopping made simple' } },
  portfolio: {
    about: { eyebrow: 'Hello', title: 'About me' },
    services: {
      eyebrow: 'How I can help',
      title: 'What I do',
      intro: 'Ways we can work together.',
    },
    testimonials: { title: 'Kind words from clients' },
    contact: {
      eyebrow: 'Available for projects',
      title: 'Let’s work together',
      intro: 'Have a project in mind? Tell me a little about it and I will reply within two days.',
    },
  },
  blog: {
    about: { eyebrow: 'The author', title: 'About the author' },
    newsletter: {
      title: 'Get new posts by email',
      intro: 'A short note whenever a new post goes up. No spam, unsubscribe any time.',
    },
  },
  event: {
    about: { eyebrow: 'The event', title: 'About the event' },
    pricing: {
      label: 'Tickets',
      eyebrow: 'Join us',
      title: 'Tickets',
      intro: 'Choose the ticket that suits you.',
    },
    contact: {
      eyebrow: 'Questions?',
      title: 'Contact the organisers',
      intro: 'We are happy to help with anything you need before the day.',
    },
  },
  general: {
    features: {
      eyebrow: 'Explore',
      title: 'What you will find here',
      intro: 'A quick tour of what {name} has to offer.',
    },
  },
  todo: { features: { eyebrow: 'Why you will like it', title: 'Simple on purpose' } },
  dashboard: { features: { eyebrow: 'Built for clarity', title: 'Everything at a glance' } },
};

export const APP_FEATURES: readonly CardCopy[] = [
  ['⚡', 'Fast and focused', 'Opens instantly and shows only what matters.'],
  [
    '💾',
    'Saved automatically',
    'Your data stays in this browser, so it is there when you come back.',
  ],
  ['📱', 'Works everywhere', 'Comfortable on a phone, a tablet or a big screen.'],
];
export const APP_FAQ: readonly FaqCopy[] = [
  ['Where is my data stored?', 'Right here in your browser. Nothing is sent to a server.'],
  ['Does it work on my phone?', 'Yes. The layout adapts to any screen size.'],
  ['Does it cost anything?', 'No. It is free to use.'],
];
export const PORTFOLIO_SERVICES: readonly CardCopy[] = [
  ['💡', 'Concept & direction', 'From a rough idea to a clear plan and a shared vision.'],
  ['🛠️', 'Project work', 'End-to-end projects, delivered on time with regular check-ins.'],
  ['🤝', 'Collaborations', 'Joining teams and studios for a season or a single project.'],
  ['🎤', 'Workshops & talks', 'Sharing the craft with teams, schools and conferences.'],
];
export const FALLBACK_TICKETS: readonly PlanCopy[] = [
  [
    'General admission',
    25,
    'per person',
    'Entry for one guest.',
    ['Full programme', 'Welcome drink'],
  ],
  [
    'Supporter',
    60,
    'per person',
    'Help us make it happen.',
    ['Full programme', 'Reserved seating', 'Thank-you gift'],
  ],
];

const HEAD_TYPE = 'eyebrow: string;\n  title: string;\n  intro: string;';

/** Type declarations for the sections' data, keyed so shared ones are written once. */
const TYPES: Readonly<Record<SectionId, string>> = {
  features:
    'export interface Card {\n  id: string;\n  icon: string;\n  title: string;\n  text: string;\n  price: string;\n}\n\nexport interface CardSection {\n  ' +
    HEAD_TYPE +
    '\n  items: Card[];\n}',
  services: '',
  about:
    'export interface AboutSection {\n  eyebrow: string;\n  title: string;\n  paragraphs: string[];\n  highlights: string[];\n  stats: { id: string; value: string; label: string }[];\n}',
  gallery:
    'export interface GallerySection {\n  ' +
    HEAD_TYPE +
    '\n  items: { id: string; icon: string; caption: string; hue: number }[];\n}',
  team:
    'export interface TeamSection {\n  ' +
    HEAD_TYPE +
    '\n  members: { id: string; name: string; role: string; bio: string; initials: string; hue: number }[];\n}',
  pricing:
    'export interface Plan {\n  id: string;\n  name: string;\n  price: string;\n  period: string;\n  description: string;\n  features: string[];\n  featured: boolean;\n}\n\nexport interface PricingSection {\n  ' +
    HEAD_TYPE +
    '\n  featuredLabel: string;\n  action: Link;\n  plans: Plan[];\n}',
  testimonials:
    'export interface TestimonialsSection {\n  ' +
    HEAD_TYPE +
    '\n  items: { id: string; quote: string; name: string; role: string; rating: number }[];\n}',
  faq:
    'export interface FaqSection {\n  ' +
    HEAD_TYPE +
    '\n  items: { id: string; question: string; answer: string }[];\n}',
  newsletter:
    'export interface NewsletterSection {\n  title: string;\n  intro: string;\n  button: string;\n  success: string;\n}',
  contact:
    'export interface ContactSection {\n  ' +
    HEAD_TYPE +
    '\n  button: string;\n  success: string;\n  details: { id: string; icon: string; label: string; value: string }[];\n}',
};

export function sectionTypes(sections: readonly SectionId[]): string {
  const wanted = new Set(sections);
  if (wanted.has('services')) wanted.add('features');
  return [...wanted]
    .map((id) => TYPES[id])
    .filter(Boolean)
    .join('\n\n');
}
