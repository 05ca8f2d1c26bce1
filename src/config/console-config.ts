import type { z } from 'zod';
import { int } from './env-values.js';

/** Web console settings: the variables and the section of Config. */

export const consoleEnv = {
  /** Seconds a console session lasts after sign-in (default 12 h). */
  CONSOLE_SESSION_TTL: int(43_200, 60, 7 * 86_400),
  /** Seconds the sign-in link printed at start-up works (default 15 min). */
  CONSOLE_SIGNIN_TTL: int(900, 30, 86_400),
};

type ConsoleEnv = { [K in keyof typeof consoleEnv]: z.output<(typeof consoleEnv)[K]> };

export function consoleSection(env: ConsoleEnv) {
  return {
    sessionTtlSeconds: env.CONSOLE_SESSION_TTL,
    startupLinkTtlSeconds: env.CONSOLE_SIGNIN_TTL,
  };
}
