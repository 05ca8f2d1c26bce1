/** Menus by cuisine; dishes the prompt lists are sorted into sensible categories. */
import { random } from '../text.js';

/** name, description, price, dietary tags ("v" vegetarian, "vg" vegan, "gf" gluten-free, "hot" spicy) */
type Dish = readonly [string, string, number, string];
type Cuisine = { test: RegExp; categories: readonly (readonly [string, readonly Dish[]])[] };

const CUISINES: readonly Cuisine[] = [
  {
    test: /\b(bak(ery|er)|caf[eé]|coffee|patisserie|brunch|breakfast|tea ?room)\b/,
    categories: [
      [
        'Pastries',
        [
          [
            'Butter croissant',
            'Laminated over three days, crisp outside and soft within.',
            3.8,
            'v',
          ],
          ['Cardamom bun', 'Swedish-style knot with cardamom sugar.', 4.2, 'v'],
          ['Pain au chocolat', 'Two batons of dark chocolate in flaky pastry.', 4.1, 'v'],
          [
            'Seasonal fruit danish',
            'Vanilla custard and whatever the orchard sent this week.',
            4.5,
            'v',
          ],
        ],
      ],
      [
        'Breads',
        [
          ['Country sourdough', 'Our everyday loaf, 36-hour ferment, dark crust.', 7.5, 'vg'],
          ['Seeded rye', 'Dense, nutty and perfect with butter.', 8, 'vg'],
          ['Olive focaccia', 'Olive oil, rosemary and flaky salt.', 6.5, 'vg'],
        ],
      ],
      [
        'Brunch',
        [
          ['Avocado toast', 'Sourdough, smashed avocado, chilli and lime.', 11, 'vg,hot'],
          ['Ham & cheese croissant', 'Baked with béchamel and aged cheddar.', 9.5, ''],
          ['Granola bowl', 'House granola, yoghurt, berries and honey.', 8.5, 'v,gf'],
        ],
      ],
      [
        'Coffee & tea',
        [
          ['Espresso', 'Single-origin beans from our local roaster.', 3, 'vg,gf'],
          ['Flat white', 'Double shot with silky steamed milk.', 4.2, 'v,gf'],
          ['Chai latte', 'House-spiced chai brewed with whole spices.', 4.5, 'v,gf'],
          ['Loose-leaf tea', 'Green, black or herbal, served in a pot.', 3.8, 'vg,gf'],
        ],
      ],
    ],
  },
  {
    test: /\b(ital(y|ian)|pizz(a|eria)|pasta|trattoria|osteria)\b/,
    categories: [
      [
        'Antipasti',
        [
          ['Burrata', 'Creamy burrata, heirloom tomatoes, basil oil.', 13, 'v,gf'],
          ['Arancini', 'Saffron risotto balls with mozzarella centres.', 9, 'v'],
          ['Vitello tonnato', 'Thin-sliced veal with tuna-caper sauce.', 14, 'gf'],
        ],
      ],
      [
        'Pizza',
        [
          ['Margherita', 'San Marzano tomato, fior di latte, basil.', 15, 'v'],
          ['Diavola', 'Spicy salami, chilli honey, mozzarella.', 18, 'hot'],
          ['Funghi', 'Wild mushrooms, taleggio, thyme.', 17, 'v'],
        ],
      ],
      [
        'Pasta',
        [
          ['Cacio e pepe', 'Tonnarelli, pecorino romano, black pepper.', 16, 'v'],
          ['Tagliatelle al ragù', 'Slow-cooked beef and pork ragù.', 19, ''],
          ['Spaghetti alle vongole', 'Clams, garlic, white wine, parsley.', 22, ''],
        ],
      ],
      [
        'Dolci',
        [
          ['Tiramisù', 'Espresso-soaked savoiardi, mascarpone, cocoa.', 9, 'v'],
          ['Panna cotta', 'Vanilla panna cotta with berry compote.', 8, 'v,gf'],
          ['Affogato', 'Vanilla gelato drowned in espresso.', 6, 'v,gf'],
        ],
      ],
    ],
  },
  {
    test: /\b(japan(ese)?|sushi|ramen|izakaya|noodles?)\b/,
    categories: [
      [
        'Small plates',
        [
          ['Edamame', 'Steamed and tossed with sea salt.', 5, 'vg,gf'],
          ['Chicken karaage', 'Crispy fried chicken with yuzu mayo.', 10, ''],
          ['Gyoza', 'Pan-fried pork dumplings, chilli vinegar.', 9, 'hot'],
        ],
      ],
      [
        'Sushi',
        [
          ['Salmon nigiri', 'Two pieces, lightly torched.', 8, 'gf'],
          ['Spicy tuna roll', 'Tuna, chilli mayo, cucumber, sesame.', 12, 'hot'],
          ['Avocado maki', 'Ripe avocado and pickled radish.', 7, 'vg'],
        ],
      ],
      [
        'Ramen',
        [
          ['Tonkotsu', 'Rich pork broth, chashu, soft egg, nori.', 17, ''],
          ['Shoyu', 'Clear soy broth, chicken, bamboo shoots.', 16, ''],
          ['Miso vegetable', 'Miso broth, tofu, corn, greens.', 15, 'vg'],
        ],
      ],
      [
        'Desserts',
        [
          ['Matcha ice cream', 'Made in-house with ceremonial matcha.', 6, 'v,gf'],
          ['Mochi', 'Three pieces, seasonal flavours.', 7, 'v,gf'],
        ],
      ],
    ],
  },
  {
    test: /\b(mexic(o|an)|tacos?|taqueria|burritos?|cantina)\b/,
    categories: [
      [
        'To share',
        [
          ['Guacamole & chips', 'Made to order with lime and serrano chilli.', 9, 'vg,gf,hot'],
          ['Elote', 'Grilled corn, chipotle mayo, cotija, lime.', 7, 'v,gf'],
          ['Queso fundido', 'Melted cheese, chorizo, warm tortillas.', 11, ''],
        ],
      ],
      [
        'Tacos',
        [
          ['Al pastor', 'Marinated pork, pineapple, onion, cilantro.', 4.5, 'gf'],
          ['Baja fish', 'Beer-battered fish, cabbage slaw, crema.', 5, ''],
          ['Mushroom asada', 'Charred mushrooms, salsa verde.', 4, 'vg,gf'],
        ],
      ],
      [
        'Plates',
        [
          ['Carnitas plate', 'Slow-cooked pork, rice, beans, tortillas.', 18, 'gf'],
          ['Enchiladas verdes', 'Chicken, tomatillo salsa, crema.', 16, 'gf'],
        ],
      ],
      [
        'Dessert & drinks',
        [
          ['Churros', 'Cinnamon sugar and dark chocolate sauce.', 7, 'v'],
          ['Horchata', 'Rice and cinnamon, served over ice.', 4, 'vg,gf'],
          ['Agua fresca', 'Seasonal fruit, made daily.', 4, 'vg,gf'],
        ],
      ],
    ],
  },
  {
    test: /\b(indian|curry|curries|tandoori|masala|biryani)\b/,
    categories: [
      [
        'Starters',
        [
          ['Samosas', 'Spiced potato and pea, tamarind chutney.', 7, 'vg,hot'],
          ['Onion bhaji', 'Crisp fritters with mint raita.', 6, 'v,gf'],
          ['Chicken tikka', 'Tandoor-charred, yoghurt marinade.', 10, 'gf,hot'],
        ],
      ],
      [
        'Curries',
        [
          ['Butter chicken', 'Tomato, butter and fenugreek sauce.', 17, 'gf'],
          ['Chana masala', 'Chickpeas, tomato, warm spices.', 14, 'vg,gf,hot'],
          ['Lamb rogan josh', 'Slow-cooked lamb, Kashmiri chilli.', 19, 'gf,hot'],
        ],
      ],
      [
        'Breads & rice',
        [
          ['Garlic naan', 'Fresh from the tandoor.', 4, 'v'],
          ['Jeera rice', 'Basmati with toasted cumin.', 4, 'vg,gf'],
        ],
      ],
      [
        'Desserts',
        [
          ['Gulab jamun', 'Warm milk dumplings in rose syrup.', 6, 'v'],
          ['Mango lassi', 'Alphonso mango and yoghurt.', 5, 'v,gf'],
        ],
      ],
    ],
  },
  {
    test: /\b(burgers?|diner|grill|bbq|barbecue|smokehouse|american)\b/,
    categories: [
      [
        'Starters',
        [
          ['Buffalo wings', 'Hot sauce, blue cheese dip, celery.', 11, 'gf,hot'],
          ['Loaded fries', 'Cheese sauce, bacon, spring onion.', 9, ''],
        ],
      ],
      [
        'Burgers',
        [
          ['Classic cheeseburger', 'Double patty, cheddar, pickles, house sauce.', 15, ''],
          ['Smokehouse', 'Bacon, onion rings, BBQ sauce.', 17, ''],
          ['Garden burger', 'Black bean patty, avocado, chipotle mayo.', 14, 'v'],
        ],
      ],
      [
        'Sides',
        [
          ['Skin-on fries', 'Double-cooked with sea salt.', 5, 'vg,gf'],
          ['Mac & cheese', 'Three cheeses and a crunchy top.', 7, 'v'],
          ['Slaw', 'Crunchy cabbage, apple and herbs.', 4, 'vg,gf'],
        ],
      ],
      [
        'Shakes & desserts',
        [
          ['Vanilla shake', 'Thick, cold and made with real ice cream.', 7, 'v,gf'],
          ['Brownie sundae', 'Warm brownie, ice cream, fudge sauce.', 8, 'v'],
        ],
      ],
    ],
  },
];

