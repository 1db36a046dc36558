// Lint rules (`npm run lint`, run by .ci/run). Layering and cycles are dependency-cruiser's
// (.dependency-cruiser.cjs); this file holds the rules about what code may call.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const html =
  'The console UI renders what observed apps sent as text only: no innerHTML, dangerouslySetInnerHTML, insertAdjacentHTML, document.write or parsed HTML (docs/decisions/0022).';
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
    // The console's web UI shows strings written by the apps it observes: all of them go into the
    // page as text (Preact text nodes and attributes, uPlot's textContent), never as HTML.
    files: ['src/console/ui/**/*.ts', 'src/console/ui/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: html },
        { selector: "Property[key.name='dangerouslySetInnerHTML']", message: html },
        { selector: "MemberExpression[property.name=/^(innerHTML|outerHTML|insertAdjacentHTML|createContextualFragment|parseFromString|srcdoc)$/]", message: html },
        { selector: "MemberExpression[computed=true][property.value=/^(innerHTML|outerHTML|insertAdjacentHTML|srcdoc)$/]", message: html },
        { selector: "CallExpression[callee.object.name='document'][callee.property.name=/^(write|writeln)$/]", message: html },
        { selector: "NewExpression[callee.name='DOMParser']", message: html },
      ],
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'createContextualFragment'].map((property) => ({ property, message: html })),
        { object: 'document', property: 'write', message: html },
        { object: 'document', property: 'writeln', message: html },
      ],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
