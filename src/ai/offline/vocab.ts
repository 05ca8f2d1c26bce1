/**
 * Keyword tables the prompt analysis scores against. Patterns run on lower-cased text in which
 * "to-do"/"to do" became "todo" and navigation-menu phrases were removed.
 */
import type { AppKind, PackId, SectionId } from './types.js';

type Weighted = readonly [RegExp, number];

function words(list: string): ReadonlySet<string> {
  return new Set(list.split(' '));
}

/** Each matching pattern adds its weight to the kind's score; the best score wins. */
export const KIND_RULES: Readonly<Record<Exclude<AppKind, 'general'>, readonly Weighted[]>> = {
  todo: [
    [/\btodos?\b/, 3],
    [/\b(track|keep track|organi[sz]e|remember)\b/, 1],
    [/\btask (list|manager|tracker|app|board|planner)s?\b/, 3],
    [/\b(checklists?|grocery list|shopping list|packing list|reading list)\b/, 3],
    [/\b(reminders?|chores?|errands)\b/, 2],
    [/\btasks?\b/, 1],
    [/\b(kanban|productivity|backlog)\b/, 1],
  ],
  portfolio: [
    [/\bportfolios?\b/, 3],
    [/\bshowcase (of )?(my|our) (work|projects|designs|photos)\b/, 3],
    [/\b(resume|résumé|cv|case stud(y|ies))\b/, 2],
    [/\bpersonal (site|website|page|homepage)\b/, 2],
    [/\bmy (work|projects)\b/, 1],
    [/\b(photographer|illustrator|designer|freelancer|architect|artist)\b/, 1],
  ],
  blog: [
    [/\bblog(s|ging|ger)?\b/, 3],
    [/\b(journal|vlog|diary)\b/, 2],
    [/\b(articles?|posts|essays|stories|magazine|writing|recipes)\b/, 1],
  ],
  dashboard: [
    [/\bdashboards?\b/, 3],
    [/\b(analytics|kpis?|metrics)\b/, 2],
    [/\b(charts?|graphs?|admin panel|visuali[sz]ations?)\b/, 2],
    [/\b(expense|budget|finance|sales|fitness|habit|spending|revenue) tracker\b/, 2],
    [/\b(stats|statistics|reports?|reporting|monitoring)\b/, 1],
  ],
  catalog: [
    [/\bcatalog(ue)?s?\b/, 3],
    [/\bproduct (list|listing|grid|page|gallery|range)s?\b/, 3],
    [/\b(e-?commerce|online (shop|store)|web ?shop|storefront|marketplace)\b/, 3],
    [/\b(selling|inventory|merch(andise)?)\b/, 2],
    [/\b(filter(s|ing|able)?|search(able)?|browse|categories)\b/, 1],
    [/\b(products?|shop|store|boutique|collection)\b/, 1],
  ],
  event: [
    [/\b(event (page|site|website|landing|invite|invitation)|save the date|rsvps?)\b/, 3],
    [
      /\b(conference|meetup|summit|hackathon|webinar|festival|concert|gala|fundraiser|expo|wedding|reunion|retreat|party|gig|tournament|symposium)s?\b/,
      2,
    ],
    [/\b(events?|workshop|ceremony|birthday|anniversary)\b/, 1],
    [/\b(tickets?|agenda|schedule|line-?up|speakers?|venue)\b/, 1],
  ],
  menu: [
    [/\bmenus?\b/, 3],
    [/\b(dishes|entr[eé]es|appetizers|starters|mains|desserts|wine list|cocktail list)\b/, 2],
    [
      /\b(restaurant|bistro|trattoria|pizzeria|diner|eatery|brasserie|taqueria|sushi|ramen|tapas|food truck|steakhouse|noodle bar)s?\b/,
      2,
    ],
  ],
  landing: [
    [/\blanding( page)?s?\b/, 3],
    [/\b(marketing|promo|sales|launch) (page|site)\b/, 2],
    [/\b(company|agency|startup|business|saas|firm|brand|consultancy|enterprise)\b/, 2],
    [
      /\b(bakery|caf[eé]|coffee shop|salon|gym|spa|clinic|barber(shop)?|florist|hotel|studio|plumb(er|ing)|dentist|law firm|practice|b&b|shop)\b/,
      1,
    ],
    [/\b(home ?page|one-page|single-page)\b/, 1],
  ],
};

