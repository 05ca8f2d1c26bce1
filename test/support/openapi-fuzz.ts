import fc from 'fast-check';
import {
  encodeSegment,
  hostileNumberText,
  hostileString,
  nestedJson,
  rawSegment,
  wrongType,
} from './fuzz-values.js';

/**
 * Requests for property-based fuzzing, generated from the app's own OpenAPI document: valid
 * values from each operation's schemas, then hostile mutations of them. Only the subset of
 * JSON Schema the route schemas produce is understood; anything else reads as "any JSON".
 */

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path template, `/v1/builds/{buildId}`. */
  path: string;
  params: Array<{
    name: string;
    in: 'path' | 'query' | 'header';
    schema: JsonSchema;
    required: boolean;
  }>;
  body: JsonSchema | undefined;
  /** The secret the operation's security names; undefined for a public operation. */
  auth: 'public' | 'app' | 'admin';
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  security?: Array<Record<string, string[]>>;
}
interface OpenApiOperation {
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; schema: JsonSchema; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const security = op.security ?? doc.security ?? [];
      const names = security.flatMap((s) => Object.keys(s));
      out.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        params: (op.parameters ?? [])
          .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
          .map((p) => ({
            name: p.name,
            in: p.in as 'path' | 'query' | 'header',
            schema: p.schema,
            required: p.required ?? false,
          })),
        body: op.requestBody?.content?.['application/json']?.schema,
        auth: names.includes('sheenAdminSignature') ? 'admin' : names.length ? 'app' : 'public',
      });
    }
  }
  return out;
}

/** Known-good values by field name (ids of rows that exist), mixed in with generated ones. */
export type Seeds = Record<string, string[]>;

/** A value the schema accepts. Strings stay short unless the schema's bounds are the point. */
export function validValue(schema: JsonSchema, name: string, seeds: Seeds): fc.Arbitrary<unknown> {
  const seeded = seeds[name];
  const generated = fromSchema(schema, seeds);
  return seeded?.length ? fc.oneof(fc.constantFrom(...seeded), generated) : generated;
}

function fromSchema(schema: JsonSchema, seeds: Seeds): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => fromSchema(v, seeds)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return integerFor(schema);
    case 'number':
      return fc.double({ noNaN: true, min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(fromSchema(schema.items ?? {}, seeds), { maxLength: 5 });
    case 'object':
      return objectFor(schema, seeds);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 1000;
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  const text = fc.string({ minLength: Math.max(min, 1), maxLength: Math.min(max, 80) });
  const prose = fc
    .array(fc.constantFrom('bakery', 'shop', 'Café', 'menu', '😀', 'блог', '\n', 'tab\t', ' '), {
      minLength: 1,
      maxLength: 12,
    })
    .map((words) => words.join(' '))
    .filter((s) => s.trim().length >= min && s.length <= max);
  // The bounds themselves: the longest value accepted, as one word, spaced, and astral.
  const atMax = fc.constantFrom('a'.repeat(max), 'ab '.repeat(max).slice(0, max)).filter(fits);
  return fc.oneof({ arbitrary: text, weight: 3 }, { arbitrary: prose, weight: 3 }, atMax);
}

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -(2 ** 31);
  const max = schema.maximum ?? 2 ** 31 - 1;
  return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
}

function objectFor(schema: JsonSchema, seeds: Seeds): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, value] of Object.entries(props)) model[key] = validValue(value, key, seeds);
  return fc.record(model, { requiredKeys: schema.required ?? [] });
}

export interface FuzzRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** How the request is signed: properly for the route, or one of the ways a client gets it wrong. */
  signing: 'proper' | 'none' | 'other-secret' | 'garbage';
}

/** One request for an operation: mostly valid and properly signed, often hostile in one place. */
export function requestFor(op: Operation, seeds: Seeds): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: pathFor(op, seeds),
      query: queryFor(op),
      headers: headersFor(op),
      body: op.body
        ? bodyFor(op.body, seeds)
        : fc.oneof(
            { arbitrary: fc.constant(undefined), weight: 9 },
            { arbitrary: rawBodies, weight: 1 },
          ),
      contentType: contentType,
      signing: fc.constantFrom<FuzzRequest['signing']>(
        ...Array<FuzzRequest['signing']>(27).fill('proper'),
        'none',
        'other-secret',
        'garbage',
      ),
    })
    .map(({ path, query, headers, body, contentType: type, signing }) => ({
      method: op.method,
      url: query ? `${path}?${query}` : path,
      headers:
        body === undefined || type === undefined ? headers : { ...headers, 'content-type': type },
      body,
      signing,
    }));
}

