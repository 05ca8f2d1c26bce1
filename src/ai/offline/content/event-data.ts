/** Event types: schedule, practical details and RSVP wording. */
import type { FaqCopy, PersonCopy, PlanCopy } from './pack-types.js';

export interface EventType {
  test: RegExp;
  label: string;
  noun: string;
  emoji: string;
  primary: string;
  accent: string;
  date: string;
  time: string;
  venue: string;
  tagline: string;
  description: string;
  dress: string;
  /** time, title, detail */
  schedule: readonly (readonly [string, string, string])[];
  speakers: readonly PersonCopy[];
  tickets: readonly PlanCopy[];
  faq: readonly FaqCopy[];
  rsvpIntro: string;
}

const CONFERENCE: EventType = {
  test: /\b(conference|summit|symposium|expo|hackathon|tech|developers?|webinar)\b/,
  label: 'Conference',
  noun: 'Summit',
  emoji: '🎤',
  primary: '#4f46e5',
  accent: '#06b6d4',
  date: 'October 16',
  time: '9:00 am',
  venue: 'The Foundry Hall, 12 Harbor Street',
  tagline: 'One day of talks, workshops and good conversations.',
  description:
    'Join practitioners and curious minds for a day of practical talks, hands-on workshops and the hallway chats that make conferences worth it.',
  dress: 'Casual',
  schedule: [
    ['8:30 am', 'Registration & coffee', 'Pick up your badge and meet other attendees.'],
    ['9:15 am', 'Opening keynote', 'Where the field is heading in the next five years.'],
    [
      '10:30 am',
      'Talks: building for people',
      'Three short talks on design, accessibility and trust.',
    ],
    ['12:00 pm', 'Lunch', 'Local food trucks in the courtyard.'],
    ['1:30 pm', 'Hands-on workshops', 'Choose one of four small-group sessions.'],
    ['3:30 pm', 'Panel: lessons from the trenches', 'Honest stories from teams who shipped.'],
    ['5:00 pm', 'Closing drinks', 'Music, snacks and conversations on the terrace.'],
  ],
  speakers: [
    ['Dr. Lena Ortiz', 'Keynote speaker', 'Research lead who makes complex ideas simple.'],
    ['Kwame Asante', 'Engineering manager', 'Has scaled teams from five to five hundred.'],
    ['Hana Sato', 'Designer', 'Writes and speaks about inclusive design.'],
    ['Ben Fischer', 'Founder', 'Built and sold two companies; now mentors start-ups.'],
  ],
  tickets: [
    [
      'Student',
      49,
      'per person',
      'With a valid student ID.',
      ['All talks', 'Lunch & coffee', 'Closing drinks'],
    ],
    [
      'Standard',
      199,
      'per person',
      'The full conference day.',
      ['All talks and workshops', 'Lunch & coffee', 'Closing drinks', 'Session recordings'],
    ],
    [
      'Team (5)',
      799,
      'per group',
      'Bring your team and save.',
      ['Five standard tickets', 'Reserved seating', 'Team photo'],
    ],
  ],
  faq: [
    ['Will talks be recorded?', 'Yes. Recordings are sent to all attendees within a week.'],
    [
      'Is the venue accessible?',
      'The venue is step-free with accessible toilets and a quiet room.',
    ],
    [
      'Can I transfer my ticket?',
      'Yes, up to 48 hours before the event. Just let us know the new name.',
    ],
    [
      'Is food included?',
      'Coffee, lunch and closing drinks are included, with vegetarian and vegan options.',
    ],
  ],
  rsvpIntro: 'Places are limited. Save yours now and we will email the details.',
};

