import { z } from 'zod';
import { int } from './env-values.js';

/** Project import settings: the variables and the section of Config. */

const MB = 1024 * 1024;

export const importEnv = {
  IMPORT_MAX_BYTES: int(50 * MB, 1024, 1024 * MB),
  IMPORT_MAX_UNPACKED_BYTES: int(200 * MB, 1024, 8192 * MB),
  IMPORT_MAX_FILES: int(5000, 1, 200_000),
  /** Unpacked bytes per archive byte beyond which an archive counts as a bomb. */
  IMPORT_MAX_RATIO: int(100, 2, 100_000),
};

type ImportEnv = { [K in keyof typeof importEnv]: z.output<(typeof importEnv)[K]> };

export function importSection(env: ImportEnv) {
  return {
    maxBytes: env.IMPORT_MAX_BYTES,
    maxUnpackedBytes: env.IMPORT_MAX_UNPACKED_BYTES,
    maxFiles: env.IMPORT_MAX_FILES,
    maxRatio: env.IMPORT_MAX_RATIO,
  };
}
