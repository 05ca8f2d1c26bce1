/** Portfolio fields: the person's role, their pitch and a set of projects. */

/** Each project: "Title|Category|Year|emoji|Summary|Detail|tag, tag" */
interface Field {
  test: RegExp;
  role: string;
  tagline: string;
  description: string;
  skills: readonly string[];
  projects: readonly string[];
}

export const FIELDS: readonly Field[] = [
  {
    test: /\b(photo(graphy|grapher|s)?|camera)\b/,
    role: 'Photographer',
    tagline: 'Portraits, places and quiet moments, captured in natural light.',
    description:
      'I photograph people and places for magazines, brands and couples who want pictures that feel honest.',
    skills: ['Portrait', 'Editorial', 'Weddings', 'Film photography', 'Colour grading'],
    projects: [
      'Northern Light|Landscape|2025|🌄|A winter series along the Arctic coast.|Three weeks of short days and long blue hours, shot on medium-format film.|Film, Travel',
      'Faces of the Market|Portrait|2024|🧑‍🌾|Portraits of the traders at a century-old market.|Made over twelve Saturdays with a single lens and a borrowed reflector.|Portrait, Documentary',
      'Slow Sunday|Editorial|2024|☕|A lifestyle story for an independent magazine.|Styled and shot in a single afternoon in a sunlit apartment.|Editorial, Lifestyle',
      'Salt & Stone|Weddings|2023|💍|An intimate coastal wedding.|Twenty guests, one windy cliff and a lot of laughter.|Weddings',
      'City After Rain|Street|2023|🌧️|Reflections and neon after evening showers.|Shot over a rainy autumn on a compact camera.|Street, Night',
      'Makers|Portrait|2022|🪚|Craftspeople in their workshops.|A commission for a design festival, exhibited as large prints.|Portrait, Commission',
    ],
  },
  {
    test: /\b(develop(er|ment)|engineer(ing)?|programm(er|ing)|software|coder|full[- ]?stack|front[- ]?end|back[- ]?end|web dev)\b/,
    role: 'Software Developer',
    tagline: 'I build fast, accessible web apps that people enjoy using.',
    description:
      'Full-stack developer focused on clean code, thoughtful interfaces and products that solve real problems.',
    skills: ['TypeScript', 'React', 'Node.js', 'PostgreSQL', 'Accessibility', 'Testing'],
    projects: [
      'Ledger|Web app|2025|📒|A budgeting app for freelancers.|Built the React front end and a Node API; onboarding time fell by half.|React, Node.js',
      'Transit Live|Mobile|2024|🚌|Real-time arrivals for a city bus network.|Streams vehicle positions to 40,000 daily riders with sub-second updates.|Realtime, Maps',
      'Docs Search|Open source|2024|🔎|Instant search for documentation sites.|A tiny library with fuzzy matching, now used by 300+ projects.|Open source, Search',
      'Shopfront|E-commerce|2023|🛒|A headless storefront for an independent brand.|Lighthouse score of 100 and a 30% lift in conversion.|Performance, E-commerce',
      'Pulse|Dashboard|2023|📈|Monitoring dashboards for a logistics start-up.|Charts and alerts over millions of events a day.|Data, Charts',
      'Form Kit|Open source|2022|🧩|Accessible form components.|Keyboard-first, screen-reader tested and fully typed.|Accessibility, Components',
    ],
  },
  {
    test: /\b(architect(ure)?|interiors?|interior design)\b/,
    role: 'Architect',
    tagline: 'Calm, light-filled spaces designed around the people who use them.',
    description:
      'I design homes, studios and small public buildings with natural materials and a lot of daylight.',
    skills: ['Residential', 'Adaptive reuse', 'Timber construction', 'Interior design', 'Planning'],
    projects: [
      'Courtyard House|Residential|2025|🏡|A family home around a planted courtyard.|Cross-laminated timber, deep eaves and a kitchen that opens to the garden.|Timber, Residential',
      'The Old Mill|Adaptive reuse|2024|🏭|A mill turned into studios and a café.|Kept the brick shell, added a light steel mezzanine.|Reuse, Workspace',
      'Library Pavilion|Public|2024|📚|A small neighbourhood library.|A single generous room with reading nooks along the windows.|Public, Community',
      'Lake Cabin|Residential|2023|🌲|A weekend cabin on stilts.|Built from local larch with a wood stove and a sleeping loft.|Cabin, Timber',
      'Studio Apartment|Interior|2023|🛋️|A 38 m² flat that feels twice the size.|Built-in storage, a fold-down desk and pale oak throughout.|Interior, Small spaces',
    ],
  },
  {
    test: /\b(illustrat(ion|or)|artist|art|painter|painting|animation|animator)\b/,
    role: 'Illustrator',
    tagline: 'Playful, colourful illustrations for books, brands and walls.',
    description:
      'I draw characters, maps and patterns for publishers, brands and anyone who wants a little more colour.',
    skills: ['Editorial illustration', 'Children’s books', 'Murals', 'Pattern design', 'Animation'],
    projects: [
      'The Fox Who Counted Stars|Books|2025|🦊|A picture book for ages 3 to 6.|Thirty-two spreads in gouache and coloured pencil.|Children’s book',
      'City Map Series|Editorial|2024|🗺️|Illustrated maps for a travel magazine.|Six cities, each with hidden details for eagle-eyed readers.|Maps, Editorial',
      'Garden Wall|Murals|2024|🌻|A mural for a community garden.|Painted with forty volunteers over one weekend.|Mural, Community',
      'Tea Tins|Packaging|2023|🫖|Packaging illustrations for a tea brand.|A pattern family that works across twelve flavours.|Packaging, Pattern',
      'Little Animations|Animation|2023|🎞️|Looping animations for social media.|Hand-drawn frame by frame for a museum campaign.|Animation',
    ],
  },
  {
    test: /\b(writ(er|ing)|author|copywrit(er|ing)|journalis(t|m)|editor)\b/,
    role: 'Writer',
    tagline: 'Clear, warm words for brands, magazines and books.',
    description:
      'I write features, essays and brand stories, and help teams find a voice that sounds like them.',
    skills: ['Features', 'Essays', 'Brand voice', 'Editing', 'Interviews'],
    projects: [
      'The Last Ferry|Feature|2025|⛴️|A long read about an island’s only ferry.|Published in a national weekend magazine.|Feature, Travel',
      'Tone of Voice|Brand|2024|🗣️|A voice guide for a fintech start-up.|Workshops, guidelines and a rewrite of every product screen.|Brand, UX writing',
      'Kitchen Table|Essays|2024|🍽️|A collection of essays about family meals.|Twelve essays, later published as a small book.|Essays, Food',
      'Makers Interviews|Interviews|2023|🎙️|A series of conversations with craftspeople.|Twenty interviews over a year for a design journal.|Interviews',
      'Annual Report|Brand|2023|📄|A readable annual report for a charity.|Turned 80 pages of data into stories people finished.|Editing, Non-profit',
    ],
  },
];

