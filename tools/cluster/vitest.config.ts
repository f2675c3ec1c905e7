// npm run test:cluster: the suite that runs a real control plane (kept out of npm test, which needs no Go).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tools/cluster/test/**/*.spec.ts'],
    // the first up of a fresh machine builds the control plane from source: tens of minutes on 2 cores
    hookTimeout: 60 * 60_000,
    testTimeout: 5 * 60_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
  },
});
