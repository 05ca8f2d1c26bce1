import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): real server processes on a PostgreSQL and a Redis
 * of its own, killed and restarted on purpose. Kept out of `npm test`: it takes minutes and
 * the whole machine. The three files run at once: while one waits (a server starting, a lock
 * lapsing, the registry) the others use the cores.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    maxWorkers: 3,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Builds dist/ when it is older than the sources: the suite runs `node dist/main.js`.
    globalSetup: ['./test/faults/support/build-first.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
