// Lint rules (`npm run lint`, run by .ci/run). Layering and cycles are dependency-cruiser's
// (.dependency-cruiser.cjs); this file holds the rules about what code may call.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const clock = 'Time comes from the injected scheduler (DESIGN §7): only src/platform/ may touch the clock and timers.';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: clock }],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].map((name) => ({ name, message: clock })),
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:timers', message: clock },
            { name: 'node:timers/promises', message: clock },
          ],
          patterns: [{ group: ['rxjs/internal', 'rxjs/internal/*'], message: 'Public RxJS only (DESIGN §7).' }],
        },
      ],
    },
  },
  {
    // The console (rxtel console) is a server of its own, not the reporter: it runs on wall time.
    files: ['src/platform/**/*.ts', 'src/console/**/*.ts', 'src/console/**/*.tsx'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-globals': 'off', 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
