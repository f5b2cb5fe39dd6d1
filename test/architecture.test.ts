// The rules the design rests on, checked on the source itself: the model and the game are
// deterministic (no clock, no Math.random, no timers, files, network or environment), every folder
// under src/ imports only the folders its row of LAYERS allows, the model is reached only through
// its façade, src/sim/index.ts, and no two modules import each other, even for types.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cycles, edges, readSources, type Edge, type Source } from './helpers/imports.js';

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

/**
 * Which folders each folder under src/ may import (besides itself). The layers point down:
 * sim ← game ← the adapters (store, report, runtime, imds, control, tui) ← app ← cli. A folder missing
 * from this table fails the test until it is given its row. docs/ARCHITECTURE.md draws the same table.
 */
const LAYERS: Record<string, readonly string[]> = {
  sim: [],
  // Display widths of user text (wide characters, emoji), for whatever fits text to columns.
  text: [],
  // What every reader of user input shares: InputError (one line naming where and what was
  // expected) and the JSON field reader. Below the game so the stores and the CLI need not reach
  // into game/ for them; the model has its own refusals (CommandError, ParseError).
  input: [],
  game: ['input', 'sim'],
  store: ['game', 'input', 'sim'],
  report: ['game', 'input', 'sim', 'text', 'package.json'],
  runtime: ['game', 'input'],
  imds: ['game', 'input', 'runtime', 'sim', 'store'],
  control: ['game', 'input', 'runtime', 'sim'],
  tui: ['game', 'input', 'sim', 'text'],
  // The dashboard play controller wires the adapters and the dashboard together, under the CLI.
  app: ['game', 'imds', 'input', 'runtime', 'sim', 'store', 'text', 'tui'],
  cli: ['app', 'control', 'game', 'imds', 'input', 'report', 'runtime', 'sim', 'store', 'text', 'tui'],
};

const FACADE = 'src/sim/index.ts';

/** The folder a repository path belongs to: `src/tui/panels/x.ts` → `tui`, `src/cli.ts` → `cli`. */
function folder(path: string): string {
  return path.startsWith('src/') ? path.slice('src/'.length).replace(/\.ts$/, '').split('/')[0]! : path;
}

/** One line per import that breaks the table or the façade rule: `file:line → 'specifier': rule`. */
function violations(all: readonly Edge[], layers: Record<string, readonly string[]> = LAYERS): string[] {
  return all.flatMap((e) => {
    if (e.to === undefined) return [];
    const from = folder(e.from);
    const to = folder(e.to);
    const where = `${e.from}:${e.line} → '${e.specifier}'`;
    if (from !== to && !(layers[from] ?? []).includes(to)) {
      return [`${where}: ${from} may import only ${(layers[from] ?? []).join(', ') || 'itself'}`];
    }
    if (from !== 'sim' && to === 'sim' && e.to !== FACADE) {
      return [`${where}: outside src/sim the model is imported only through ${FACADE}`];
    }
    return [];
  });
}

const SOURCES = readSources('.', 'src');
const EDGES = edges(SOURCES);

test('every folder under src/ has a row in the table of allowed imports', (t) => {
  const folders = new Set(SOURCES.map((s) => folder(s.file)));
  t.deepEqual([...folders].filter((f) => !(f in LAYERS)).sort(), []);
  t.deepEqual(
    Object.keys(LAYERS).filter((f) => !folders.has(f)),
    [],
    'a row for a folder that no longer exists',
  );
});

test("every import follows the table of layers and the model's façade", (t) => {
  t.true(EDGES.length > 500, `only ${EDGES.length} imports found: the reader is not reading the sources`);
  t.deepEqual(violations(EDGES), []);
});

test('no import cycles under src/, type-only imports included', (t) => {
  t.deepEqual(
    cycles(EDGES).map((c) => c.join(' → ')),
    [],
  );
});

// The checks above must be able to fail: every form of import in a made-up tree is read, and each
// wrong edge is named with its file, line and rule.
const FIXTURE: Source[] = [
  { file: 'src/cli.ts', text: "const tui = await import('./tui/view.js');\nexport { tui };\n" },
  {
    file: 'src/tui/view.ts',
    text: "import type { World } from '../sim/index.js';\nimport {\n  rows,\n} from '../sim/tables.js';\nexport const v = (w: World) => rows(w);\n",
  },
  { file: 'src/sim/index.ts', text: "export { rows } from './tables.js';\nexport type * from './types.js';\n" },
  { file: 'src/sim/tables.ts', text: 'export const rows = (w: unknown) => [w];\n' },
  { file: 'src/sim/types.ts', text: "export type World = import('../game/session.js').Session;\n" },
  {
    file: 'src/game/session.ts',
    text: "import type { World } from '../sim/index.js';\nexport type Session = { w: World; s: typeof import('./script.js') };\n",
  },
  { file: 'src/game/script.ts', text: "import type { Session } from './session.js';\nexport type Script = Session;\n" },
];

test('the architecture checks report a wrong edge, a bypassed façade and a cycle, whatever the import form', (t) => {
  const fixture = edges(FIXTURE);
  t.deepEqual(
    fixture.map((e) => `${e.from}:${e.line} ${e.to ?? e.specifier}`),
    [
      'src/cli.ts:1 src/tui/view.ts',
      'src/tui/view.ts:1 src/sim/index.ts',
      'src/tui/view.ts:4 src/sim/tables.ts',
      'src/sim/index.ts:1 src/sim/tables.ts',
      'src/sim/index.ts:2 src/sim/types.ts',
      'src/sim/types.ts:1 src/game/session.ts',
      'src/game/session.ts:1 src/sim/index.ts',
      'src/game/session.ts:2 src/game/script.ts',
      'src/game/script.ts:1 src/game/session.ts',
    ],
  );
  t.deepEqual(violations(fixture), [
    "src/tui/view.ts:4 → '../sim/tables.js': outside src/sim the model is imported only through src/sim/index.ts",
    "src/sim/types.ts:1 → '../game/session.js': sim may import only itself",
  ]);
  t.deepEqual(cycles(fixture), [['src/game/script.ts', 'src/game/session.ts', 'src/sim/index.ts', 'src/sim/types.ts']]);
});
