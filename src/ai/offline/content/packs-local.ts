/** Copy for local, people-facing businesses: food and drink, fitness, beauty. */
import type { Pack } from './pack-types.js';

export const food: Pack = {
  emoji: '🍽️',
  font: 'serif',
  primary: '#b45309',
  accent: '#7c2d12',
  noun: 'Kitchen',
  eyebrow: 'Made from scratch, every day',
  tagline: 'Good food, made by hand and shared with our neighbours.',
  description:
    'From the first batch at dawn to the last plate of the evening, everything at {name} is made in-house with seasonal ingredients from growers we know by name.',
  highlights: ['Made fresh daily', 'Local ingredients', 'Order ahead'],
  cta: 'See what’s fresh',
  features: [
    [
      '🌾',
      'Honest ingredients',
      'Stone-ground flour, free-range eggs and produce from farms within a day’s drive.',
    ],
    [
      '⏰',
      'Fresh every morning',
      'Our ovens start before sunrise so the counter is full when the doors open.',
    ],
    ['🥡', 'Order ahead', 'Reserve your favourites and skip the queue with same-day pickup.'],
  ],
  services: [
    [
      '🥖',
      'Daily counter',
      'Breads, pastries and seasonal specials, baked in small batches all day.',
    ],
    [
      '🎂',
      'Celebration orders',
      'Custom cakes and platters for birthdays, weddings and office parties.',
      45,
    ],
    [
      '🧺',
      'Catering',
      'Breakfast spreads and lunch boxes delivered across town for groups of 10 to 200.',
      180,
    ],
    ['☕', 'Coffee bar', 'Single-origin espresso and slow pour-overs to go with something sweet.'],
  ],
  about: {
    paragraphs: [
      '{name} began with one oven, a borrowed mixer and a simple idea: food tastes better when it is made slowly, by people who care about it.',
      'Today our small team still shapes every loaf by hand. We buy from local farms, bake in small batches and give what is left at closing to the community pantry down the street.',
    ],
    highlights: [
      'Everything made on site',
      'Seasonal menu that changes monthly',
      'Zero-waste closing routine',
    ],
  },
  stats: [
    ['12k', 'pastries a month'],
    ['9', 'local farm partners'],
    ['4.9★', 'average rating'],
  ],
  testimonials: [
    [
      'The sourdough is the best in town and the staff remember my order every Saturday.',
      'Hannah R.',
      'Regular since day one',
    ],
    [
      'They made our wedding cake and three guests asked for the baker’s number before dessert was over.',
      'Marcus & Lee',
      'Newlyweds',
    ],
    [
      'Our Friday team breakfast is now the most popular meeting of the week.',
      'Priya S.',
      'Office manager',
    ],
  ],
  faq: [
    [
      'Can I order ahead?',
      'Yes. Call or send us a message by 4 pm and your order will be ready for pickup the next morning.',
    ],
    [
      'Do you have gluten-free options?',
      'We bake a rotating selection of gluten-free treats every day in a separate batch.',
    ],
    [
      'Do you cater events?',
      'We cater groups from 10 to 200 people. Tell us the date and headcount and we will send a proposal.',
    ],
    [
      'Is there seating?',
      'We have a dozen seats inside and a sunny bench out front, first come, first served.',
    ],
  ],
  pricing: [
    [
      'Coffee & pastry',
      7,
      'per visit',
      'Any pastry with a drink of your choice.',
      ['Any pastry from the counter', 'Espresso drink or tea', 'Loyalty stamp'],
    ],
    [
      'Weekly bread club',
      18,
      'per week',
      'A fresh loaf set aside for you every week.',
      ['One loaf of your choice', 'Members-only seasonal bakes', '10% off cakes'],
    ],
    [
      'Office breakfast',
      120,
      'per order',
      'Feeds a team of twelve.',
      ['Assorted pastries', 'Fruit and yoghurt', 'Coffee for twelve', 'Free delivery nearby'],
    ],
  ],
  team: [
    [
      'Elena Park',
      'Head baker',
      'Twenty years of early mornings and still excited about every new loaf.',
    ],
    [
      'Tom Okafor',
      'Pastry chef',
      'Trained in Lyon; in charge of croissants, tarts and anything with butter.',
    ],
    [
      'Rosa Mendes',
      'Front of house',
      'Knows every regular’s order and the best pairing for each coffee.',
    ],
  ],
  gallery: [
    ['🥐', 'Butter croissants, laminated over three days'],
    ['🍞', 'Country sourdough fresh from the oven'],
    ['🧁', 'Seasonal cupcakes'],
    ['☕', 'Morning espresso at the counter'],
    ['🍰', 'Celebration cakes made to order'],
    ['🥧', 'Fruit tarts with local berries'],
  ],
  hours: 'Tue–Sun, 7:00 am – 6:00 pm',
};

