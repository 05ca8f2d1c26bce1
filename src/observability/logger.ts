import { pino, type DestinationStream, type Logger } from 'pino';
import type { Redactor } from './redact.js';

export type { Logger } from 'pino';

/** Header and field paths that are always censored, before the text-level redactor runs. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-sheen-signature"]',
  'req.headers["x-sheen-nonce"]',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.secret',
  '*.secrets',
  '*.password',
  '*.token',
];

export interface LoggerOptions {
  level: string;
  redact: Redactor;
  /** Where JSON lines go; stdout when omitted. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'sheenapps-worker' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      // Last line of defence: every serialised line passes the redactor, so a secret that
      // slips into a message or an error string is still scrubbed.
      hooks: { streamWrite: (line: string) => options.redact(line) },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
