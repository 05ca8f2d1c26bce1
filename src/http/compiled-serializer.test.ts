import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compiledSerializer, foldNullables } from './compiled-serializer.js';

// The shapes a build's status holds: enums, nullable scalars and objects, arrays of objects,
// a free-form record, descriptions.
const schema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'succeeded']),
  stage: z.enum(['plan', 'build']).nullable(),
  stages: z.array(
    z.object({ name: z.string(), startedAt: z.string().nullable(), ms: z.number().nullable() }),
  ),
  error: z.object({ code: z.string(), hint: z.string() }).nullable(),
  usage: z.object({ calls: z.number(), engines: z.array(z.string()), ok: z.boolean() }),
  evidence: z.record(z.string(), z.unknown()).describe('Measured facts.'),
  plan: z.object({ summary: z.string().describe('What it builds.') }).nullable(),
});
type Value = z.infer<typeof schema>;

const zodSerialize: (data: unknown) => string = serializerCompiler({
  schema,
  method: 'GET',
  url: '/x',
});
const serialize = compiledSerializer({ schema });

const full: Value = {
  id: '01J',
  status: 'running',
  stage: 'build',
  stages: [
    { name: 'plan', startedAt: '2026-12-06T10:00:00.000Z', ms: 12 },
    { name: 'build', startedAt: null, ms: null },
  ],
  error: { code: 'BUILD_FAILED', hint: 'Quote "this" and \\ that\n' },
  usage: { calls: 3, engines: ['anthropic', 'offline'], ok: true },
  evidence: { files: ['index.html'], nested: { n: 1.5, s: 'é' }, missing: null },
  plan: { summary: 'A page with </script> in it.' },
};
const empty: Value = {
  id: '',
  status: 'queued',
  stage: null,
  stages: [],
  error: null,
  usage: { calls: 0, engines: [], ok: false },
  evidence: {},
  plan: null,
};

describe('compiledSerializer', () => {
  it('writes the same bytes as the zod serializer', () => {
    for (const value of [full, empty, { ...full, error: null, plan: null, stage: null }]) {
      expect(serialize(value)).toBe(zodSerialize(value));
      expect(JSON.parse(serialize(value))).toEqual(value);
    }
  });

  it('drops properties the schema does not declare, at every level', () => {
    const extra = {
      ...full,
      secret: 'never sent',
      usage: { ...full.usage, internal: 1 },
      stages: [{ ...full.stages[0], token: 'x' }],
    };
    const out = serialize(extra);
    expect(out).not.toContain('never sent');
    expect(out).not.toContain('internal');
    expect(out).not.toContain('token');
    expect(out).toBe(zodSerialize(extra));
  });

  it('fails a response that lacks a required property, as the zod serializer does', () => {
    const withoutId: Partial<Value> = { ...full };
    delete withoutId.id;
    expect(() => zodSerialize(withoutId)).toThrow();
    expect(() => serialize(withoutId)).toThrow(/id/);
  });

  it('writes nullable values with a null check, not a validator run per value', () => {
    const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7' });
    const folded = JSON.stringify(foldNullables(json));
    expect(JSON.stringify(json)).toContain('anyOf');
    expect(folded).not.toContain('anyOf');
    expect(folded).toContain('"nullable":true');
  });
});

describe('foldNullables', () => {
  it('folds a nullable at any depth and keeps its description', () => {
    const folded = foldNullables({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          when: { anyOf: [{ type: 'null' }, { type: 'string', enum: ['a'] }], description: 'd' },
        },
      },
    });
    expect(folded).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: { when: { type: 'string', enum: ['a'], nullable: true, description: 'd' } },
      },
    });
  });

  it('leaves every other union alone', () => {
    const unions = [
      { anyOf: [{ type: 'string' }, { type: 'number' }] },
      { anyOf: [{ $ref: '#/$defs/x' }, { type: 'null' }] },
      { anyOf: [{ type: 'string' }, { type: 'null' }, { type: 'number' }] },
      { anyOf: [{ type: 'string' }, { type: 'null', description: 'not a plain null' }] },
      { anyOf: [{ anyOf: [{ type: 'string' }, { type: 'number' }] }, { type: 'null' }] },
    ];
    for (const union of unions) expect(foldNullables(union)).toEqual(union);
  });
});
