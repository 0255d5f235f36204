// Lint: strict TypeScript rules, and the layering rules of DESIGN.md section 1 as errors.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Imports a layer may not make, by path pattern (relative imports are matched too). */
const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map(([what, message]) => (typeof what === 'string' ? { regex: what, message } : { group: what, message })),
    },
  ],
});

/** Relative or absolute import of one of the named folders of electron/ (not shared/ipc, which is fine). */
const electronLayer = (...names) => `(^(\\.\\./)+|(^|/)electron/)(${names.join('|')})(/|$)`;

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'build/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // Handlers implement a Promise-returning contract; an async body without await is fine there.
      '@typescript-eslint/require-await': 'off',
      // Dropping fields with a rest pattern (`const { id, ...input } = state`) is the idiom for "all but".
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: globals.node } },
  // Layering: arrows only point down (main -> ipc -> core -> shared, renderer -> shared).
  {
    files: ['shared/**/*.ts'],
    rules: forbid(
      [['**/electron/**', '**/renderer/**', 'electron', 'react', ...nodeBuiltins], 'shared/ imports zod only.'],
    ),
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: forbid(
      [['electron', 'electron/*'], 'electron/core never imports electron: it runs in plain Node (tests, CLI).'],
      [electronLayer('main', 'ipc', 'preload', 'cli'), 'core imports only core and shared.'],
      [['**/renderer/**'], 'core never imports the renderer.'],
    ),
  },
  {
    files: ['electron/ipc/**/*.ts'],
    rules: forbid(
      [['electron', 'electron/*'], 'The router is plain: the Playwright harness calls it too.'],
      [electronLayer('main', 'preload', 'cli'), 'ipc imports only core and shared.'],
      [['**/renderer/**'], 'ipc never imports the renderer.'],
    ),
  },
  {
    files: ['electron/cli/**/*.ts'],
    rules: forbid(
      [['electron', 'electron/*'], 'The CLI runs in plain Node.'],
      [electronLayer('main', 'ipc', 'preload'), 'The CLI uses electron/core only.'],
      [['**/renderer/**'], 'The CLI never imports the renderer.'],
    ),
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: forbid(
      [electronLayer('core', 'ipc', 'main', 'cli'), 'The preload only bridges shared/ipc to ipcRenderer.'],
      [['**/renderer/**', ...nodeBuiltins], 'The preload only bridges shared/ipc to ipcRenderer.'],
    ),
  },
  // The rules of hooks: hooks called in order, and effects that list what they read (no stale closures).
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    rules: forbid([['**/electron/**', 'electron', ...nodeBuiltins], 'The renderer imports shared/ only, never electron/ or node.']),
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
