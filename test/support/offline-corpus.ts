/**
 * Prompts of every kind and many wordings, with the asks a reader sees in each (the words of
 * each ask as the engine's plan should name it). The corpus test builds and renders every app
 * and checks that each ask is on the page or in plan.unmet; the offline bench reports the
 * share honoured. The first four are the prompts of issue 15.
 */
export interface CorpusPrompt {
  prompt: string;
  /** Asks the plan must list, each matched case-insensitively against an ask's text. */
  asks: string[];
}

export const OFFLINE_CORPUS: readonly CorpusPrompt[] = [
  {
    prompt: 'A todo app for my weekly chores, with priorities',
    asks: ['priorities'],
  },
  {
    prompt:
      'Portfolio for Maya Okafor, wedding and wildlife photographer in Nairobi, dark with gold accents, gallery and contact form',
    asks: ['Maya Okafor', 'wedding', 'wildlife', 'Nairobi', 'gold', 'dark', 'gallery', 'contact'],
  },
  {
    prompt:
      'Sales dashboard for three coffee shops: revenue per shop, best-selling drinks, a 12-month chart',
    asks: ['coffee shops', 'drinks', 'three coffee shops', '12-month chart', 'revenue per shop'],
  },
  {
    prompt:
      "A page for my cat Biscuit's 5th birthday party on 14 March with a countdown, an RSVP list and pink balloons",
    asks: ['Biscuit', '5th birthday party', 'countdown', 'rsvp list', 'pink', 'March 14'],
  },
  {
    prompt: 'A landing page for a bakery called "Crumb & Co" in teal',
    asks: ['Crumb & Co', 'teal'],
  },
  {
    prompt:
      'Landing page for a yoga studio in Lisbon with pricing, testimonials and online booking',
    asks: ['Lisbon', 'pricing', 'testimonials', 'online booking'],
  },
  {
    prompt: 'Website for Sparkle Dental, a family dentist, with a map, opening hours and an FAQ',
    asks: ['Sparkle Dental', 'map', 'faq', 'contact'],
  },
  {
    prompt: 'A SaaS landing page for an invoicing startup, navy and orange, with a login page',
    asks: ['navy', 'orange', 'login'],
  },
  {
    prompt: 'Make me a homepage for my plumbing business, Rapid Pipes, with services and reviews',
    asks: ['Rapid Pipes', 'services', 'testimonials'],
  },
  {
    prompt: 'a one-page site for a florist named Petal Lane, in rose and sage, with a newsletter',
    asks: ['Petal Lane', 'rose', 'sage', 'newsletter'],
  },
  {
    prompt: 'Simple to-do list to track homework, with due dates and a calendar view',
    asks: ['due dates', 'calendar'],
  },
  {
    prompt: 'A grocery list app where I can filter by aisle, in green',
    asks: ['filter', 'green'],
  },
  {
    prompt: 'Task manager for my team with drag and drop and email reminders',
    asks: ['drag and drop', 'email reminders'],
  },
  {
    prompt: 'A packing list for my trip to Japan with high priority items first',
    asks: ['priority'],
  },
  {
    prompt: 'Portfolio for an illustrator named Tom Reyes with a lightbox gallery and testimonials',
    asks: ['Tom Reyes', 'lightbox', 'gallery', 'testimonials'],
  },
  {
    prompt:
      'portfolio site for an architect in Berlin, minimal, black and white, with an about section',
    asks: ['Berlin', 'black', 'about'],
  },
  {
    prompt: 'Showcase of my work as a product designer, with case studies and a contact form',
    asks: ['contact'],
  },
  {
    prompt: 'A resume site for a data scientist with a downloadable CV and dark mode',
    asks: ['dark'],
  },
  {
    prompt: 'A travel blog about backpacking in South America with comments and a newsletter',
    asks: ['comments', 'newsletter'],
  },
  {
    prompt: 'Recipe blog called "Salt & Thyme" with search and a purple theme',
    asks: ['Salt & Thyme', 'search', 'purple'],
  },
  {
    prompt: 'A personal journal blog in a serif style, light mode, with an about me page',
    asks: ['light', 'about'],
  },
  {
    prompt: 'Tech blog for developers with code articles, tags filter and an RSS feed',
    asks: ['filter'],
  },
  {
    prompt: 'Analytics dashboard for website traffic with charts and CSV export',
    asks: ['charts', 'export'],
  },
  {
    prompt: 'A fitness dashboard for my running: weekly distance, pace and a chart, in red',
    asks: ['chart', 'red'],
  },
  {
    prompt: 'Admin dashboard for two gyms showing members per gym with real-time updates',
    asks: ['two gyms', 'real-time'],
  },
  {
    prompt: 'Budget tracker dashboard with monthly spending by category and a dark theme',
    asks: ['dark'],
  },
  {
    prompt:
      'Dashboard for four bakeries: revenue per bakery, best-selling cakes and a 12-month graph',
    asks: ['four bakeries', 'cakes', '12-month graph'],
  },
  {
    prompt: 'An online shop selling candles with search, categories and a shopping cart',
    asks: ['search', 'shopping cart'],
  },
  {
    prompt: 'Product catalog for a plant nursery with filters, sorting and checkout',
    asks: ['filters', 'sorting', 'checkout'],
  },
  {
    prompt: 'E-commerce store for handmade shoes in Milan, brown and cream, with reviews',
    asks: ['Milan', 'brown', 'testimonials'],
  },
  {
    prompt: 'A bookshop catalogue with books such as Dune, Emma and Beloved',
    asks: ['Dune', 'Emma', 'Beloved'],
  },
  {
    prompt: 'Wedding website for Anna & Tom on June 14 at Willow Farm with RSVP and a schedule',
    asks: ['Anna & Tom', 'June 14', 'Willow Farm', 'rsvp', 'schedule'],
  },
  {
    prompt:
      'Tech conference page for DevSummit 2026 on 3 October in Austin with speakers and tickets',
    asks: ['DevSummit 2026', 'October 3', 'Austin', 'pricing'],
  },
  {
    prompt:
      'A birthday party page for my daughter Lily turning 7 on May 2 at 3pm, with a countdown',
    asks: ['Lily', 'May 2', '3:00 pm', 'countdown'],
  },
  {
    prompt: 'Event page for a charity gala with a livestream, an agenda and a map',
    asks: ['agenda', 'map', 'livestream'],
  },
  {
    prompt: 'Meetup page for JavaScript developers in Oslo, with RSVP and a guest list',
    asks: ['Oslo', 'guest list'],
  },
  {
    prompt: 'A restaurant menu for a sushi bar called Koi with a gallery, in navy',
    asks: ['Koi', 'gallery', 'navy'],
  },
  {
    prompt:
      'Menu for my pizzeria in Naples with a dietary filter and online ordering with payments',
    asks: ['Naples', 'filter', 'payments'],
  },
  {
    prompt: 'Cafe menu with dishes: avocado toast, shakshuka and pancakes, plus opening hours',
    asks: ['avocado toast', 'shakshuka', 'pancakes', 'contact'],
  },
  {
    prompt: 'A taqueria menu, green and yellow, with table reservations',
    asks: ['green', 'yellow', 'reservations'],
  },
  {
    prompt: 'A page about the history of jazz with a FAQ and a live chat',
    asks: ['faq', 'chat'],
  },
  {
    prompt: 'Information site about composting, in olive green, available in three languages',
    asks: ['green'],
  },
  {
    prompt: 'A site for my dog Rex with photos and a contact form, in orange',
    asks: ['Rex', 'gallery', 'contact', 'orange'],
  },
  {
    prompt: 'Community garden website with a calendar of events, a newsletter and file uploads',
    asks: ['calendar', 'newsletter', 'uploads'],
  },
];
