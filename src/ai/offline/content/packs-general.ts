/** Copy for shops, schools and everything else (the generic pack uses the prompt's subject). */
import type { Pack } from './pack-types.js';

export const retail: Pack = {
  emoji: '🛍️',
  font: 'sans',
  primary: '#0f766e',
  accent: '#ca8a04',
  noun: 'Goods',
  eyebrow: 'Independent shop',
  tagline: 'Well-made things for everyday life, chosen with care.',
  description:
    '{name} stocks a small, carefully chosen range from independent makers, with free local delivery and easy returns.',
  highlights: ['Free delivery over {cur}50', '30-day returns', 'Independent makers'],
  cta: 'Shop the collection',
  features: [
    ['🚚', 'Free delivery', 'Free shipping on orders over {cur}50 and same-day local delivery.'],
    ['↩️', 'Easy returns', 'Changed your mind? Return anything within 30 days.'],
    ['🌱', 'Made responsibly', 'We work with makers who pay fairly and use good materials.'],
  ],
  services: [
    ['🎁', 'Gift wrapping', 'Recycled paper, a ribbon and a handwritten note, free on request.'],
    ['🛒', 'Click & collect', 'Order online and pick up in store within two hours.'],
    [
      '💬',
      'Personal shopping',
      'Tell us what you are looking for and we will put together a shortlist.',
    ],
  ],
  about: {
    paragraphs: [
      '{name} started as a market stall and grew into a small shop loved by the neighbourhood.',
      'We still choose every product ourselves, visit our makers and only stock things we would happily use at home.',
    ],
    highlights: ['Locally owned', 'Over 40 independent makers', 'Plastic-free packaging'],
  },
  stats: [
    ['40+', 'independent makers'],
    ['8,000', 'happy customers'],
    ['4.9★', 'average review'],
  ],
  testimonials: [
    [
      'Beautiful things, thoughtfully packed, and delivery was faster than promised.',
      'Ellie M.',
      'Customer',
    ],
    [
      'My go-to for gifts. There is always something I have never seen anywhere else.',
      'Jonas F.',
      'Customer',
    ],
    ['Returned a size with no fuss at all. Great service.', 'Kemi A.', 'Customer'],
  ],
  faq: [
    [
      'How long does delivery take?',
      'Orders ship within one working day and usually arrive in two to four days.',
    ],
    ['What is your returns policy?', 'Return unused items within 30 days for a full refund.'],
    ['Do you ship internationally?', 'Yes, to most countries. Shipping is calculated at checkout.'],
    ['Can I visit the shop?', 'Of course. See our opening hours below and drop by.'],
  ],
  pricing: [
    [
      'Standard delivery',
      5,
      'per order',
      'Two to four working days.',
      ['Tracked shipping', 'Free over {cur}50'],
    ],
    ['Express', 12, 'per order', 'Next working day.', ['Order by 2 pm', 'Tracked and insured']],
    [
      'Members',
      39,
      'per year',
      'For regular customers.',
      ['Free express delivery', 'Early access to new arrivals', '10% off everything'],
    ],
  ],
  team: [
    ['Hazel Brooks', 'Founder', 'Spends weekends visiting makers and markets.'],
    ['Omar Said', 'Shop manager', 'Can tell you the story behind every product.'],
    ['Freya Lund', 'Online orders', 'Packs every parcel as if it were a gift.'],
  ],
  gallery: [
    ['🪴', 'Spring arrivals'],
    ['🕯️', 'Hand-poured candles'],
    ['🧺', 'Woven baskets'],
    ['☕', 'Stoneware mugs'],
    ['📓', 'Paper goods'],
    ['🎁', 'Gift sets'],
  ],
  hours: 'Mon–Sat, 10:00 am – 6:00 pm · Sun, 11:00 am – 4:00 pm',
};

