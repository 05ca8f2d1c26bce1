/** Copy for care and advice: clinics, trades and home services, law and accounting practices. */
import type { Pack } from './pack-types.js';

export const health: Pack = {
  emoji: '🩺',
  font: 'sans',
  primary: '#0e7490',
  accent: '#155e75',
  noun: 'Clinic',
  eyebrow: 'Care you can trust',
  tagline: 'Friendly, unhurried care for the whole family.',
  description:
    '{name} offers same-week appointments, clear explanations and a team that takes the time to get to know you.',
  highlights: ['Same-week appointments', 'Experienced team', 'Most insurance accepted'],
  cta: 'Book a visit',
  features: [
    ['📅', 'Easy scheduling', 'Request a time online and we will confirm it the same day.'],
    ['🤝', 'Time to talk', 'Longer appointments so every question gets a proper answer.'],
    ['🧾', 'Clear pricing', 'We explain costs before treatment, never after.'],
  ],
  services: [
    ['🩺', 'General check-ups', 'Routine exams and preventive care for all ages.'],
    ['🧪', 'Tests & screening', 'On-site tests with results explained in plain language.'],
    ['💬', 'Consultations', 'Talk through a concern with a specialist who listens.'],
    ['🏠', 'Follow-up care', 'Plans and check-ins to keep your recovery on track.'],
  ],
  about: {
    paragraphs: [
      '{name} is an independent practice built around one belief: good care starts with listening.',
      'Our team combines years of experience with modern equipment, in a space designed to feel calm rather than clinical.',
    ],
    highlights: [
      'Licensed, experienced professionals',
      'Accessible building and parking',
      'Evening appointments',
    ],
  },
  stats: [
    ['20+', 'years of care'],
    ['6,000', 'patients'],
    ['98%', 'would recommend us'],
  ],
  testimonials: [
    ['For the first time, a clinic where I never feel rushed.', 'Laura B.', 'Patient'],
    [
      'They explained everything clearly and followed up the next day. Exceptional.',
      'Ben W.',
      'Patient',
    ],
    [
      'Our whole family comes here. The kids actually like visiting.',
      'The Ortiz family',
      'Patients since 2019',
    ],
  ],
  faq: [
    ['Are you taking new patients?', 'Yes, we welcome new patients of all ages.'],
    [
      'Do you accept insurance?',
      'We work with most major providers. Contact us with yours and we will check.',
    ],
    [
      'What should I bring to my first visit?',
      'Photo ID, your insurance details and a list of any medication you take.',
    ],
    ['Do you offer evening appointments?', 'Yes, on Tuesdays and Thursdays until 8 pm.'],
  ],
  pricing: [
    [
      'Consultation',
      60,
      'per visit',
      'A first appointment with a full review.',
      ['45-minute appointment', 'Written summary', 'Follow-up call'],
    ],
    [
      'Care plan',
      45,
      'per month',
      'Ongoing care with regular check-ins.',
      ['Quarterly check-ups', 'Priority booking', 'Messaging with your clinician'],
    ],
    [
      'Family plan',
      120,
      'per month',
      'Care for up to five family members.',
      ['Everything in Care plan', 'Up to 5 people', 'Same-day slots for children'],
    ],
  ],
  team: [
    [
      'Dr. Anna Weiss',
      'Lead clinician',
      'Fifteen years in family practice; believes in prevention first.',
    ],
    ['Dr. Kofi Mensah', 'Specialist', 'Known for clear explanations and a calm manner.'],
    ['Julia Romano', 'Practice manager', 'Keeps appointments on time and answers every call.'],
  ],
  gallery: [
    ['🏥', 'Our bright reception'],
    ['🪴', 'A calm waiting room'],
    ['🩻', 'Modern equipment'],
    ['🧸', 'The family room'],
    ['🚗', 'Easy parking'],
    ['🌤️', 'The garden courtyard'],
  ],
  hours: 'Mon–Fri, 8:00 am – 6:00 pm · Tue & Thu until 8:00 pm',
};

