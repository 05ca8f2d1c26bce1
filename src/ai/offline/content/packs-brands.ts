/** Copy for companies that sell ideas and software: tech products, agencies, creative studios. */
import type { Pack } from './pack-types.js';

export const tech: Pack = {
  emoji: '🚀',
  font: 'sans',
  primary: '#4f46e5',
  accent: '#0ea5e9',
  noun: 'Labs',
  eyebrow: 'Built for teams that move fast',
  tagline: 'The simplest way to get more done, together.',
  description:
    '{name} brings your work, your data and your team into one fast, focused place, so you spend less time on busywork and more time shipping.',
  highlights: ['Set up in minutes', 'SOC 2 ready', 'Free 14-day trial'],
  cta: 'Start free trial',
  features: [
    ['⚡', 'Fast by default', 'Every screen loads in under 100 ms, even with years of data.'],
    ['🔗', 'Works with your tools', 'Connect the apps you already use in a couple of clicks.'],
    ['🔒', 'Secure from day one', 'Encryption, single sign-on and audit logs on every plan.'],
    ['📊', 'Insights that matter', 'Clear reports that show what is working and what is not.'],
    ['🤝', 'Built for teams', 'Shared spaces, comments and permissions that just make sense.'],
    ['🌍', 'Available everywhere', 'Web, desktop and mobile, always in sync.'],
  ],
  services: [
    ['🧭', 'Onboarding', 'A guided setup with our team so you are productive on day one.'],
    ['🛠️', 'Integrations', 'Custom connections to your internal systems and data.'],
    ['📞', 'Priority support', 'Real humans, fast answers, every day of the week.'],
  ],
  about: {
    paragraphs: [
      '{name} started as an internal tool at a small team that was drowning in spreadsheets and status meetings.',
      'Today thousands of teams use it to plan, ship and measure their work. We are still small, still shipping every week and still listening to every piece of feedback.',
    ],
    highlights: [
      'Remote-first team in 9 countries',
      'Weekly product updates',
      'Customer-funded and independent',
    ],
  },
  stats: [
    ['12,000+', 'teams'],
    ['99.99%', 'uptime'],
    ['4.8/5', 'customer rating'],
  ],
  testimonials: [
    [
      'We replaced three tools and a weekly status meeting. The team got a day back every week.',
      'Sofia Alvarez',
      'VP Engineering, Northwind',
    ],
    [
      'Setup took ten minutes. Adoption took one afternoon. Nothing else has been that easy.',
      'James Wright',
      'COO, Brightline',
    ],
    [
      'The support team answered in four minutes on a Sunday. I was genuinely shocked.',
      'Leah Kim',
      'Founder, Parcel',
    ],
  ],
  faq: [
    [
      'Is there a free trial?',
      'Yes. Every plan comes with a 14-day free trial, no credit card required.',
    ],
    [
      'Can I cancel any time?',
      'Yes. Plans are month to month and you can export your data whenever you like.',
    ],
    [
      'Is my data secure?',
      'Data is encrypted in transit and at rest, and we never sell or share it.',
    ],
    [
      'Do you offer discounts?',
      'We offer discounts for non-profits, education and annual billing.',
    ],
  ],
  pricing: [
    [
      'Starter',
      0,
      'per month',
      'For individuals getting started.',
      ['Up to 3 projects', 'Core features', 'Community support'],
    ],
    [
      'Team',
      12,
      'per user / month',
      'For growing teams.',
      ['Unlimited projects', 'Integrations', 'Reports & insights', 'Priority support'],
    ],
    [
      'Business',
      29,
      'per user / month',
      'For larger organisations.',
      ['Everything in Team', 'Single sign-on', 'Audit logs', 'Dedicated success manager'],
    ],
  ],
  team: [
    ['Nina Hartmann', 'Co-founder & CEO', 'Ex-product lead who hates unnecessary meetings.'],
    ['Raj Malhotra', 'Co-founder & CTO', 'Has rewritten the sync engine three times, happily.'],
    ['Emily Zhang', 'Head of Design', 'Believes every feature should explain itself.'],
    ['Diego Torres', 'Customer Success', 'Answers most support tickets before breakfast.'],
  ],
  gallery: [
    ['📱', 'The mobile app'],
    ['🖥️', 'Workspace overview'],
    ['📈', 'Reports and insights'],
    ['🔔', 'Smart notifications'],
    ['🧩', 'Integrations gallery'],
    ['🌙', 'Dark mode'],
  ],
  hours: 'Support available 24/7',
};

