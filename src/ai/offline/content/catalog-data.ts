/** Product ranges by shop type; listed items become categories (plural) or products. */
import { random, singular, titleCase } from '../text.js';

/** Each product: "Name|Category|price|emoji|Description" */
const RANGES: readonly (readonly [RegExp, readonly string[]])[] = [
  [
    /\b(outdoor|hiking|camping|trail|climbing|mountain|adventure)\b/,
    [
      'Ridgeline 2-Person Tent|Shelter|289|⛺|Freestanding, three-season tent that pitches in four minutes.',
      'Summit 40L Pack|Packs|169|🎒|Ventilated back panel and a rain cover tucked in the lid.',
      'Day Trail 22L Pack|Packs|89|🎒|Light, comfortable daypack with a hydration sleeve.',
      'Alpine Down Jacket|Apparel|219|🧥|800-fill down that packs into its own pocket.',
      'Merino Base Layer|Apparel|75|👕|Soft, odour-resistant merino for cold mornings.',
      'Trail Runner Shoes|Apparel|139|👟|Grippy, cushioned and quick to dry.',
      'Compact Camp Stove|Camp kitchen|59|🔥|Boils a litre of water in three minutes.',
      'Titanium Mug|Camp kitchen|29|☕|Weighs less than a phone, lasts a lifetime.',
      'Headlamp 400|Shelter|45|🔦|Bright, rechargeable and waterproof.',
    ],
  ],
  [
    /\b(fashion|cloth(ing|es)|apparel|boutique|wear|dresses|streetwear)\b/,
    [
      'Linen Shirt|Tops|68|👔|Breathable washed linen in a relaxed cut.',
      'Organic Cotton Tee|Tops|32|👕|Heavyweight organic cotton that softens with every wash.',
      'Wrap Midi Dress|Dresses|118|👗|Flowing viscose with an adjustable waist tie.',
      'Slip Dress|Dresses|96|👗|Bias-cut satin for evenings and weekends.',
      'Wool Overcoat|Outerwear|249|🧥|Italian wool blend, fully lined.',
      'Denim Jacket|Outerwear|110|🧥|Rigid denim that breaks in beautifully.',
      'Leather Tote|Accessories|145|👜|Vegetable-tanned leather with an inner pocket.',
      'Silk Scarf|Accessories|55|🧣|Hand-rolled edges, printed in small runs.',
      'Canvas Sneakers|Accessories|79|👟|Classic low-tops with natural rubber soles.',
    ],
  ],
  [
    /\b(books?|bookstore|bookshop|reading|novels?)\b/,
    [
      'The Quiet Orchard|Fiction|18|📗|A family saga across three generations of apple growers.',
      'Northern Lights, Southern Seas|Fiction|16|📘|A sweeping adventure of two sisters at sea.',
      'The Habit of Small Things|Non-fiction|22|📙|How tiny routines add up to a good life.',
      'A Short History of Maps|Non-fiction|26|🗺️|The stories behind the lines we draw.',
      'Milo and the Moon|Kids|12|🌙|A bedtime story about a very curious cat.',
      'Dinosaurs Up Close|Kids|15|🦕|Fold-out pages and astonishing facts.',
      'Simple Suppers|Cookbooks|28|🍲|Seventy weeknight recipes in under 30 minutes.',
      'The Bread Book|Cookbooks|30|🍞|From first loaf to perfect sourdough.',
    ],
  ],
  [
    /\b(plants?|garden(ing)?|nursery|succulents?|florist|flowers)\b/,
    [
      'Monstera Deliciosa|Houseplants|45|🪴|The classic split-leaf plant, about 60 cm tall.',
      'Fiddle Leaf Fig|Houseplants|65|🌳|A statement plant for a bright corner.',
      'Snake Plant|Houseplants|29|🌿|Thrives on neglect; great for beginners.',
      'Succulent Trio|Succulents|24|🌵|Three easy-care succulents in a gift box.',
      'Echeveria Rosette|Succulents|12|🌵|Soft blue-green rosettes that love the sun.',
      'Terracotta Planter|Pots & planters|22|🏺|Hand-thrown terracotta with a drainage dish.',
      'Glazed Ceramic Pot|Pots & planters|34|🏺|Speckled glaze in three colours.',
      'Watering Can|Care|28|🚿|Long brass spout for precise watering.',
      'Plant Food|Care|12|🧪|Gentle liquid feed for every houseplant.',
    ],
  ],
  [
    /\b(electronics|gadgets?|tech|audio|headphones|cameras?|computers?|phones?)\b/,
    [
      'Studio Wireless Headphones|Audio|199|🎧|Active noise cancelling and 40-hour battery.',
      'Pocket Speaker|Audio|79|🔊|Waterproof, rugged and surprisingly loud.',
      'Smart Plug (2-pack)|Smart home|29|🔌|Schedule lamps and appliances from your phone.',
      'Mesh Wi-Fi Kit|Smart home|249|📶|Fast, reliable coverage in every room.',
      'Fitness Band|Wearables|89|⌚|Sleep, heart rate and steps, seven-day battery.',
      'Smartwatch Pro|Wearables|329|⌚|Bright always-on display and GPS.',
      'USB-C Charger 65W|Accessories|49|🔋|Charges a laptop and phone at once.',
      'Braided Cable Set|Accessories|19|🧵|Three lengths, built to survive.',
    ],
  ],
  [
    /\b(coffee|tea|roaster(y)?|espresso)\b/,
    [
      'House Espresso Blend|Coffee|16|☕|Chocolate, cherry and a long caramel finish.',
      'Ethiopia Yirgacheffe|Coffee|19|☕|Floral, bright and juicy; great as pour-over.',
      'Decaf Colombia|Coffee|17|☕|Swiss-water decaf that still tastes like coffee.',
      'Jasmine Green Tea|Tea|14|🍵|Hand-rolled pearls scented with jasmine.',
      'Earl Grey Supreme|Tea|12|🫖|Bergamot, cornflower and a black tea base.',
      'Pour-Over Kit|Brewing gear|45|⚗️|Dripper, filters and a gooseneck kettle guide.',
      'Hand Grinder|Brewing gear|89|⚙️|Steel burrs for a perfectly even grind.',
      'Tasting Gift Box|Gifts|39|🎁|Three coffees, tasting notes and a mug.',
    ],
  ],
  [
    /\b(beauty|skincare|cosmetics|soap|spa|body care)\b/,
    [
      'Daily Gentle Cleanser|Skincare|24|🧴|Low-foam cleanser for all skin types.',
      'Hydrating Serum|Skincare|38|💧|Hyaluronic acid and niacinamide.',
      'Mineral Sunscreen SPF 50|Skincare|29|☀️|No white cast, fragrance free.',
      'Repair Hair Mask|Hair|26|💆|Deep conditioning once a week.',
      'Olive Oil Soap Bar|Body|9|🧼|Cold-process soap made in small batches.',
      'Body Oil|Body|32|🌸|Light, fast-absorbing and softly scented.',
      'Weekend Ritual Set|Gift sets|65|🎁|Cleanser, serum and mask in a keepsake box.',
    ],
  ],
];

