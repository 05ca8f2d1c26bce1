import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { createRedactor } from './redact.js';

class Lines extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 50));

describe('log format', () => {
  it('LOG_FORMAT=pretty writes readable lines, still redacted', async () => {
    const out = new Lines();
    const logger = createLogger({
      level: 'info',
      redact: createRedactor(['very-secret-value']),
      destination: out,
      format: 'pretty',
    });
    logger.info({ buildId: 'b1', stage: 'plan' }, 'stage plan succeeded with very-secret-value');
    await settle();
    expect(out.text).toMatch(/INFO.*stage plan succeeded with \[REDACTED\]/);
    expect(out.text).toContain('buildId: "b1"');
    expect(out.text).not.toContain('very-secret-value');
    expect(() => JSON.parse(out.text.trim().split('\n')[0] ?? '')).toThrow();
  });

  it('json, and auto away from a terminal, write one JSON object a line', async () => {
    for (const [format, isTty] of [
      ['json', true],
      ['auto', false],
    ] as const) {
      const out = new Lines();
      const logger = createLogger({
        level: 'info',
        redact: createRedactor([]),
        destination: out,
        format,
        isTty,
      });
      logger.info({ stage: 'plan' }, 'hello');
      await settle();
      expect(JSON.parse(out.text.trim())).toMatchObject({ msg: 'hello', stage: 'plan' });
    }
  });
});