export const agency: Pack = {
  emoji: '🧭',
  font: 'sans',
  primary: '#0f766e',
  accent: '#f97316',
  noun: 'Agency',
  eyebrow: 'Strategy · Design · Growth',
  tagline: 'We help ambitious brands find their voice and grow.',
  description:
    '{name} is a small senior team that partners with founders and marketing leads to plan, build and grow brands people remember.',
  highlights: ['Senior-only team', '120+ launches', 'Clear fixed pricing'],
  cta: 'Start a project',
  features: [
    [
      '🎯',
      'Strategy first',
      'Every project starts with research, so the work is built on evidence.',
    ],
    ['🧑‍💼', 'Senior people only', 'The people you meet are the people who do the work.'],
    ['📏', 'Measurable results', 'We agree on goals up front and report on them honestly.'],
  ],
  services: [
    ['🧠', 'Brand strategy', 'Positioning, messaging and naming that sets you apart.'],
    ['🎨', 'Identity & design', 'Logos, visual systems and guidelines your team can use.'],
    ['💻', 'Websites', 'Fast, accessible sites that turn visitors into customers.'],
    ['📣', 'Growth marketing', 'Campaigns, content and SEO that compound over time.'],
  ],
  about: {
    paragraphs: [
      '{name} was founded by a strategist and a designer who wanted to work directly with clients, without layers of account managers in between.',
      'We take on a handful of projects at a time, so every client gets our full attention and our best thinking.',
    ],
    highlights: ['Independent since day one', 'Clients in 14 countries', 'Fixed-price proposals'],
  },
  stats: [
    ['120+', 'brands launched'],
    ['3.4×', 'average traffic growth'],
    ['92%', 'clients who return'],
  ],
  testimonials: [
    [
      'They understood our business faster than we did and the new brand doubled our inbound leads.',
      'Amara Osei',
      'Founder, Kindred',
    ],
    [
      'Clear process, honest advice and beautiful work, on time and on budget.',
      'Tom Becker',
      'Marketing Director, Alpen',
    ],
    [
      'Working with a small senior team made all the difference. No hand-offs, no surprises.',
      'Yuki Tanaka',
      'CEO, Hikari',
    ],
  ],
  faq: [
    [
      'How long does a project take?',
      'Most brand and website projects take six to ten weeks from kick-off to launch.',
    ],
    ['How do you price your work?', 'We send a fixed-price proposal after a free discovery call.'],
    ['Do you work with start-ups?', 'Yes, about half our clients are early-stage companies.'],
    [
      'Can you work with our in-house team?',
      'Absolutely. We often collaborate closely with internal designers and marketers.',
    ],
  ],
  pricing: [
    [
      'Sprint',
      4500,
      'per project',
      'A focused two-week engagement.',
      ['Workshop & research', 'One key deliverable', 'Two revision rounds'],
    ],
    [
      'Brand',
      12000,
      'per project',
      'A complete identity.',
      ['Strategy & positioning', 'Logo & visual system', 'Brand guidelines', 'Launch support'],
    ],
    [
      'Partner',
      6000,
      'per month',
      'An ongoing creative team.',
      ['Dedicated senior team', 'Monthly roadmap', 'Design & marketing support'],
    ],
  ],
  team: [
    ['Isabel Moreno', 'Strategy Director', 'Turns messy problems into clear plans.'],
    ['Felix Grant', 'Design Director', 'Obsessed with typography and simple ideas.'],
    ['Zara Ahmed', 'Growth Lead', 'Finds the channels that actually move the numbers.'],
  ],
  gallery: [
    ['🎨', 'Identity for a coffee roaster'],
    ['📦', 'Packaging system'],
    ['💻', 'E-commerce redesign'],
    ['📣', 'Launch campaign'],
    ['🖋️', 'Editorial design'],
    ['📱', 'App onboarding flow'],
  ],
  hours: 'Mon–Fri, 9:00 am – 6:00 pm',
};