export const fitness: Pack = {
  emoji: '💪',
  font: 'sans',
  primary: '#e11d48',
  accent: '#0f172a',
  noun: 'Fitness',
  eyebrow: 'Strength for real life',
  tagline: 'Train with people who know your name and your goals.',
  description:
    '{name} is a friendly training space with expert coaches, small classes and programmes that fit around work, family and everything else.',
  highlights: ['Small classes', 'Certified coaches', 'First class free'],
  cta: 'Book a free class',
  features: [
    [
      '🏋️',
      'Coached every session',
      'No guessing: a coach plans every workout and corrects your form.',
    ],
    [
      '📈',
      'Track your progress',
      'Monthly check-ins show how far you have come, not just how you feel today.',
    ],
    [
      '🤝',
      'A real community',
      'Members cheer each other on, from first push-up to first marathon.',
    ],
  ],
  services: [
    ['🔥', 'Group classes', 'High-energy 45-minute sessions for every level, seven days a week.'],
    ['🎯', 'Personal training', 'One-to-one coaching built around your goals and schedule.', 60],
    [
      '🧘',
      'Mobility & recovery',
      'Stretching, breathing and recovery sessions to keep you moving well.',
    ],
    ['🥗', 'Nutrition coaching', 'Simple habits and meal plans you can actually stick to.', 40],
  ],
  about: {
    paragraphs: [
      '{name} was started by coaches who were tired of crowded gyms where nobody knew your name.',
      'We keep classes small, programme every session with care and celebrate progress of every size.',
    ],
    highlights: [
      'Classes capped at 12 people',
      'Beginner-friendly programming',
      'Open early and late',
    ],
  },
  stats: [
    ['450+', 'active members'],
    ['35', 'classes a week'],
    ['8', 'certified coaches'],
  ],
  testimonials: [
    [
      'I have tried many gyms. This is the first one I actually look forward to going to.',
      'Daniel K.',
      'Member for 2 years',
    ],
    ['The coaches fixed my squat in one session and my back pain is gone.', 'Aisha M.', 'Member'],
    [
      'Small classes make all the difference. It feels like training with friends.',
      'Chris L.',
      'Early-bird regular',
    ],
  ],
  faq: [
    [
      'I am a complete beginner. Is that okay?',
      'Absolutely. Every exercise has an easier version and coaches will help you pick the right one.',
    ],
    [
      'What should I bring?',
      'Comfortable clothes, trainers and a water bottle. We provide everything else.',
    ],
    ['Can I freeze my membership?', 'Yes, up to two months a year at no cost.'],
    ['Is the first class really free?', 'Yes. Book any class and come see if it is a good fit.'],
  ],
  pricing: [
    [
      'Drop-in',
      20,
      'per class',
      'Try any class, no commitment.',
      ['Any group class', 'Coach on hand', 'Towel service'],
    ],
    [
      'Unlimited',
      89,
      'per month',
      'Our most popular membership.',
      ['Unlimited classes', 'Monthly progress check-in', 'Member events', 'Guest pass each month'],
    ],
    [
      'Coached',
      199,
      'per month',
      'Personal programming and support.',
      ['Everything in Unlimited', '4 personal sessions', 'Nutrition plan', 'Priority booking'],
    ],
  ],
  team: [
    ['Jordan Blake', 'Head coach', 'Strength coach with a soft spot for first-timers.'],
    ['Maya Chen', 'Yoga & mobility', 'Teaches people to move well and breathe better.'],
    ['Sam Rivera', 'Conditioning coach', 'Former sprinter who makes hard workouts fun.'],
  ],
  gallery: [
    ['🏋️', 'The main training floor'],
    ['🚴', 'Morning conditioning class'],
    ['🧘', 'Sunday mobility session'],
    ['🥊', 'Boxing fundamentals'],
    ['🏃', 'Community 5k run club'],
    ['🤸', 'Open gym hours'],
  ],
  hours: 'Mon–Fri, 6:00 am – 9:00 pm · Sat–Sun, 8:00 am – 2:00 pm',
};