const BISTRO: Cuisine = {
  test: /$^/,
  categories: [
    [
      'Starters',
      [
        ['Soup of the day', 'Made fresh each morning, served with warm bread.', 8, 'v'],
        ['Burrata & peaches', 'Basil, toasted almonds, olive oil.', 13, 'v,gf'],
        ['Crispy calamari', 'Lemon aioli and smoked paprika.', 12, ''],
      ],
    ],
    [
      'Mains',
      [
        ['Roast chicken', 'Half chicken, herb butter, seasonal greens.', 24, 'gf'],
        ['Pan-seared salmon', 'Crushed potatoes, capers, brown butter.', 27, 'gf'],
        ['Wild mushroom risotto', 'Parmesan, thyme and a little truffle oil.', 21, 'v,gf'],
        ['Steak frites', 'Hanger steak, fries, peppercorn sauce.', 29, ''],
      ],
    ],
    [
      'Desserts',
      [
        ['Chocolate fondant', 'Molten centre, vanilla ice cream.', 10, 'v'],
        ['Lemon tart', 'Buttery pastry, sharp lemon curd.', 9, 'v'],
        ['Cheese board', 'Three local cheeses, chutney, crackers.', 14, 'v'],
      ],
    ],
    [
      'Drinks',
      [
        ['House lemonade', 'Fresh lemons, mint, a little fizz.', 5, 'vg,gf'],
        ['Glass of wine', 'Ask about tonight’s red, white and rosé.', 9, 'vg,gf'],
        ['Local craft beer', 'Rotating tap from the brewery down the road.', 7, 'vg'],
      ],
    ],
  ],
};

