// Lint rules: the recommended sets, plus the model's determinism made mechanical: nothing under
// src/sim or src/game may read the clock, Math.random, timers, files or the network.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outsideWorld = ['fs', 'http', 'https', 'net', 'dgram', 'child_process', 'worker_threads', 'timers', 'os'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', 'saves/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/sim/**/*.ts', 'src/game/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'draw from one of the world’s named seedrandom streams' },
        { object: 'Date', property: 'now', message: 'the model’s time is world.tick' },
        { object: 'performance', property: 'now', message: 'the model’s time is world.tick' },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch'].map((name) => ({
          name,
          message: 'the model is stepped by its caller; it schedules and fetches nothing itself',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'the model’s time is world.tick',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: outsideWorld
            .flatMap((name) => [name, `node:${name}`])
            .map((name) => ({
              name,
              message: 'the model reads no files, network, processes or clock',
            })),
        },
      ],
    },
  },
);
