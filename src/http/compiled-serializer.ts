import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * A response serializer compiled from the route's zod schema by fast-json-stringify, for the
 * most frequent reads. The zod serializer checks every value against the schema and then
 * calls JSON.stringify: for a build's status that took about a tenth of the worker's CPU per
 * read, where the compiled function writes the same bytes in about a quarter of the time.
 *
 * What it keeps: only the properties the schema declares are written (an unknown key is
 * dropped, as zod drops it), and a missing required one fails the response (a 500, as with
 * zod). What it does not: a value of the wrong type is converted rather than refused. The
 * handlers' return types are checked against the schema at compile time, so use it only where
 * the handler returns a typed view.
 */
export function compiledSerializer({ schema }: { schema: unknown }): (data: unknown) => string {
  const json = z.toJSONSchema(schema as z.ZodType, { io: 'output', target: 'draft-7' });
  return fastJson(json as Parameters<typeof fastJson>[0]);
}
