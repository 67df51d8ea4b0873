// ESLint: the recommended rules, promises that are handled, and the layering of docs/architecture.md as import rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Express, its types included, is for the adapter alone (`src/adapters/express.ts`, re-exported by `src/express.ts`). */
const NO_EXPRESS = {
  paths: [{ name: 'express', message: 'Only src/adapters/express.ts may import Express; the core speaks the Fetch API.' }],
  patterns: [{ group: ['express/*'], message: 'Only src/adapters/express.ts may import Express; the core speaks the Fetch API.' }],
};

/** The layers below the views know no request, reply or cookie (docs/architecture.md, "The layers"). */
const NO_HTTP = {
  group: ['**/http', '**/http/**'],
  message: 'flows/, otp/, crypto/ and store/ know nothing of HTTP: take what you need as input, return an outcome.',
};

/** Tests may build HTTP sessions and start Express; the rules below are for the library's own files. */
const TESTS = ['src/**/*.test.ts', 'src/**/*.test-support.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '**/data/**'] },
  {
    files: ['**/*.ts', '**/*.js'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its error: await it, return it, or mark it with `void` and a reason.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a callback's result is ignored (an Express handler, an event listener) does the same.
      '@typescript-eslint/no-misused-promises': 'error',
      // `_` marks a parameter a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      // `declare global { namespace Express { … } }` is how `req.twofold` gets its type; other namespaces stay out.
      '@typescript-eslint/no-namespace': ['error', { allowDeclarations: true }],
    },
  },
  {
    // Migrations are frozen in time: they take `Kysely<any>`, never the application's table types (STYLE.md rule 15).
    files: ['src/store/kysely/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/**/*.ts'],
    ignores: [...TESTS, 'src/adapters/express.ts', 'src/express.ts'],
    rules: { 'no-restricted-imports': ['error', NO_EXPRESS] },
  },
  {
    files: ['src/flows/**/*.ts', 'src/otp/**/*.ts', 'src/crypto/**/*.ts', 'src/store/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { paths: NO_EXPRESS.paths, patterns: [...NO_EXPRESS.patterns, NO_HTTP] }] },
  },
);