function pathFor(op: Operation, seeds: Seeds): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const segment = (name: string) => {
    const param = op.params.find((p) => p.in === 'path' && p.name === name);
    const valid = validValue(param?.schema ?? { type: 'string' }, name, seeds).map(String);
    return fc.oneof(
      { arbitrary: valid.map(encodeSegment), weight: 6 },
      { arbitrary: hostileString.filter((s) => s !== '').map(encodeSegment), weight: 2 },
      { arbitrary: rawSegment, weight: 1 },
    );
  };
  return fc
    .tuple(...names.map(segment))
    .map((values) =>
      names.reduce((path, name, i) => path.replace(`{${name}}`, values[i] ?? ''), op.path),
    );
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const pairs = op.params
    .filter((p) => p.in === 'query')
    .map((p) =>
      fc.option(
        fc
          .oneof(
            { arbitrary: fromSchema(p.schema, {}).map(String), weight: 3 },
            { arbitrary: hostileNumberText, weight: 2 },
            { arbitrary: hostileString, weight: 1 },
          )
          .map((value) => [`${encodeSegment(p.name)}=${encodeSegment(value)}`]),
        { nil: [] as string[] },
      ),
    );
  const junk = fc.option(
    fc.constantFrom(
      'x=1',
      'lastEventId=1&lastEventId=2',
      'lastEventId[]=1',
      '__proto__[admin]=1',
      'constructor=x',
      '%00=%00',
      'a=%ED%A0%80',
      '=',
      '&&',
      '%',
    ),
    { nil: undefined },
  );
  return fc
    .tuple(fc.tuple(...pairs), junk)
    .map(([parts, extra]) => [...parts.flat(), ...(extra ? [extra] : [])].join('&'));
}

/** Header values as HTTP can carry them: tab and bytes 0x20-0xFF only. */
const headerSafe = (value: string) => value.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

function headersFor(op: Operation): fc.Arbitrary<Record<string, string>> {
  const params = op.params
    .filter((p) => p.in === 'header')
    .map((p) =>
      fc.option(
        fc
          .oneof(fromSchema(p.schema, {}).map(String), hostileNumberText, hostileString)
          .map((value) => [p.name, headerSafe(value)] as const),
        { nil: undefined },
      ),
    );
  const requestId = fc.option(
    fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('trace-abc-12345', 'x'.repeat(129))),
    { nil: undefined },
  );
  return fc.tuple(fc.tuple(...params), requestId).map(([values, id]) => ({
    ...Object.fromEntries(values.filter((v) => v !== undefined)),
    ...(id === undefined ? {} : { 'x-request-id': headerSafe(id) }),
  }));
}

const contentType = fc.constantFrom<string | undefined>(
  ...Array<string>(12).fill('application/json'),
  'application/json; charset=utf-8',
  'Application/JSON',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/json-patch+json',
  undefined,
);

/** Whole bodies no schema describes: empty, not an object, not JSON, not UTF-8, too big. */
const rawBodies: fc.Arbitrary<string | Buffer> = fc.constantFrom<string | Buffer>(
  '',
  'null',
  '[]',
  '"x"',
  '1',
  'true',
  '{',
  '{"a":1,}',
  '\ufeff{}',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  nestedJson(100_000, 'array'),
  nestedJson(20_000, 'object'),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  `{"prompt":"${'x'.repeat(1_100_000)}"}`,
);

function bodyFor(schema: JsonSchema, seeds: Seeds): fc.Arbitrary<string | Buffer> {
  const valid = objectFor(schema, seeds);
  const keys = Object.keys(schema.properties ?? {});
  const key = keys.length ? fc.constantFrom(...keys) : fc.constant('field');
  const withField = (value: fc.Arbitrary<unknown>) =>
    fc.tuple(valid, key, value).map(([body, k, v]) => JSON.stringify({ ...body, [k]: v }));
  const nested = fc
    .tuple(
      valid,
      key,
      fc.constantFrom(50, 1000, 10_000, 100_000),
      fc.constantFrom('array', 'object'),
    )
    .map(([body, k, depth, kind]) =>
      JSON.stringify({ ...body, [k]: 0 }).replace(
        `${JSON.stringify(k)}:0`,
        `${JSON.stringify(k)}:${nestedJson(depth, kind)}`,
      ),
    );
  const missing = fc
    .tuple(valid, fc.constantFrom(...(schema.required ?? ['none'])))
    .map(([body, k]) => JSON.stringify({ ...body, [k]: undefined }));
  const extra = fc
    .tuple(valid, fc.dictionary(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 })))
    .map(([body, more]) => JSON.stringify({ ...more, ...body }));
  const duplicate = fc.tuple(valid, key, hostileString).map(([body, k, v]) =>
    JSON.stringify(body)
      .replace(/}$/, `,${JSON.stringify(k)}:${JSON.stringify(v)}}`)
      .replace('{,', '{'),
  );
  return fc.oneof(
    { arbitrary: valid.map((body) => JSON.stringify(body)), weight: 8 },
    { arbitrary: withField(hostileString), weight: 6 },
    { arbitrary: withField(wrongType), weight: 2 },
    { arbitrary: missing, weight: 1 },
    { arbitrary: extra, weight: 1 },
    { arbitrary: duplicate, weight: 1 },
    { arbitrary: nested, weight: 1 },
    { arbitrary: rawBodies, weight: 1 },
  );
}
