import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The fault suite has a config of its own (vitest.faults.config.ts, `npm run test:faults`).
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    // Vitest's default (cores - 1) is one file at a time on two cores; most files spend their
    // time waiting on builds, servers and sockets, so two at a time use the machine better.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Makes a directory for the run's migrated PGlite template (test/support/pglite-template.ts).
    globalSetup: ['./test/support/global-setup.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
