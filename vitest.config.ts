import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tools/berth/test/**/*.spec.ts', 'tools/berth/src/**/*.spec.ts'],
    setupFiles: ['./tools/berth/test/setup.ts'],
    reporters: ['default', './tools/berth/test/summary-reporter.ts'],
    // helm and git are real processes; give them room on a 2-core machine
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
