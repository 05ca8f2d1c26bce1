/** Section wording (headings per kind, app-specific copy) and the TypeScript types of section data. */
import type { CardCopy, FaqCopy, PlanCopy } from '../content/pack-types.js';
import { typeDeclarations } from '../templates.js';
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

/** Type declarations for the sections' data (templates/types/section-*.ts), each written once. */
export function sectionTypes(sections: readonly SectionId[]): string {
  const wanted = new Set(sections);
  if (wanted.has('services')) wanted.add('features');
  return [...wanted]
    .filter((id) => id !== 'services')
    .map((id) => typeDeclarations('section-' + id))
    .join('\n\n');
}