export const education: Pack = {
  emoji: '🎓',
  font: 'sans',
  primary: '#2563eb',
  accent: '#f59e0b',
  noun: 'Academy',
  eyebrow: 'Learn with confidence',
  tagline: 'Small classes, great teachers and real progress.',
  description:
    '{name} offers friendly, structured courses taught by experienced teachers, in person and online, for every level.',
  highlights: ['Small groups', 'Expert teachers', 'Flexible schedule'],
  cta: 'Find a course',
  features: [
    [
      '👩‍🏫',
      'Experienced teachers',
      'Every teacher is qualified, experienced and genuinely enthusiastic.',
    ],
    ['👥', 'Small groups', 'No more than eight learners per class, so nobody gets left behind.'],
    ['🗓️', 'Flexible timetable', 'Morning, evening and weekend classes to fit your week.'],
  ],
  services: [
    ['📘', 'Group courses', 'Structured ten-week courses for beginners to advanced learners.', 240],
    ['🧑‍💻', 'Online classes', 'Live lessons from home with the same teachers and materials.', 180],
    ['🎯', 'Private lessons', 'One-to-one sessions tailored to your goals.', 45],
    ['🏆', 'Exam preparation', 'Focused practice and mock exams with detailed feedback.'],
  ],
  about: {
    paragraphs: [
      '{name} was founded by teachers who believe that learning should feel encouraging, not intimidating.',
      'We keep classes small, track progress carefully and celebrate every milestone along the way.',
    ],
    highlights: ['Qualified teachers', 'Progress reports every term', 'Free placement test'],
  },
  stats: [
    ['2,000+', 'students taught'],
    ['96%', 'exam pass rate'],
    ['8', 'students per class, max'],
  ],
  testimonials: [
    ['I made more progress in one term here than in two years on my own.', 'Lucas B.', 'Student'],
    ['The teachers are patient, funny and incredibly knowledgeable.', 'Fatima Z.', 'Student'],
    ['Our daughter actually looks forward to her lessons now.', 'The Novak family', 'Parents'],
  ],
  faq: [
    [
      'How do I know which level to choose?',
      'Take our free placement test and we will recommend the right course.',
    ],
    ['Can I join part way through a term?', 'Yes, if there is space. We will help you catch up.'],
    ['Do you offer online lessons?', 'Yes, all our courses are also available live online.'],
    ['Is there a refund policy?', 'Full refund if you cancel before the second lesson.'],
  ],
  pricing: [
    [
      'Single lesson',
      45,
      'per lesson',
      'Try a private lesson.',
      ['60 minutes one-to-one', 'Personal feedback', 'Learning plan'],
    ],
    [
      'Term course',
      240,
      'per term',
      'Our most popular option.',
      ['10 weekly group classes', 'Course materials', 'Progress report'],
    ],
    [
      'Intensive',
      520,
      'per month',
      'Fast progress, full immersion.',
      ['Daily classes', '4 private sessions', 'Exam practice'],
    ],
  ],
  team: [
    [
      'Helen Carter',
      'Director of Studies',
      'Twenty years in the classroom and still loves the first lesson of term.',
    ],
    ['Mateo Cruz', 'Senior teacher', 'Makes grammar surprisingly entertaining.'],
    ['Aiko Sato', 'Online programme lead', 'Brings the classroom to your kitchen table.'],
  ],
  gallery: [
    ['📚', 'Our library corner'],
    ['🧑‍🤝‍🧑', 'Group workshop'],
    ['🖥️', 'Live online class'],
    ['🏫', 'The main classroom'],
    ['🎉', 'End-of-term celebration'],
    ['☕', 'Student lounge'],
  ],
  hours: 'Mon–Fri, 8:00 am – 9:00 pm · Sat, 9:00 am – 1:00 pm',
};

/** For subjects no other pack fits: neutral copy that leans on the prompt's subject. */
export const generic: Pack = {
  emoji: '✨',
  font: 'sans',
  primary: '#2563eb',
  accent: '#f97316',
  noun: 'Collective',
  eyebrow: 'Welcome',
  tagline: 'Everything you need to know about {subject}, in one place.',
  description:
    '{name} brings together clear information, practical ideas and friendly people who care about {subject} as much as you do.',
  highlights: ['Clear and practical', 'Made with care', 'Always up to date'],
  cta: 'Get started',
  features: [
    [
      '🧭',
      'Start with the essentials',
      'A clear introduction to {subject} for anyone who is new to it.',
    ],
    ['💡', 'Practical ideas', 'Tips and examples you can put to use straight away.'],
    ['🤝', 'A friendly community', 'Connect with people who share your interest in {subject}.'],
    ['📚', 'Go deeper', 'Guides and resources for when you are ready for more.'],
  ],
  services: [
    ['💬', 'Advice', 'Ask a question about {subject} and get a thoughtful, honest answer.'],
    ['🗺️', 'Guides', 'Step-by-step guides that take you from the basics to confident.'],
    ['🎟️', 'Meetups', 'Regular get-togethers to learn, share and meet people.'],
  ],
  about: {
    paragraphs: [
      '{name} started with a simple idea: {subject} should be easy to understand and enjoyable to explore.',
      'We keep things clear, friendly and practical, and we are always happy to hear from you.',
    ],
    highlights: ['Independent', 'Open to everyone', 'Built with care'],
  },
  stats: [
    ['5,000+', 'people reached'],
    ['120', 'guides written'],
    ['10', 'years of experience'],
  ],
  testimonials: [
    ['Clear, friendly and genuinely useful. Exactly what I was looking for.', 'Nora P.', 'Reader'],
    ['I finally understand the basics and I know where to go next.', 'Victor H.', 'Member'],
    ['A welcoming community. I wish I had found it sooner.', 'Ines D.', 'Member'],
  ],
  faq: [
    [
      'Who is this for?',
      'Anyone curious about {subject}, whether you are just starting out or already experienced.',
    ],
    [
      'Does it cost anything?',
      'Most of what we offer is free. Some workshops and guides have a small fee.',
    ],
    ['How can I get involved?', 'Send us a message. We love hearing from new people.'],
    [
      'How often is it updated?',
      'We add new material every month and review older guides regularly.',
    ],
  ],
  pricing: [
    [
      'Free',
      0,
      'forever',
      'Everything you need to begin.',
      ['All beginner guides', 'Monthly newsletter', 'Community access'],
    ],
    [
      'Supporter',
      8,
      'per month',
      'Help us keep going.',
      ['Everything in Free', 'In-depth guides', 'Members-only events'],
    ],
    [
      'Patron',
      20,
      'per month',
      'For our biggest fans.',
      ['Everything in Supporter', 'Early access', 'Your name in the credits'],
    ],
  ],
  team: [
    ['Alex Morgan', 'Founder', 'Has been hooked on {subject} for over a decade.'],
    ['Priya Patel', 'Editor', 'Turns complicated ideas into clear, simple writing.'],
    ['Sam Okoro', 'Community lead', 'Organises meetups and answers every message.'],
  ],
  gallery: [
    ['🌅', 'Where it all started'],
    ['🧑‍🤝‍🧑', 'Our first meetup'],
    ['📖', 'The guide library'],
    ['🎤', 'Talks and workshops'],
    ['🗺️', 'Field trips'],
    ['🎉', 'Annual celebration'],
  ],
  hours: 'Mon–Fri, 9:00 am – 5:00 pm',
};
