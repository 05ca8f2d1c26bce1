/** Blog posts by topic. The generic set is written around the prompt's subject. */
import { fill, slugify, type FillVars } from '../text.js';

interface PostCopy {
  title: string;
  tag: string;
  emoji: string;
  excerpt: string;
  body: readonly string[];
}

const TOPICS: readonly (readonly [RegExp, readonly PostCopy[]])[] = [
  [
    /\b(food|cook(ing)?|bak(e|ing|ery)|recipes?|kitchen|coffee|eat(ing)?)\b/,
    [
      {
        title: 'The weeknight pasta I make every single week',
        tag: 'Recipes',
        emoji: '🍝',
        excerpt:
          'Six ingredients, one pan and twenty minutes. This is the dinner that saves my Tuesdays.',
        body: [
          'Some recipes earn their place through sheer reliability. This one has been on repeat since the winter I moved into a flat with a two-ring stove.',
          'Start the pasta water first and salt it well. While it heats, soften garlic and a pinch of chilli in olive oil, then add a tin of good tomatoes and let them collapse.',
          'Toss the drained pasta with the sauce, a splash of the cooking water and a handful of grated cheese. Finish with basil if you have it, and eat it straight away.',
        ],
      },
      {
        title: 'What I learned baking bread for a year',
        tag: 'Baking',
        emoji: '🍞',
        excerpt:
          'Fifty-two loaves, a few disasters and the handful of lessons that actually made a difference.',
        body: [
          'I started baking bread every Sunday as a small ritual. A year later, I have a notebook full of crumb photos and strong opinions about flour.',
          'The biggest improvement came from patience, not technique: longer, cooler rises gave better flavour than any fancy shaping method.',
          'The second lesson was to write everything down. Temperature, timings and how the dough felt turned guesswork into a repeatable loaf.',
        ],
      },
      {
        title: 'A small guide to stocking your pantry',
        tag: 'Basics',
        emoji: '🫙',
        excerpt: 'With a few good staples on the shelf, dinner is always closer than you think.',
        body: [
          'A well-stocked pantry is less about quantity and more about having a few versatile things you genuinely enjoy cooking with.',
          'My short list: good olive oil, tinned tomatoes, chickpeas, rice, dried pasta, anchovies, lemons, garlic and a wedge of hard cheese in the fridge.',
          'With those on hand you are never more than fifteen minutes from something comforting, even on the busiest evening.',
        ],
      },
    ],
  ],
  [
    /\b(travel(l?ing)?|trips?|adventures?|backpacking|hiking|road trips?|wander)\b/,
    [
      {
        title: 'Ten days in the mountains with one small backpack',
        tag: 'Trips',
        emoji: '🏔️',
        excerpt:
          'Packing light changed how I travel. Here is exactly what I brought, and what I would leave behind.',
        body: [
          'I used to pack for every possible scenario. This time I allowed myself one 28-litre bag for ten days of trains, trails and mountain huts.',
          'Merino layers did the heavy lifting: warm in the morning, cool in the afternoon and fresh enough to wear again.',
          'The surprise was how much lighter the trip felt in every sense. Fewer things to carry meant more attention for the places I was walking through.',
        ],
      },
      {
        title: 'How I plan a trip without over-planning it',
        tag: 'Planning',
        emoji: '🗺️',
        excerpt:
          'Book the bones, leave room for luck. My simple system for trips that still feel spontaneous.',
        body: [
          'I book the first and last nights, the long train journeys and anything that sells out. Everything else stays flexible.',
          'For each stop I keep a short list of three things I would love to do and one food I want to try. That is enough structure to feel prepared.',
          'The best moments of my last trip were not on any list: a festival we stumbled into and a café recommended by a stranger on the bus.',
        ],
      },
      {
        title: 'Slow travel: why I stay longer in fewer places',
        tag: 'Ideas',
        emoji: '🚆',
        excerpt:
          'Trading a long checklist for a few deep stays made my trips calmer, cheaper and more memorable.',
        body: [
          'Staying a week in one town feels indulgent at first. By day three you have a favourite bakery and the baker knows your order.',
          'Longer stays often cost less too: weekly rates, fewer transport days and more meals cooked from the local market.',
          'Most of all, slow travel leaves space to notice things. That, for me, is the whole point of going anywhere.',
        ],
      },
    ],
  ],
  [
    /\b(tech|code|coding|programming|software|developers?|web dev(elopment)?|ai|javascript|typescript|startups?)\b/,
    [
      {
        title: 'Writing code your future self will thank you for',
        tag: 'Craft',
        emoji: '🧑‍💻',
        excerpt: 'Clear names, small functions and honest comments: the habits that age well.',
        body: [
          'Every piece of code is read far more often than it is written, and the most frequent reader is usually you, six months from now.',
          'Name things after what they mean, not how they work. Keep functions small enough to understand at a glance. Write comments that explain why, not what.',
          'None of this is glamorous, but it compounds. A codebase built with these habits stays pleasant to work in for years.',
        ],
      },
      {
        title: 'What shipping every week taught our team',
        tag: 'Process',
        emoji: '🚀',
        excerpt:
          'Small releases, fast feedback and fewer surprises. Notes from a year of weekly launches.',
        body: [
          'We moved from monthly releases to weekly ones, expecting more stress. We got the opposite.',
          'Smaller changes were easier to review, easier to test and much easier to roll back on the rare occasions something went wrong.',
          'The biggest win was feedback. Customers saw improvements every week, and their reactions shaped what we built next.',
        ],
      },
      {
        title: 'A calm guide to learning a new framework',
        tag: 'Learning',
        emoji: '📘',
        excerpt:
          'Skip the hype cycle. Build one small thing, read the docs properly and go from there.',
        body: [
          'New tools arrive every week, and it is easy to feel behind. The trick is to learn deliberately rather than constantly.',
          'Pick one small project you actually care about. Read the official guide from start to finish before searching for shortcuts.',
          'Once the fundamentals click, everything else is just detail. You will also be much better at judging the next shiny tool.',
        ],
      },
    ],
  ],
  [
    /\b(fitness|health|wellness|running|yoga|mindfulness|meditation|workouts?|nutrition|sleep)\b/,
    [
      {
        title: 'The five-minute morning routine that stuck',
        tag: 'Habits',
        emoji: '🌅',
        excerpt:
          'After years of ambitious routines that lasted a week, this tiny one has lasted a year.',
        body: [
          'My previous routines were impressive on paper and impossible in practice. This one fits in five minutes and needs no equipment.',
          'A glass of water, two minutes of stretching, one minute of slow breathing and a short note about what matters today.',
          'It is almost embarrassingly simple, which is exactly why it works. Small habits are easy to keep, and kept habits add up.',
        ],
      },
      {
        title: 'Training for my first 10k at forty',
        tag: 'Running',
        emoji: '🏃',
        excerpt: 'Twelve weeks, a sensible plan and a lot of slow miles. Here is how it went.',
        body: [
          'I had never run further than a bus stop. Twelve weeks later I crossed a finish line with a grin I could not wipe off.',
          'The plan was gentle: three runs a week, mostly slow, with one day of intervals. Rest days were not optional.',
          'If you are thinking about it, start this week. Run slower than you think you should, and be patient with yourself.',
        ],
      },
      {
        title: 'Rest is part of the plan',
        tag: 'Recovery',
        emoji: '😴',
        excerpt: 'Why sleep, easy days and the occasional lazy Sunday make you stronger.',
        body: [
          'Progress happens between workouts, not during them. Without rest the body never gets the chance to adapt.',
          'I started treating sleep like training: a consistent bedtime, a dark room and no screens for the last half hour.',
          'Within a month my energy, mood and times all improved. Rest turned out to be the most effective thing I added.',
        ],
      },
    ],
  ],
];

