import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // SWC instead of esbuild: NestJS needs decorator metadata, which esbuild does not emit.
  plugins: [swc.vite({ module: { type: 'es6' } })],
  resolve: {
    alias: {
      '@taskforge/model': fileURLToPath(new URL('./packages/model/src/index.ts', import.meta.url)),
      // Before '@taskforge/core', which would otherwise match its subpath as a prefix.
      '@taskforge/core/internal': fileURLToPath(new URL('./packages/core/src/internal.ts', import.meta.url)),
      '@taskforge/core': fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)),
      '@taskforge/client': fileURLToPath(new URL('./packages/client/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['packages/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts', 'scripts/src/**/*.spec.ts', 'test/**/*.spec.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Vitest's default leaves a core free, which on a 2-core machine runs the files one at a
    // time; they wait on PostgreSQL and child processes more than they compute, so two at once
    // there took the suite from 8 to 5 minutes.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
