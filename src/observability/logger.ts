import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
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
  /**
   * LOG_FORMAT: `pretty` writes readable lines, `json` one JSON object a line, `auto` (the
   * default) pretty only when stdout is a terminal, so pipes and log shippers get JSON.
   */
  format?: 'auto' | 'json' | 'pretty';
  /** Whether stdout is a terminal (process.stdout.isTTY unless given). */
  isTty?: boolean;
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
    destinationOf(options),
  );
}

function destinationOf(options: LoggerOptions): DestinationStream {
  const tty = options.isTty ?? process.stdout.isTTY === true;
  const format = options.format ?? 'auto';
  // A destination someone passed is not the terminal: auto means JSON there.
  const readable =
    format === 'pretty' || (format === 'auto' && tty && options.destination === undefined);
  if (!readable) return options.destination ?? pino.destination({ sync: false });
  // In this thread, not a transport worker: each line is still redacted before it is written.
  return pretty({
    colorize: tty && options.destination === undefined,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    // A terminal: lines written at once, so none is lost when the process exits.
    ...(options.destination ? { destination: options.destination } : { sync: true }),
  });
}