/** Tie-break: more specific kinds first. */
export const KIND_PRIORITY: readonly AppKind[] = [
  'todo',
  'dashboard',
  'catalog',
  'menu',
  'event',
  'blog',
  'portfolio',
  'landing',
];

/** Phrases about site navigation that must not count as a restaurant menu. */
export const NAV_MENU =
  /\b(nav(igation)?|hamburger|dropdown|drop-down|mobile|side|top|main) menus?\b|\bmenu (bar|button|icon|items?)\b/g;

/** Patterns that ask for a section. */
export const SECTION_RULES: Readonly<Record<SectionId, readonly RegExp[]>> = {
  features: [
    /\bfeatures?\b(?! (a|an|the|our|my)\b)/,
    /\bbenefits\b/,
    /\bwhy (choose )?us\b/,
    /\bhow it works\b/,
  ],
  services: [/\bservices?\b/, /\bwhat (we|i) (do|offer)\b/, /\bofferings?\b/],
  about: [
    /\babout (us|me|section|page|the (company|team|owner|author|artist|chef))\b/,
    /\b(an?|the|with) about\b/,
    /\babout(?=\s*(,|&|\band\b|\bsections?\b))/,
    /\b(our|my) story\b/,
    /\bwho (we|i) (are|am)\b/,
    /\b(our )?mission\b/,
    /\bbio(graphy)?\b/,
  ],
  gallery: [/\bgallery\b/, /\b(photos|pictures|images|lookbook)\b/],
  team: [
    /(?<!\bfor )\b(our|the) team\b/,
    /\bmeet the (team|staff|founders|chefs?)\b/,
    /\bteam (section|members|bios|page)\b/,
    /\b(staff|founders)\b/,
  ],
  pricing: [/\b(pricing|price list|plans|packages|subscriptions?|tiers|rates|tickets)\b/],
  testimonials: [
    /\b(testimonials?|reviews?|social proof)\b/,
    /\bwhat (our )?(customers|clients|guests|people) (say|think)\b/,
  ],
  faq: [/\b(faqs?|frequently asked|questions|q ?& ?a|q and a)\b/],
  newsletter: [/\b(newsletter|mailing list|subscribe|email (signup|sign-up|list))\b/],
  contact: [
    /\b(contact|get in touch|reach (us|me)|enquir(y|ies)|inquir(y|ies)|booking form)\b/,
    /\b(opening hours|location|address|map|find us|visit us)\b/,
  ],
};

/** Sections when the prompt names none. */
export const DEFAULT_SECTIONS: Readonly<Record<AppKind, readonly SectionId[]>> = {
  landing: ['services', 'about', 'testimonials', 'contact'],
  general: ['features', 'about', 'faq', 'contact'],
  todo: [],
  dashboard: [],
  portfolio: ['about', 'services', 'contact'],
  blog: ['about', 'newsletter'],
  catalog: ['features', 'faq', 'contact'],
  event: ['faq'],
  menu: ['about', 'testimonials', 'contact'],
};