const WEDDING: EventType = {
  test: /\b(wedding|marriage|engagement|vows?)\b/,
  label: 'Wedding',
  noun: 'Wedding',
  emoji: '💍',
  primary: '#9d174d',
  accent: '#b08d57',
  date: 'June 20',
  time: '3:00 pm',
  venue: 'Willow Farm, Orchard Lane',
  tagline: 'We are getting married and we would love you to be there.',
  description:
    'Join us for a relaxed afternoon ceremony in the orchard, followed by dinner, speeches and dancing under the lights.',
  dress: 'Garden formal',
  schedule: [
    ['2:30 pm', 'Guests arrive', 'Welcome drinks in the courtyard.'],
    ['3:00 pm', 'Ceremony', 'In the orchard, weather permitting.'],
    ['4:00 pm', 'Drinks & canapés', 'Lawn games and photos.'],
    ['6:00 pm', 'Dinner & speeches', 'A long-table dinner in the barn.'],
    ['8:30 pm', 'First dance', 'Then the dance floor is yours.'],
    ['11:30 pm', 'Carriages', 'Shuttles back to town.'],
  ],
  speakers: [
    ['Clara & James', 'The couple', 'Met at a friend’s barbecue eight years ago.'],
    ['Ruth Ellis', 'Maid of honour', 'Clara’s best friend since primary school.'],
    ['Tom Ellis', 'Best man', 'James’s brother and self-appointed DJ.'],
  ],
  tickets: [],
  faq: [
    ['Can I bring a plus-one?', 'If your invitation includes a guest, their name will be on it.'],
    [
      'Are children welcome?',
      'We love your little ones, but this will be an adults-only celebration.',
    ],
    ['Where should I stay?', 'There are several inns nearby; shuttles run to and from town.'],
    [
      'Is there a gift list?',
      'Your presence is the best present. If you would like to, a note in our card box is lovely.',
    ],
  ],
  rsvpIntro: 'Please let us know by May 1 whether you can join us.',
};

const PARTY: EventType = {
  test: /\b(party|birthday|celebration|anniversary|reunion|gala|fundraiser|launch)\b/,
  label: 'Celebration',
  noun: 'Party',
  emoji: '🎉',
  primary: '#db2777',
  accent: '#f59e0b',
  date: 'August 8',
  time: '7:00 pm',
  venue: 'The Rooftop, 48 Market Street',
  tagline: 'An evening of good food, great music and even better company.',
  description:
    'Come celebrate with us! Expect a welcome drink, delicious food, a few surprises and dancing until late.',
  dress: 'Cocktail',
  schedule: [
    ['7:00 pm', 'Doors open', 'Welcome drinks on the terrace.'],
    ['8:00 pm', 'Dinner', 'Sharing plates and a dessert table.'],
    ['9:00 pm', 'Toasts', 'A few short words and a big cheers.'],
    ['9:30 pm', 'Live music', 'A set from a local band.'],
    ['10:30 pm', 'Dancing', 'DJ until late.'],
  ],
  speakers: [
    ['The Hosts', 'Your hosts', 'Delighted to celebrate with you.'],
    ['DJ Marlow', 'Music', 'Soul, disco and everything in between.'],
  ],
  tickets: [],
  faq: [
    ['Can I bring someone?', 'Of course. Just add them to your RSVP so we have enough food.'],
    ['Is there parking?', 'There is a public car park two minutes away.'],
    [
      'What about dietary needs?',
      'Tell us in your RSVP and we will make sure there is something for you.',
    ],
  ],
  rsvpIntro: 'Let us know you are coming so we can save you a seat and a drink.',
};

/** A birthday (a child's or a pet's as often as an adult's): an afternoon, not a cocktail night. */
const BIRTHDAY: EventType = {
  test: /\bbirthday\b/,
  label: 'Birthday',
  noun: 'Birthday Party',
  emoji: '🎈',
  primary: '#db2777',
  accent: '#f59e0b',
  date: 'August 8',
  time: '3:00 pm',
  venue: 'Our place',
  tagline: 'Cake, games and balloons: come and celebrate with us.',
  description:
    'Join us for an afternoon of cake, games and good company. Let us know you are coming so there is a party hat for everyone.',
  dress: 'Comfortable, party hats welcome',
  schedule: [
    ['3:00 pm', 'Guests arrive', 'Balloons, snacks and hellos.'],
    ['3:30 pm', 'Games', 'Something for every age.'],
    ['4:30 pm', 'Cake and candles', 'Singing, wishes and a big slice each.'],
    ['5:30 pm', 'Goodbyes', 'A little something to take home.'],
  ],
  speakers: [['The Hosts', 'Your hosts', 'Delighted to celebrate with you.']],
  tickets: [],
  faq: [
    ['Can I bring someone?', 'Of course. Just add them to your RSVP so we have enough cake.'],
    ['What about dietary needs?', 'Tell us in your RSVP and we will have something for you.'],
  ],
  rsvpIntro: 'Let us know you are coming so we can count the party hats.',
};

