// Start-up pays only for what runs: the modules `fleetops --version` and `fleetops levels` load
// before doing anything, followed through their static imports, reach neither the dashboard nor
// the reports nor the servers; `fleetops play` (and `fleetops` alone) reaches not even the model
// before its first frame is on screen. Subcommands are loaded with import() once chosen.
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { ROOT } from '../helpers/fleetops.js';

/** Every file and package reached from `entry` through static `import … from` (not `import()`, nor `import type`, which compiles away). */
function staticReach(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gms)) {
      if (!spec!.startsWith('.')) {
        seen.add(spec!);
        continue;
      }
      const target = join(dirname(file), spec!.replace(/\.js$/, '.ts'));
      if (existsSync(target) && target.endsWith('.ts')) visit(target);
    }
  };
  visit(join(ROOT, entry));
  return new Set([...seen].map((f) => (f.startsWith('/') ? relative(ROOT, f) : f)));
}

const HEAVY = [/^src\/(tui|report|imds|control|app|runtime)\//, /^blessed/, /^src\/cli\/commands\//];

const MODEL = [/^src\/sim\//, /^src\/game\/(session|level)\.ts$/];

const ENTRIES: [string, RegExp[]][] = [
  ['src/cli.ts', [...HEAVY, ...MODEL]],
  ['src/cli/commands/levels.ts', HEAVY],
  ['src/cli/commands/play.ts', [...HEAVY, ...MODEL]],
];

for (const [entry, heavy] of ENTRIES) {
  test(`${entry} reaches only what it needs first through static imports`, (t) => {
    const reached = [...staticReach(entry)].filter((f) => f !== entry);
    t.true(reached.length > 0);
    t.deepEqual(
      reached.filter((f) => heavy.some((re) => re.test(f))),
      [],
    );
  });
}

test('no subcommand imports another: they share options, output and runners from src/cli', (t) => {
  const commands = ['play', 'run', 'exercise', 'shift', 'imds', 'load', 'report', 'class', 'levels', 'trace'];
  const found = commands.flatMap((name) => {
    const entry = `src/cli/commands/${name}.ts`;
    return [...staticReach(entry)]
      .filter((f) => f !== entry && f.startsWith('src/cli/commands/'))
      .map((f) => `${entry} imports ${f}`);
  });
  t.deepEqual(found, []);
});
