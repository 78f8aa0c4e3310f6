import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the browser tests save the README's screenshots; null: they save none. */
    screenshotDir: string | null;
  }
}

export default defineConfig(({ mode }) => ({
  test: {
    // Only `npm run screenshots` (vitest --mode screenshots) rewrites the tracked pictures.
    provide: { screenshotDir: mode === 'screenshots' ? resolve('docs/screenshots') : null },
    projects: [
      {
        // Server integration tests: each file starts its own redis-server on a free port.
        test: {
          name: 'server',
          environment: 'node',
          include: ['test/integration/**/*.test.ts', 'src/server/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'web',
          environment: 'jsdom',
          include: ['src/web/**/*.test.{ts,tsx}'],
          setupFiles: ['test/support/web-setup.ts'],
        },
      },
      {
        // Browser tests against the production build; one file at a time, Chromium is heavy.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
}));