export const beauty: Pack = {
  emoji: '✨',
  font: 'serif',
  primary: '#be185d',
  accent: '#9d174d',
  noun: 'Studio',
  eyebrow: 'Care that feels like a day off',
  tagline: 'Thoughtful treatments in a calm, welcoming space.',
  description:
    'At {name} every appointment starts with a conversation. We listen, recommend what suits you and take our time getting it right.',
  highlights: ['Expert stylists', 'Clean products', 'Easy booking'],
  cta: 'Book an appointment',
  features: [
    [
      '🌿',
      'Gentle, clean products',
      'We use vegan, cruelty-free products that are kind to you and the planet.',
    ],
    [
      '🗓️',
      'Booking in seconds',
      'Pick a time that works for you and get a reminder the day before.',
    ],
    ['💬', 'Honest advice', 'We will tell you what will work for your hair, skin and routine.'],
  ],
  services: [
    ['✂️', 'Cut & style', 'A consultation, wash, precision cut and finish.', 55],
    ['🎨', 'Colour', 'Balayage, highlights and full colour with a gloss treatment.', 120],
    ['💆', 'Treatments', 'Relaxing facials and scalp treatments to restore and refresh.', 70],
    ['💅', 'Nails', 'Manicures and pedicures with long-lasting, gentle polish.', 35],
  ],
  about: {
    paragraphs: [
      '{name} is an independent studio run by people who love what they do.',
      'We opened to create the kind of place we wanted to visit ourselves: calm, unhurried and honest about what works.',
    ],
    highlights: [
      'Independent and locally owned',
      'Consultation with every visit',
      'Quiet appointments available',
    ],
  },
  stats: [
    ['3,200', 'happy clients'],
    ['15', 'years of experience'],
    ['5★', 'on local reviews'],
  ],
  testimonials: [
    [
      'The best haircut I have had in years, and they actually listened to what I wanted.',
      'Olivia T.',
      'Client',
    ],
    [
      'A calm hour in a busy week. I leave feeling like a new person.',
      'Grace N.',
      'Monthly regular',
    ],
    ['My colour has never looked so natural. I get compliments all the time.', 'Bea L.', 'Client'],
  ],
  faq: [
    [
      'How do I book?',
      'Use the contact form or call us. We will confirm your time within a few hours.',
    ],
    [
      'What is your cancellation policy?',
      'Please give us 24 hours’ notice so we can offer the slot to someone else.',
    ],
    ['Do you offer gift cards?', 'Yes, in any amount. They make a lovely present.'],
    [
      'Is there parking?',
      'There is free street parking right outside and a car park around the corner.',
    ],
  ],
  pricing: [
    [
      'Refresh',
      55,
      'per visit',
      'A quick pick-me-up.',
      ['Consultation', 'Cut & finish', 'Styling tips'],
    ],
    [
      'Signature',
      140,
      'per visit',
      'Our most popular appointment.',
      ['Consultation', 'Colour & gloss', 'Cut & finish', 'Take-home treatment'],
    ],
    [
      'Membership',
      90,
      'per month',
      'Look your best all year.',
      ['One visit a month', '15% off products', 'Priority booking'],
    ],
  ],
  team: [
    ['Camille Dupont', 'Founder & stylist', 'Precision cuts and natural colour are her signature.'],
    ['Noa Levi', 'Colour specialist', 'Finds the exact shade that makes you glow.'],
    ['Ari Santos', 'Skin therapist', 'Makes every facial feel like a small holiday.'],
  ],
  gallery: [
    ['💇', 'Soft layers and a glossy finish'],
    ['🎨', 'Hand-painted balayage'],
    ['💅', 'Minimal nail art'],
    ['🌸', 'Our treatment room'],
    ['🪞', 'The styling floor'],
    ['🧴', 'Products we love'],
  ],
  hours: 'Tue–Sat, 9:00 am – 7:00 pm',
};
