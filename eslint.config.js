// @ts-check
// House rules: ESLint's and typescript-eslint's recommended sets, with type information, so the
// promise rules (no-floating-promises, no-misused-promises) see every promise a worker drops.
// Formatting is Prettier's job (.prettierrc); eslint-config-prettier, last, turns off the
// rules that would disagree with it. Every rule switched off below says why.
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier/flat';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The TypeScript projects that give each file its types (globs: a new package or app is covered
 * by its own tsconfig.json). Listed (parserOptions.project) rather than found by the project
 * service: the specs sit beside the sources, each package's tsconfig.json excludes them, and
 * tsconfig.specs.json, which covers them, is not a file the service looks for (it only opens
 * files named tsconfig.json).
 */
const TYPED_PROJECTS = ['packages/*/tsconfig.json', 'apps/*/tsconfig.json', 'scripts/tsconfig.json', 'tsconfig.specs.json'];

/** Files in no tsconfig: plain JavaScript, hand-written declarations beside it, root config files. */
const UNTYPED_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.d.mts', '**/*.d.cts', 'vitest.config.ts', 'docs/.vitepress/config.ts'];

/** Specs and the helpers only specs use. */
const TEST_FILES = ['**/*.spec.ts', '**/*.spec.tsx', '**/*.test-helper.ts', 'test/**', 'apps/*/test/**'];

export default defineConfig(
  {
    ignores: [
      '**/dist/',
      'test-artifacts/',
      // The docs are prose and measured results; the site's configuration is code, and linted.
      'docs/*',
      '!docs/.vitepress/',
      'docs/.vitepress/cache/',
      '.data/',
      'coverage/',
      // Written by tools: generated API clients, generated handler stubs. A spec kept beside
      // generated code (a drift check) is ours and is linted.
      '**/generated/**/*',
      '!**/generated/**/*.spec.ts',
      '**/*.generated.*',
    ],
  },
  {
    // A disable comment that no longer suppresses anything fails the run, so stale ones go.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { project: TYPED_PROJECTS, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The code writes `rows[0]!` and `match[1]!` as if noUncheckedIndexedAccess were on: the `!`
      // marks where an element is assumed to exist. Without that compiler option the rule calls
      // all ~430 of them unnecessary. Turn it back on together with noUncheckedIndexedAccess.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // `async` here marks a function that fulfils a Promise-returning contract (a task handler,
      // a waitFor predicate, an interface's execute()); one without `await` is still the plain
      // way to write it. The misuses that matter (a promise dropped or passed where nothing
      // awaits it) are no-floating-promises' and no-misused-promises' to catch, and they are on.
      '@typescript-eslint/require-await': 'off',
      // `_` names a value left out on purpose: a rest sibling (`{ name: _name, ...rest }`), an
      // argument a callback's signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // A handler told to stop rejects with its AbortSignal's reason, which the DOM types as `any`:
      // passing that on is the documented way to give up, not a stray non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
      // `let x; const f = () => x; x = make(f)`: a closure that reads the variable before it is
      // assigned cannot see a `const` declared after it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // A disable comment says why (`// eslint-disable-next-line rule -- reason`); the
      // eslint-enable closing a block needs no reason of its own.
      '@eslint-community/eslint-comments/require-description': ['error', { ignore: ['eslint-enable'] }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      // Specs read JSON responses (inject's json() is `any`), YAML manifests and OpenAPI documents,
      // and what they assert about that data is the test itself: typing each response first would
      // add casts, not safety. The sources keep these rules.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/dashboard/src/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // Preact's hooks follow React's rules. Only the two classic rules: the React Compiler ones
    // in the plugin's recommended set describe React's compiler, which Preact does not use.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: UNTYPED_FILES,
    extends: [tseslint.configs.disableTypeChecked],
  },
  comments.recommended,
  prettier,
);
