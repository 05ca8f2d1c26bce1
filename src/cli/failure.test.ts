import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './args.js';
import { ApiError, MissingSecretError, UnreachableError } from './client.js';
import { ConfigError, UsageError } from './commands/shared.js';
import { checkWorkerUrl } from './context.js';
import { describeFailure, EXIT } from './failure.js';

const ctx = {
  command: 'status',
  target: { url: 'http://127.0.0.1:8080', source: 'default' },
  secretSource: '/srv/.sheen/secrets/hmac.key',
};

describe('describeFailure', () => {
  it('maps each kind of failure to its documented exit code', () => {
    const cases: Array<[unknown, number]> = [
      [new UsageError('missing build id'), EXIT.usage],
      [new ConfigError('bad', 'fix'), EXIT.unreachable],
      [new MissingSecretError('none'), EXIT.unreachable],
      [new UnreachableError('http://127.0.0.1:8080', 'ECONNREFUSED'), EXIT.unreachable],
      [new ApiError(401, 'AUTH_INVALID_SIGNATURE', 'bad signature', 'x'), EXIT.auth],
      [new ApiError(401, 'AUTH_TIMESTAMP_SKEW', 'skew', 'clock'), EXIT.auth],
      [new ApiError(404, 'HTTP_ERROR', 'HTTP 404', ''), EXIT.unreachable],
      [new ApiError(404, 'NOT_FOUND', 'no such build', 'check the id'), EXIT.failed],
      [new Error('boom'), EXIT.failed],
    ];
    for (const [err, code] of cases) expect(describeFailure(err, ctx).exitCode).toBe(code);
  });

  it('names the URL tried and how to start the worker when nothing listens', () => {
    const f = describeFailure(new UnreachableError('http://127.0.0.1:8080', 'ECONNREFUSED'), ctx);
    expect(f.message).toContain('nothing listens at http://127.0.0.1:8080 (the default');
    expect(f.hint).toContain('npm start');
    expect(f.hint).toContain('SHEEN_URL');
  });

  it('names SHEEN_SECRET and where the refused key came from', () => {
    const f = describeFailure(new ApiError(401, 'AUTH_INVALID_SIGNATURE', 'x', 'y'), ctx);
    expect(f.message).toContain('/srv/.sheen/secrets/hmac.key');
    expect(f.hint).toContain('SHEEN_SECRET');
  });
});

describe('parseCommandArgs', () => {
  const options = { name: { type: 'string' as const, description: 'project name' } };

  it('names an unknown option and the command, without the parser text', () => {
    expect(() => parseCommandArgs('create', options, ['--nmae', 'x'])).toThrow(
      new UsageError('unknown option --nmae for `sheen create`'),
    );
  });

  it('says when an option lacks its value or takes none', () => {
    expect(() => parseCommandArgs('create', options, ['--name'])).toThrow(
      /--name .* needs a value/,
    );
    expect(() => parseCommandArgs('create', options, ['--json=yes'])).toThrow(/takes no value/);
  });

  it('takes the options every command has', () => {
    const { values, positionals } = parseCommandArgs('create', options, [
      'a',
      '--json',
      '--user',
      'u1',
      '-h',
      'b',
    ]);
    expect(values).toMatchObject({ json: true, user: 'u1', help: true });
    expect(positionals).toEqual(['a', 'b']);
  });
});

describe('checkWorkerUrl', () => {
  it('accepts an origin and refuses what cannot be one, naming SHEEN_URL', () => {
    expect(checkWorkerUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    for (const bad of ['localhost:8080', 'ftp://host', 'http://u:p@host', 'http://h/api', 'x y'])
      expect(() => checkWorkerUrl(bad), bad).toThrow(/SHEEN_URL/);
  });
});