export const home: Pack = {
  emoji: '🛠️',
  font: 'sans',
  primary: '#1d4ed8',
  accent: '#f59e0b',
  noun: 'Services',
  eyebrow: 'Reliable, local, on time',
  tagline: 'Skilled people who turn up when they say they will.',
  description:
    '{name} handles the jobs you keep putting off, with upfront quotes, tidy work and a guarantee on everything we do.',
  highlights: ['Free quotes', 'Fully insured', '12-month guarantee'],
  cta: 'Get a free quote',
  features: [
    [
      '⏱️',
      'On time, every time',
      'We arrive in the window we promise and text you when we are on our way.',
    ],
    [
      '💵',
      'Upfront pricing',
      'A fixed quote before we start, so there are no surprises on the invoice.',
    ],
    [
      '🧹',
      'We leave it tidy',
      'Dust sheets down, rubbish taken away, your home left as we found it.',
    ],
  ],
  services: [
    ['🔧', 'Repairs', 'Quick fixes and long-overdue repairs done properly the first time.', 85],
    ['🏡', 'Renovations', 'Kitchens, bathrooms and full rooms, planned and managed end to end.'],
    ['🌱', 'Outdoor work', 'Gardens, fences, decking and seasonal clean-ups.'],
    [
      '🚨',
      'Emergency call-outs',
      'Available evenings and weekends when something cannot wait.',
      120,
    ],
  ],
  about: {
    paragraphs: [
      '{name} is a family-run business that has grown entirely through word of mouth.',
      'We hire skilled, friendly tradespeople, pay them fairly and stand behind every job with a 12-month guarantee.',
    ],
    highlights: [
      'Licensed and fully insured',
      'Background-checked team',
      'Written guarantee on all work',
    ],
  },
  stats: [
    ['2,500+', 'jobs completed'],
    ['4.9★', 'average review'],
    ['48h', 'typical start time'],
  ],
  testimonials: [
    [
      'Quoted on Monday, finished on Wednesday, and they cleaned up better than we do.',
      'Rachel G.',
      'Homeowner',
    ],
    ['Honest about what needed doing and what did not. That is rare.', 'Oscar P.', 'Landlord'],
    ['They came out on a Sunday night for a burst pipe. Lifesavers.', 'Mei H.', 'Homeowner'],
  ],
  faq: [
    [
      'Are quotes really free?',
      'Yes. We visit, look at the job and send a fixed written quote at no cost.',
    ],
    ['Are you insured?', 'Fully licensed and insured, and happy to share certificates.'],
    [
      'How soon can you start?',
      'Most jobs start within two working days; emergencies the same day.',
    ],
    [
      'Do you guarantee your work?',
      'Every job comes with a 12-month guarantee on parts and labour.',
    ],
  ],
  pricing: [
    [
      'Small job',
      85,
      'per visit',
      'Up to two hours of work.',
      ['One tradesperson', 'Basic materials included', 'Tidy-up'],
    ],
    [
      'Half day',
      240,
      'per visit',
      'For bigger lists of jobs.',
      ['Up to four hours', 'Two tradespeople if needed', 'Materials at cost'],
    ],
    [
      'Home care plan',
      35,
      'per month',
      'Peace of mind all year.',
      ['Annual home check', 'Priority booking', '10% off all work'],
    ],
  ],
  team: [
    ['Mike Daniels', 'Founder', 'Thirty years on the tools and still checks every finished job.'],
    ['Lucia Ferreira', 'Project manager', 'Keeps renovations on schedule and on budget.'],
    ['Ahmed Hassan', 'Lead technician', 'Can fix almost anything, and explains it as he goes.'],
  ],
  gallery: [
    ['🛁', 'Bathroom renovation'],
    ['🍳', 'New kitchen fit-out'],
    ['🪵', 'Garden decking'],
    ['🎨', 'Interior repaint'],
    ['🚪', 'Custom doors and trim'],
    ['🌳', 'Seasonal garden clean-up'],
  ],
  hours: 'Mon–Sat, 7:30 am – 6:00 pm · Emergencies 24/7',
};

