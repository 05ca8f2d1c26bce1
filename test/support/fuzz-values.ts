import fc from 'fast-check';

/**
 * Hostile values for fuzzing: what storage refuses, sizes at and past every limit, wrong
 * types, numbers spelled every way, nesting deeper than parsers like, and raw URL pieces.
 */

const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800'];
const CONTROLS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u001b', '\u007f', '\u0085', '\u009f'];

/** Strings a hostile client sends: what storage refuses, sizes at and past every limit, tricks. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u3000',
    ...LONE_SURROGATES,
    ...CONTROLS,
    '\u2028\u2029',
    '\ufeff',
    '\uffff\ufffe',
    '\u202e',
    'e\u0301\u0301\u0301',
    '%00',
    '%ED%A0%80',
    '../../etc/passwd',
    "'; DROP TABLE builds; --",
    '${7*7}{{7*7}}',
    '__proto__',
    'null',
  ),
  fc
    .tuple(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(...LONE_SURROGATES, ...CONTROLS),
      fc.string({ maxLength: 20 }),
    )
    .map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer({ min: 19_990, max: 20_010 }).map((n) => 'w'.repeat(n)),
  fc.integer({ min: 190, max: 260 }).map((n) => '😀'.repeat(n)),
  fc.constantFrom(4_999, 70_000).map((n) => 'x'.repeat(n)),
);

/** Values of the wrong type for any field, and numbers at the edges of every range. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 5e-324),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom([], {}, [null], { length: 1 }, ['a', 'b']),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Query and header text for a numeric parameter: numbers spelled every way a parser reads. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '-0',
    '0',
    '2147483647',
    '2147483648',
    '9007199254740993',
    '1e400',
    '-1e400',
    '1.5',
    'NaN',
    'Infinity',
    '0x10',
    '0b1',
    '+1',
    ' 1 ',
    '1,2',
    '٣',
    'abc',
  ),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Nested arrays or objects `depth` deep, as JSON text (too deep for JSON.stringify to build). */
export function nestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/**
 * Percent-encodes every byte of the UTF-8 form except unreserved characters, so a value
 * reaches the router as one path segment exactly as sent (and is signed as sent).
 */
export function encodeSegment(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Raw path segments no encoder would produce: bad escapes, encoded separators, overlong. */
export const rawSegment: fc.Arbitrary<string> = fc.constantFrom(
  '%',
  '%zz',
  '%ED%A0%80',
  '%FF%FE',
  '%C0%AF',
  '%00',
  '%2F',
  '%2E%2E',
  '%252E',
  'A'.repeat(5000),
);
