// ESLint for the whole tree: `npm run lint`, and `npm test` runs it (with --max-warnings 0) after
// the type checks, before the build. TypeScript files are linted with type information from tsconfig.json (the console and
// dashboard webviews from tsconfig.webview.json, which has the DOM types); the .mjs/.cjs scripts
// without it, since no tsconfig covers them and their rules need none.
//
// A rule switched off here is wrong for this code, with the reason on its line.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const webviews = ['client/src/console/webview/**/*.ts', 'client/src/dashboard/webview/**/*.ts'];

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'out/', 'test/fixtures/', '.vscode-test/', 'test-results/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test() and describe() return promises the runner itself waits for.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
      // As tsconfig's noUnusedParameters: a leading underscore marks a parameter or a skipped array
      // element kept on purpose; a property taken out of an object to keep the rest is used.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // import('…').T in a type stays allowed: commands/context.ts names the types of the modules that
      // import it that way, so that no import line points back up at them.
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Passing on an error of unknown type as it came (a rejection handler, a catch) invents no
      // non-Error reason; a reason the code makes up itself must still be an Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // VS Code's providers answer a value or a Thenable (getTreeItem): Promise.all over such a mix is right.
      '@typescript-eslint/await-thenable': ['error', { allowMixedPromiseArrays: true }],
      // A `let` read by a closure that may run before the one assignment (a callback set up first)
      // cannot be a const: the read would throw in the temporal dead zone.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // An async function without await is how a method meets a Promise-returning interface and
      // turns a throw into a rejection (the fakes in the tests, activate(), command handlers).
      '@typescript-eslint/require-await': 'off',
      // The code strips and checks control characters in terminal, xl and VNC text on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    files: webviews,
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: false, project: './tsconfig.webview.json', tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read package.json, xl's JSON and protocol messages as `any` and check their shape
      // with assertions: a wrong shape fails the test, which is what these rules would guard.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    // CommonJS: require() is the only way this file can load modules.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // These scripts drive Chromium with Playwright: the functions they pass to page.evaluate()
    // run in the page, where document and window exist.
    files: ['test/e2e/**/*.mjs', 'test/webview/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