/** Which content family a subject belongs to. First matching rule wins. */
export const PACK_RULES: readonly (readonly [PackId, RegExp])[] = [
  [
    'food',
    /\b(bak(ery|er|ing)|caf[eé]|coffee|restaurant|bistro|trattoria|pizz(a|eria)|diner|eatery|brasserie|food|kitchen|catering|bar|pub|brewery|winery|tea ?(room|house|shop)|patisserie|donuts?|bagels?|burgers?|sushi|ramen|tapas|taqueria|chef|deli|juice|ice cream|gelato|chocolat(e|ier)|cakes?|cupcakes?|bread|pastry|pastries|menu|dishes|recipes?|cook(ing)?)\b/,
  ],
  [
    'fitness',
    /\b(gym|fitness|yoga|pilates|crossfit|personal trainer|training|workout|boxing|martial arts|climbing|running|cycling|dance studio|sports?)\b/,
  ],
  [
    'beauty',
    /\b(salon|spa|barber(shop)?|hair|nails?|beauty|skincare|massage|lashes|makeup|cosmetics|tattoo)\b/,
  ],
  [
    'health',
    /\b(clinic|dentist|dental|doctor|therapy|therapist|physio(therapy)?|vet(erinary)?|wellness|health|medical|counsell?ing|pharmacy|chiropract(or|ic))\b/,
  ],
  [
    'education',
    /\b(school|course|courses|tutor(ing)?|academy|classes|lessons|teach(er|ing)|education|learning|bootcamp|university|college|language)\b/,
  ],
  [
    'home',
    /\b(plumb(er|ing)|cleaning|cleaners|landscap(e|ing)|garden(ing|er)?|construction|builders?|electrician|repairs?|handyman|roofing|moving|movers|renovation|interior|painting|hvac|pest control|real estate|realtor|property)\b/,
  ],
  [
    'creative',
    /\b(photograph(y|er)|photos?|designer|design studio|illustrat(ion|or)|artist|art|painter|music(ian)?|band|singer|dj|writer|author|film(maker)?|video|animation|architect(ure)?|ceramics|pottery|craft)\b/,
  ],
  [
    'professional',
    /\b(law|lawyers?|legal|attorneys?|solicitors?|accounting|accountants?|tax|bookkeep(ing|er)|consult(ing|ancy|ants?)|financial advis(or|er)s?|insurance|notary)\b/,
  ],
  ['agency', /\b(agency|marketing|branding|advertising|seo|recruit(ing|ment)|strategy|pr)\b/],
  [
    'tech',
    /\b(startup|saas|app|software|platform|api|ai|developer tools?|devtools|cloud|analytics|tech|crypto|fintech|robot(s|ics)?|data|automation|cyber ?security|dashboard|code|coding)\b/,
  ],
  [
    'retail',
    /\b(shop|store|boutique|candles?|cloth(ing|es)|fashion|apparel|jewel(le)?ry|books?|bookstore|gear|outdoor|plants?|florist|flowers|furniture|shoes|sneakers|toys|gifts?|soap|tea|wine|vintage|records?|vinyl|bikes?|electronics|cameras?|products?|catalog(ue)?|merch)\b/,
  ],
];

/** Words that describe the page, not its subject; dropped when extracting the subject. */
export const FILLER_WORDS = words(
  'a an the my our your his her their this that some new simple modern clean beautiful ' +
    'minimal minimalist nice small little big responsive elegant professional cool colorful ' +
    'colourful basic fancy stylish sleek fun playful bold great good awesome quick cute dark ' +
    'light stunning polished premium friendly cozy cosy one-page single-page static react web ' +
    'online local tiny lovely page pages landing website site webpage homepage app ' +
    'application dashboard portfolio blog catalog catalogue menu todo tracker list themed ' +
    'theme style styled looking personal interactive mobile build make create generate ' +
    'me us please i we want need like would could kind sort type one called named event events ' +
    'product products',
);

/** Words that end a subject phrase. */
export const STOP_WORDS = words(
  'with that which who where when and or but to in on at by from using featuring including ' +
    'showing called named titled has have having should must will can is are was for of about ' +
    'plus also so as into like where it its via near',
);

/** Generic business nouns replaced by a brand-like suffix when naming ("startup" → "Labs"). */
export const GENERIC_NOUNS: Readonly<Record<string, string>> = {
  startup: 'Labs',
  company: 'Company',
  business: 'Co.',
  brand: 'Co.',
  agency: 'Agency',
  firm: 'Partners',
  consultancy: 'Consulting',
  saas: 'Cloud',
  app: 'App',
  product: 'Labs',
  enterprise: 'Group',
};