export const DESIGN_FIELD: Field = {
  test: /$^/,
  role: 'Product Designer',
  tagline: 'I design simple, useful products and the brands behind them.',
  description:
    'Designer working across product, brand and web, with a love for clear systems and small details.',
  skills: ['Product design', 'Brand identity', 'Design systems', 'Prototyping', 'User research'],
  projects: [
    'Fieldnotes|Product|2025|📝|A note-taking app for researchers.|Led design from first sketches to launch; 4.8★ in the app store.|Product, Mobile',
    'Harbor Bank|Brand|2024|🏦|A friendly identity for a community bank.|Logo, type system and a library of illustrations.|Brand, Identity',
    'Design System|Systems|2024|🧩|Components for a SaaS product family.|120 components used by six product teams.|Systems, Components',
    'Greenhouse|Web|2023|🌱|A website for a sustainable architecture studio.|Editorial layouts and a custom project archive.|Web, Editorial',
    'Checkout Redesign|Product|2023|🛒|A faster checkout for an online grocer.|Three steps instead of six; conversion up 18%.|Product, Research',
    'Festival Poster Series|Brand|2022|🎪|Posters for a summer music festival.|Bold type and a palette drawn from the lineup.|Print, Typography',
  ],
};

export function portfolioField(topic: string): Field {
  return FIELDS.find((field) => field.test.test(topic)) ?? DESIGN_FIELD;
}

export interface ProjectData {
  id: string;
  title: string;
  category: string;
  year: string;
  emoji: string;
  summary: string;
  detail: string;
  tags: string[];
  hue: number;
}

/** Project rows for the categories a prompt named: no canned title stands in for them. */
function categoryRows(field: Field, categories: readonly string[], city: string): string[][] {
  const rows = field.projects.map((row) => row.split('|'));
  return rows.slice(0, Math.max(categories.length * 2, 4)).map((row, index) => {
    const category = categories[index % categories.length] ?? 'Project';
    const round = Math.floor(index / categories.length);
    const title =
      round === 0 && city ? category + ' in ' + city : category + ' series ' + (round + 1);
    return [
      title,
      category,
      row[2] ?? '2025',
      row[3] ?? '✨',
      'Selected ' + category.toLowerCase() + ' work.',
      '',
      category,
    ];
  });
}

export function portfolioProjects(
  field: Field,
  items: readonly string[],
  baseHue: number,
  categories: readonly string[] = [],
  city = '',
): ProjectData[] {
  const rows = field.projects.map((row) => row.split('|'));
  const source =
    items.length >= 2
      ? items.map((title, index) => {
          const row = rows[index % rows.length] ?? [];
          return [
            title,
            categories[index % Math.max(categories.length, 1)] ?? row[1] ?? 'Project',
            row[2] ?? '2025',
            row[3] ?? '✨',
            'A selected project, from first idea to finished work.',
            row[5] ?? '',
            row[6] ?? '',
          ];
        })
      : categories.length > 0
        ? categoryRows(field, categories, city)
        : rows;
  return source.map((row, index) => ({
    id: 'project-' + (index + 1),
    title: row[0] ?? '',
    category: row[1] ?? 'Project',
    year: row[2] ?? '',
    emoji: row[3] ?? '✨',
    summary: row[4] ?? '',
    detail: row[5] ?? '',
    tags: (row[6] ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
    hue: (baseHue + index * 47) % 360,
  }));
}

export const PEOPLE = [
  'Maya Chen',
  'Alex Morgan',
  'Sam Rivera',
  'Noa Levi',
  'Jordan Blake',
  'Priya Patel',
  'Leo Martins',
  'Iris Novak',
];

/** The blog's author, stable for an app (chosen by its seed). */
export function authorOf(seed: number): string {
  return PEOPLE[(seed + 2 * 7919) % PEOPLE.length] ?? 'Alex Morgan';
}