const ITEM_CATEGORIES: readonly (readonly [string, RegExp, number])[] = [
  [
    'Drinks',
    /\b(coffee|tea|latte|espresso|cappuccino|juice|smoothie|soda|lemonade|wine|beer|cocktails?|water|shake|lassi|chai|mocha)\b/i,
    5,
  ],
  [
    'Desserts',
    /\b(cake|tiramis[uù]|pie|ice cream|gelato|cookies?|brownies?|desserts?|tarts?|pudding|cheesecake|churros|mochi|sundae|cupcakes?|macarons?|donuts?|croissants?|muffins?|pastr(y|ies))\b/i,
    8,
  ],
  [
    'Starters',
    /\b(soup|salad|bread|fries|wings|bruschetta|dips?|hummus|nachos|edamame|olives|antipasti|starters?|samosas?|dumplings?|gyoza|spring rolls?)\b/i,
    9,
  ],
];

export interface DishData {
  id: string;
  name: string;
  description: string;
  price: string;
  tags: string[];
}

export function menuData(
  topic: string,
  items: readonly string[],
  seed: number,
  money: (n: number) => string,
) {
  const rand = random(seed);
  let categories: (readonly [string, readonly Dish[]])[];
  if (items.length >= 2) {
    const groups = new Map<string, Dish[]>();
    for (const item of items) {
      const hit = ITEM_CATEGORIES.find(([, test]) => test.test(item));
      const category = hit ? hit[0] : 'Mains';
      const base = hit ? hit[2] : 16;
      const price = Math.round((base + rand() * base * 0.6) * 2) / 2;
      const dish: Dish = [item, 'Prepared fresh to order with seasonal ingredients.', price, ''];
      groups.set(category, [...(groups.get(category) ?? []), dish]);
    }
    const order = ['Starters', 'Mains', 'Desserts', 'Drinks'];
    categories = order
      .filter((name) => groups.has(name))
      .map((name) => [name, groups.get(name) ?? []] as const);
  } else {
    categories = [...(CUISINES.find((cuisine) => cuisine.test.test(topic)) ?? BISTRO).categories];
  }
  let count = 0;
  return categories.map(([name, dishes], index) => ({
    id: 'cat-' + (index + 1),
    name,
    dishes: dishes.map(([dish, description, price, tags]): DishData => ({
      id: 'dish-' + ++count,
      name: dish,
      description,
      price: money(price),
      tags: tags ? tags.split(',') : [],
    })),
  }));
}