export const creative: Pack = {
  emoji: '🎨',
  font: 'serif',
  primary: '#7c3aed',
  accent: '#db2777',
  noun: 'Studio',
  eyebrow: 'Independent creative studio',
  tagline: 'Thoughtful work, made with care and a little curiosity.',
  description:
    '{name} creates work that tells stories: for brands, for people and for the simple joy of making something beautiful.',
  highlights: ['Commissions open', 'Worldwide clients', 'Personal attention'],
  cta: 'View the work',
  features: [
    [
      '💡',
      'Ideas first',
      'Every project begins with listening and sketching, long before the final piece.',
    ],
    [
      '🤝',
      'Close collaboration',
      'You see progress early and often, so the result feels like yours.',
    ],
    ['🖼️', 'Crafted to last', 'Timeless work over passing trends.'],
  ],
  services: [
    [
      '📷',
      'Commissions',
      'Personal and commercial commissions, from first idea to final delivery.',
    ],
    [
      '🖌️',
      'Creative direction',
      'Concepts, mood boards and art direction for shoots and campaigns.',
    ],
    ['🖼️', 'Prints & editions', 'Limited-edition prints, signed and numbered.', 80],
    ['🎓', 'Workshops', 'Small-group workshops for people who want to learn the craft.', 120],
  ],
  about: {
    paragraphs: [
      '{name} is an independent studio built on curiosity and craft.',
      'We work with a small number of clients each year, which leaves room for experiments, personal projects and getting every detail right.',
    ],
    highlights: [
      'Featured in design publications',
      'Clients on four continents',
      'Sustainable materials',
    ],
  },
  stats: [
    ['200+', 'projects'],
    ['12', 'years making'],
    ['30', 'exhibitions'],
  ],
  testimonials: [
    [
      'They captured exactly the feeling we were after, and then some.',
      'Clara Jensen',
      'Creative Director',
    ],
    ['A joy to work with: thoughtful, fast and full of ideas.', 'Marco Bellini', 'Founder, Verde'],
    [
      'The print hangs in our living room and every guest asks about it.',
      'Ruth & Sam',
      'Collectors',
    ],
  ],
  faq: [
    [
      'Are you taking commissions?',
      'Yes, commissions are open for the next season. Get in touch with your idea.',
    ],
    [
      'How long does a commission take?',
      'Usually three to six weeks, depending on size and complexity.',
    ],
    [
      'Do you ship prints internationally?',
      'Yes, prints are carefully packed and shipped worldwide.',
    ],
    ['Can I see work in person?', 'The studio is open by appointment most Fridays.'],
  ],
  pricing: [
    [
      'Print',
      80,
      'each',
      'Signed limited-edition prints.',
      ['Archival paper', 'Signed and numbered', 'Ready to frame'],
    ],
    [
      'Commission',
      900,
      'from',
      'A piece made just for you.',
      ['Concept sketches', 'Two revision rounds', 'Final artwork and files'],
    ],
    [
      'Studio day',
      1400,
      'per day',
      'A full day of creative work.',
      ['Planning call', 'Full day on set or in studio', 'Edited selection'],
    ],
  ],
  team: [
    ['Iris Novak', 'Founder', 'Painter and photographer with a love of quiet light.'],
    ['Leo Martins', 'Studio manager', 'Keeps projects moving and prints perfect.'],
    ['Ada Wright', 'Designer', 'Brings type, layout and colour together.'],
  ],
  gallery: [
    ['🌅', 'Morning light series'],
    ['🏙️', 'City in motion'],
    ['🌿', 'Botanical studies'],
    ['🎭', 'Portraits'],
    ['🌊', 'Coastal editions'],
    ['🖼️', 'Studio exhibition'],
  ],
  hours: 'Studio visits by appointment',
};
