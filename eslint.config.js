// ESLint: the recommended rules, promises that are handled, and the layering of docs/architecture.md as import rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A web framework, its types included, is for its adapter alone (`src/adapters/<name>.ts`, re-exported by `src/<name>.ts`). */
const FRAMEWORKS = ['express', 'fastify', 'hono', '@hono/node-server'];
const ONLY_ADAPTER = 'Only src/adapters/<framework>.ts may import a web framework; the core speaks the Fetch API.';
const NO_FRAMEWORK = {
  paths: FRAMEWORKS.map((name) => ({ name, message: ONLY_ADAPTER })),
  patterns: [{ group: FRAMEWORKS.map((name) => `${name}/*`), message: ONLY_ADAPTER }],
};
/** The same rule for one adapter: every framework but its own. */
function noFrameworkBut(own) {
  const others = FRAMEWORKS.filter((name) => name !== own);
  return {
    paths: others.map((name) => ({ name, message: ONLY_ADAPTER })),
    patterns: [{ group: others.map((name) => `${name}/*`), message: ONLY_ADAPTER }],
  };
}

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
    ignores: [...TESTS, 'src/adapters/*.ts', 'src/express.ts', 'src/fastify.ts', 'src/hono.ts'],
    rules: { 'no-restricted-imports': ['error', NO_FRAMEWORK] },
  },
  ...['express', 'fastify', 'hono'].map((name) => ({
    files: [`src/adapters/${name}.ts`, `src/${name}.ts`],
    rules: { 'no-restricted-imports': ['error', noFrameworkBut(name)] },
  })),
  {
    files: ['src/flows/**/*.ts', 'src/otp/**/*.ts', 'src/crypto/**/*.ts', 'src/store/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { paths: NO_FRAMEWORK.paths, patterns: [...NO_FRAMEWORK.patterns, NO_HTTP] }] },
  },
);
