import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    // Most test files spend their time waiting on sandboxed child processes, the registry and
    // the databases: two files at a time halve the suite's wall time on a 2-core machine.
    maxWorkers: 2,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
