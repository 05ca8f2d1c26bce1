import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../observability/logger.js';
import { createRedactor } from '../observability/redact.js';
import { lazyRequestLogger } from './request-log.js';

class Lines extends Writable {
  lines: Array<Record<string, unknown>> = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 20));

function rootLogger(level = 'info') {
  const out = new Lines();
  const logger = createLogger({
    level,
    redact: createRedactor(['very-secret-value']),
    destination: out,
    format: 'json',
  });
  return { out, logger };
}

describe('the per-request logger', () => {
  it('makes no child until a line at a level that is on, then writes it bound and redacted', async () => {
    const { out, logger } = rootLogger('info');
    const child = vi.spyOn(logger, 'child');
    const log = lazyRequestLogger(logger, { reqId: 'req-1' }, {});
    log.debug('incoming request');
    log.trace('detail');
    expect(child).not.toHaveBeenCalled();
    expect(log.level).toBe('info');

    log.info({ provider: { secret: 'abc' } }, 'refused with very-secret-value');
    log.warn('again');
    await settle();
    expect(child).toHaveBeenCalledTimes(1);
    expect(out.lines).toHaveLength(2);
    expect(out.lines[0]).toMatchObject({
      level: 30,
      reqId: 'req-1',
      provider: { secret: '[REDACTED]' },
      msg: 'refused with [REDACTED]',
    });
    expect(out.lines[1]).toMatchObject({ level: 40, reqId: 'req-1', msg: 'again' });
  });

  it('honours a route level, a level set later, and children of its own', async () => {
    const { out, logger } = rootLogger('info');
    const route = lazyRequestLogger(logger, { reqId: 'req-2' }, { level: 'debug' });
    expect(route.level).toBe('debug');
    route.debug('seen at debug');

    const quiet = lazyRequestLogger(logger, { reqId: 'req-3' }, {});
    quiet.level = 'error';
    quiet.warn('not written');
    quiet.error('written');
    quiet.child({ stage: 'plan' }).info('not written either');
    const nested = lazyRequestLogger(logger, { reqId: 'req-4' }, {}).child({ stage: 'plan' });
    nested.info('bound twice');
    await settle();
    expect(out.lines.map((l) => [l.reqId, l.msg])).toEqual([
      ['req-2', 'seen at debug'],
      ['req-3', 'written'],
      ['req-4', 'bound twice'],
    ]);
    expect(out.lines[2]).toMatchObject({ stage: 'plan' });
  });
});
