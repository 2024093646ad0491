import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Tests that need no service, no child process and no native image library: `npm run test:unit`
// runs them alone in seconds. Everything else talks to the real PostgreSQL, Redis, RabbitMQ, an
// S3 server, sharp or spawned entry points.
const UNIT = [
  'test/unit/**/*.test.ts',
  'test/bench/**/*.test.ts',
  'test/http/{memory,images-routes,error-handler,logging,fuzz-checks}.test.ts',
];

export default defineConfig({
  test: {
    // Integration files each use their own database, so files run in parallel.
    pool: 'forks',
    // Most files wait on services and child processes rather than compute: one fork more than the
    // cores keeps them busy (vitest's default, one fewer, ran the suite serially on two cores and
    // took 661 s where three forks took 411 s).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: UNIT } },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: [
        'src/**/index.ts',
        // Process entry points: exercised by test/e2e, which runs them as child processes.
        'src/main/server.ts',
        'src/main/api.ts',
        'src/main/migrate.ts',
        // One-shot of the compose stack: exercised by `npm run test:container`, in its image.
        'src/main/create-bucket.ts',
        'src/main/run-process.ts',
      ],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, branches: 90, functions: 90, statements: 90 },
    },
  },
});