const HOME_RANGE: readonly string[] = [
  'Cedar & Smoke Candle|Candles|32|🕯️|Hand-poured soy wax with a 50-hour burn.',
  'Fig Leaf Candle|Candles|28|🕯️|Green fig and soft woods in a ceramic vessel.',
  'Stoneware Mug|Ceramics|24|☕|Wheel-thrown and glazed by hand; no two alike.',
  'Serving Bowl|Ceramics|48|🥣|Generous speckled bowl for salads and sharing.',
  'Linen Napkins (set of 4)|Textiles|36|🧺|Stonewashed linen that gets softer over time.',
  'Wool Throw|Textiles|120|🧶|Woven on a traditional loom from undyed wool.',
  'Olive Wood Board|Kitchen|45|🪵|Cut from a single piece of sustainably sourced olive wood.',
  'Glass Carafe|Kitchen|29|🫙|Mouth-blown glass with a cork stopper.',
  'Everyday Tote|Accessories|22|👜|Heavy organic canvas with an inside pocket.',
];

const ADJECTIVES = ['Classic', 'Everyday', 'Signature'];
const CATEGORY_EMOJI: readonly (readonly [RegExp, string])[] = [
  [/shoe|sneaker|boot/i, '👟'],
  [/hat|cap/i, '🧢'],
  [/bag|tote|backpack/i, '👜'],
  [/shirt|tee|top/i, '👕'],
  [/dress/i, '👗'],
  [/jacket|coat/i, '🧥'],
  [/candle/i, '🕯️'],
  [/book/i, '📚'],
  [/plant/i, '🪴'],
  [/mug|cup|ceramic/i, '☕'],
  [/jewel|ring|necklace/i, '💍'],
  [/toy|game/i, '🧸'],
  [/watch/i, '⌚'],
  [/bike|bicycle/i, '🚲'],
  [/tea/i, '🍵'],
  [/coffee/i, '☕'],
  [/soap|skin/i, '🧴'],
  [/art|print|poster/i, '🖼️'],
];

function emojiFor(text: string): string {
  return CATEGORY_EMOJI.find(([test]) => test.test(text))?.[1] ?? '🛍️';
}

export interface ProductData {
  id: string;
  name: string;
  category: string;
  price: number;
  emoji: string;
  description: string;
  rating: number;
  badge: string;
}

type Row = readonly [string, string, number, string, string];

function parseRow(row: string): Row {
  const [name = '', category = '', price = '0', emoji = '🛍️', description = ''] = row.split('|');
  return [name, category, Number(price), emoji, description];
}

export function catalogData(topic: string, items: readonly string[], seed: number): ProductData[] {
  const rand = random(seed);
  let rows: Row[];
  if (items.length >= 2) {
    const plural = items.filter((item) => /s$/i.test(item)).length * 2 >= items.length;
    rows = plural
      ? items.slice(0, 6).flatMap((category) =>
          ADJECTIVES.map((adjective): Row => {
            const thing = titleCase(singular(category));
            const description =
              'Our ' +
              adjective.toLowerCase() +
              ' ' +
              thing.toLowerCase() +
              ': thoughtfully made and built to last.';
            return [
              adjective + ' ' + thing,
              titleCase(category),
              Math.round(18 + rand() * 120),
              emojiFor(category),
              description,
            ];
          }),
        )
      : items.map((item, index): Row => {
          const category = ['Featured', 'New arrivals', 'Bestsellers'][index % 3]!;
          const description = 'A customer favourite, carefully made and ready to ship.';
          return [item, category, Math.round(12 + rand() * 140), emojiFor(item), description];
        });
  } else {
    rows = (RANGES.find(([test]) => test.test(topic))?.[1] ?? HOME_RANGE).map(parseRow);
  }
  const badges = ['Bestseller', '', 'New', '', '', 'Limited', '', ''];
  return rows.map(([name, category, price, emoji, description], index) => ({
    id: 'p' + (index + 1),
    name,
    category,
    price,
    emoji,
    description,
    rating: Math.round((4 + rand()) * 10) / 10,
    badge: badges[(index + Math.floor(rand() * 3)) % badges.length] ?? '',
  }));
}