const GENERIC: readonly PostCopy[] = [
  {
    title: 'Getting started with {subject}: what I wish I had known',
    tag: 'Guides',
    emoji: '🧭',
    excerpt: 'The advice I would give my beginner self, in one short read.',
    body: [
      'Every new interest starts with the same mix of excitement and confusion, and it was no different when I started with {subject}.',
      'The most useful thing I did was to start small: one simple goal, a little time each week and no pressure to be good at it yet.',
      'Looking back, consistency mattered far more than talent or equipment. Show up regularly and the progress takes care of itself.',
    ],
  },
  {
    title: 'Five small habits that made {subject} easier',
    tag: 'Tips',
    emoji: '✨',
    excerpt: 'None of them take long. All of them add up.',
    body: [
      'Big changes are hard to keep. Small habits are not, and over a few months they quietly transform the way you work.',
      'Keep notes. Set aside a regular time. Learn from people a step or two ahead of you. Share what you make. Take breaks before you are exhausted.',
      'Try one of these this week and see how it feels. Then add another next month.',
    ],
  },
  {
    title: 'A year of {subject}: what changed',
    tag: 'Stories',
    emoji: '📅',
    excerpt: 'Looking back on twelve months, the wins, the mistakes and what comes next.',
    body: [
      'A year ago I wrote down a few hopes for the months ahead. Reading that list now is equal parts funny and encouraging.',
      'Some things went far better than expected; others did not happen at all. The biggest surprise was the people I met along the way.',
      'Next year I want to go deeper rather than wider, and to share more of the process here as I go.',
    ],
  },
];

const DATES = ['May 28', 'May 14', 'Apr 30', 'Apr 9', 'Mar 21', 'Mar 2', 'Feb 11', 'Jan 24'];

export interface PostData {
  id: string;
  slug: string;
  title: string;
  tag: string;
  emoji: string;
  date: string;
  minutes: number;
  excerpt: string;
  body: string[];
}

export function blogPosts(topic: string, items: readonly string[], vars: FillVars): PostData[] {
  const set = TOPICS.find(([test]) => test.test(topic))?.[1] ?? GENERIC;
  const copies: PostCopy[] =
    items.length >= 2
      ? items.map((title, index) => ({ ...(set[index % set.length] ?? GENERIC[0]!), title }))
      : [...set];
  const used = new Set<string>();
  return copies.map((copy, index) => {
    let slug = slugify(fill(copy.title, vars), 'post');
    while (used.has(slug)) slug += '-' + (index + 1);
    used.add(slug);
    const body = copy.body.map((paragraph) => fill(paragraph, vars));
    const words = body.join(' ').split(/\s+/).length + 400;
    return {
      id: 'post-' + (index + 1),
      slug,
      title: items.length >= 2 ? copy.title : fill(copy.title, vars),
      tag: copy.tag,
      emoji: copy.emoji,
      date: DATES[index % DATES.length]!,
      minutes: Math.max(2, Math.round(words / 200)),
      excerpt: fill(copy.excerpt, vars),
      body,
    };
  });
}
