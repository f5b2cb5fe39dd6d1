// The rules the design rests on, checked on the source itself: the model and the game are
// deterministic (no clock, no Math.random, no timers, files, network or environment) and the
// layers import downwards only.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const FORBIDDEN: [RegExp, string][] = [
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/new Date\(\s*\)/, 'new Date() (the wall clock)'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\b(setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, 'timers'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  [/\bprocess\.(env|argv|hrtime|cwd)\b/, 'the process environment'],
  [/from ['"]node:(fs|http|https|net|dgram|child_process|os|worker_threads)['"]/, 'files, network or processes'],
];

for (const layer of ['src/sim', 'src/game']) {
  test(`${layer} is deterministic: no clock, randomness, timers, files, network or environment`, (t) => {
    const found = sources(layer).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => `${file}: ${what}`);
    });
    t.deepEqual(found, []);
  });
}

const LAYERS: Record<string, string[]> = {
  'src/sim': ['src/sim'],
  'src/game': ['src/sim', 'src/game'],
  // The dashboard play controller wires the adapters and the dashboard together, under the CLI.
  'src/app': ['src/sim', 'src/game', 'src/store', 'src/imds', 'src/runtime', 'src/tui', 'src/app'],
};

for (const [layer, allowed] of Object.entries(LAYERS)) {
  test(`${layer} imports only from ${allowed.join(' and ')}`, (t) => {
    const found = sources(layer).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return [...text.matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)]
        .map((m) => join(file, '..', m[1]!))
        .filter((target) => !allowed.some((a) => target.startsWith(a)))
        .map((target) => `${file} imports ${target}`);
    });
    t.deepEqual(found, []);
  });
}