export const professional: Pack = {
  emoji: '⚖️',
  font: 'serif',
  primary: '#1e3a8a',
  accent: '#b08d57',
  noun: 'Partners',
  eyebrow: 'Trusted advice since day one',
  tagline: 'Clear, practical advice from people who take the time to understand you.',
  description:
    '{name} helps individuals and growing businesses make confident decisions, with straight answers, fixed fees where possible and a partner who knows your file.',
  highlights: ['Free first consultation', 'Fixed-fee options', 'Same-week meetings'],
  cta: 'Book a consultation',
  features: [
    [
      '🤝',
      'A partner who knows you',
      'You work with the same senior adviser from the first call to the final signature.',
    ],
    ['💬', 'Plain language', 'No jargon: we explain your options and what they mean for you.'],
    [
      '📄',
      'Transparent fees',
      'A written estimate before we start, and fixed fees wherever we can.',
    ],
  ],
  services: [
    ['🏢', 'Business advice', 'Company set-up, contracts and ongoing support as you grow.'],
    ['🏠', 'Personal matters', 'Property, family and estate planning handled with care.'],
    ['📊', 'Tax & compliance', 'Returns, planning and filings done accurately and on time.'],
    ['🛡️', 'Disputes & protection', 'Calm, firm representation when something goes wrong.'],
  ],
  about: {
    paragraphs: [
      '{name} is an independent practice founded on a simple promise: to give clients the kind of advice we would want for ourselves.',
      'We are small by design. Every client has a named partner, a clear plan and an answer to every email within one working day.',
    ],
    highlights: [
      'Independent and partner-led',
      'Regulated and fully insured',
      'Evening meetings on request',
    ],
  },
  stats: [
    ['25+', 'years of practice'],
    ['1,800', 'clients advised'],
    ['24h', 'reply time'],
  ],
  testimonials: [
    [
      'They explained everything in plain English and the fixed fee meant no surprises.',
      'Helen M.',
      'Business owner',
    ],
    [
      'Calm, thorough and always a step ahead. I would not go anywhere else.',
      'Robert K.',
      'Client since 2016',
    ],
    ['They made a stressful process feel manageable. Thank you.', 'Anita S.', 'Private client'],
  ],
  faq: [
    [
      'Is the first consultation free?',
      'Yes. The first 30-minute conversation is free and without obligation.',
    ],
    [
      'How do you charge?',
      'We offer fixed fees for most work and clear hourly rates for everything else.',
    ],
    [
      'Can we meet online?',
      'Of course. We meet in person, by phone or by video, whichever suits you.',
    ],
    ['How quickly can you start?', 'Usually within the same week, and sooner when it is urgent.'],
  ],
  pricing: [
    [
      'Consultation',
      0,
      'first 30 minutes',
      'Talk through your situation.',
      ['Free and without obligation', 'Clear next steps'],
    ],
    [
      'Fixed-fee package',
      650,
      'per matter',
      'For well-defined work.',
      ['Agreed scope', 'One fixed price', 'Named partner'],
    ],
    [
      'Retainer',
      400,
      'per month',
      'Ongoing advice for businesses.',
      ['Unlimited quick questions', 'Document reviews', 'Quarterly planning call'],
    ],
  ],
  team: [
    ['Margaret Hale', 'Senior partner', 'Thirty years of advising families and founders.'],
    ['David Osei', 'Partner', 'Known for turning complicated problems into clear plans.'],
    ['Sara Lindqvist', 'Associate', 'Detail-minded and endlessly patient with paperwork.'],
  ],
  gallery: [
    ['🏛️', 'Our office on the square'],
    ['📚', 'The library'],
    ['☕', 'Client meeting room'],
    ['🤝', 'Community clinic day'],
    ['🖋️', 'Signing day'],
    ['🌳', 'The courtyard garden'],
  ],
  hours: 'Mon–Fri, 8:30 am – 6:00 pm',
};
