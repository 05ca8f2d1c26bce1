import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../test/support/closed-port.js';
import { pgDump, pgTarget } from './pg-tools.js';

describe('pgTarget', () => {
  it('moves the password out of the URL into PGPASSWORD, decoded', () => {
    const target = pgTarget(
      'postgres://sheen:p%40ss%2Fword@db.internal:5433/app?sslmode=require',
      '/usr/bin',
    );
    expect(target.url).toBe('postgres://sheen@db.internal:5433/app?sslmode=require');
    expect(target.env).toEqual({ PATH: '/usr/bin', PGPASSWORD: 'p@ss/word' });
  });

  it('sets no PGPASSWORD when the URL has none', () => {
    expect(pgTarget('postgres://postgres@127.0.0.1:5432/test', '/bin').env).toEqual({
      PATH: '/bin',
    });
  });
});

describe('pgDump', () => {
  it('fails naming pg_dump, without the password, when the server cannot be reached', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sheen-pgdump-'));
    try {
      const url = `postgres://sheen:hunter2-very-secret@127.0.0.1:${await closedPort()}/app`;
      const err = await pgDump(
        pgTarget(url, process.env.PATH ?? '/usr/bin:/bin'),
        'x',
        path.join(dir, 'd'),
      ).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/^pg_dump (failed|is not installed)/);
      expect(err?.message).not.toContain('hunter2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
