import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: { '@': fileURLToPath(new URL('./', import.meta.url)) },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // Backends and browsers are heavy on a 2-core machine: keep files in separate forks, a few at a time.
    pool: 'forks',
    maxWorkers: 2,
    // A guard against hangs, not a speed check: generous, so a machine busy with other work still passes.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