const FESTIVAL: EventType = {
  test: /\b(festival|concert|gig|music|fair|market|carnival)\b/,
  label: 'Festival',
  noun: 'Festival',
  emoji: '🎪',
  primary: '#ea580c',
  accent: '#7c3aed',
  date: 'July 12',
  time: '12:00 pm',
  venue: 'Riverside Park, East Lawn',
  tagline: 'A weekend of music, food and sunshine by the river.',
  description:
    'Two stages, thirty artists, local food stalls and plenty of space to lie in the grass. Bring friends, bring a blanket.',
  dress: 'Festival ready',
  schedule: [
    ['12:00 pm', 'Gates open', 'Food stalls and craft market.'],
    ['1:00 pm', 'Acoustic stage', 'Local singer-songwriters.'],
    ['3:30 pm', 'Family hour', 'Workshops and games for kids.'],
    ['5:00 pm', 'Main stage opens', 'Rising bands from across the region.'],
    ['8:30 pm', 'Headliner', 'The big set of the night.'],
    ['10:30 pm', 'Last songs', 'Gates close at 11.'],
  ],
  speakers: [
    ['The Lanterns', 'Headliner', 'Anthemic indie-folk with a brass section.'],
    ['Mira Blue', 'Main stage', 'Soulful vocals and warm synths.'],
    ['Cedar Trio', 'Acoustic stage', 'Harmonies you will hum all week.'],
  ],
  tickets: [
    [
      'Day pass',
      45,
      'per person',
      'One day of music.',
      ['Access to both stages', 'Free water refills'],
    ],
    [
      'Weekend',
      79,
      'per person',
      'Both days.',
      ['Access to both stages', 'Re-entry wristband', 'Festival tote'],
    ],
    [
      'VIP',
      149,
      'per person',
      'The best seat in the park.',
      ['Weekend access', 'Viewing deck', 'Private bar', 'Meet the artists'],
    ],
  ],
  faq: [
    ['Can I bring food?', 'Picnics are welcome; glass and alcohol are not.'],
    ['Are kids allowed?', 'Yes, under-12s go free with a paying adult.'],
    ['What if it rains?', 'The festival goes ahead rain or shine. Bring a jacket!'],
    ['Is there camping?', 'No camping on site, but there are shuttle buses from town.'],
  ],
  rsvpIntro: 'Register your interest and we will send early-bird tickets and updates.',
};

const MEETUP: EventType = {
  test: /$^/,
  label: 'Meetup',
  noun: 'Meetup',
  emoji: '🤝',
  primary: '#0d9488',
  accent: '#f97316',
  date: 'September 24',
  time: '6:30 pm',
  venue: 'Commons Hall, 5 Mill Lane',
  tagline: 'An evening of short talks, good food and friendly people.',
  description:
    'Our monthly get-together: two short talks, an open mic for quick ideas and plenty of time to meet people over food and drinks.',
  dress: 'Come as you are',
  schedule: [
    ['6:30 pm', 'Doors open', 'Food, drinks and introductions.'],
    ['7:00 pm', 'Welcome', 'News and a few words from the organisers.'],
    ['7:15 pm', 'Talk one', 'A practical story from a community member.'],
    ['7:45 pm', 'Talk two', 'Lessons learned, mistakes included.'],
    ['8:15 pm', 'Open mic', 'Two-minute ideas from anyone who wants to share.'],
    ['8:30 pm', 'Mingle', 'Stay and chat until 10.'],
  ],
  speakers: [
    ['Ana Costa', 'Organiser', 'Started the meetup in her living room.'],
    ['Jin Park', 'Speaker', 'Shares what worked and what didn’t.'],
    ['Rita Gomez', 'Speaker', 'Loves a good live demo.'],
  ],
  tickets: [],
  faq: [
    ['Is it free?', 'Yes, always. Our hosts and sponsors cover food and drinks.'],
    ['Do I need experience?', 'Not at all. Beginners are especially welcome.'],
    ['Can I give a talk?', 'We would love that. Mention it in your RSVP and we will be in touch.'],
  ],
  rsvpIntro: 'It is free, but space is limited: let us know you are coming.',
};

const TYPES: readonly EventType[] = [WEDDING, CONFERENCE, FESTIVAL, BIRTHDAY, PARTY];

export function eventType(topic: string): EventType {
  return TYPES.find((type) => type.test.test(topic)) ?? MEETUP;
}
