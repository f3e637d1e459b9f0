import { defineConfig } from 'vitest/config';

// Source-first: resolve workspace packages to their src/ through the custom export condition.
export default defineConfig({
  resolve: { conditions: ['@trim-dse/source'] },
  ssr: { resolve: { conditions: ['@trim-dse/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'tests/*/test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
