// The benchmark's scripts refuse a bad argument in one line, with exit code 2, before they measure
// anything: a mistyped option or size must not start minutes of measuring something else. Each
// runs as the tests' build compiled it (build/bench/), with no TypeScript loader to start.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/fleetops.js';

function bench(script: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const compiled = join('build', 'bench', script.replace(/\.ts$/, '.js'));
  return spawnSync(process.execPath, [compiled, ...args], { cwd: ROOT, encoding: 'utf8' });
}

for (const [script, args, line] of [
  ['run.ts', ['--bogus'], "npm run bench: Unknown option '--bogus'; usage: npm run bench [-- --sizes 1000,10000]"],
  ['run.ts', ['1000'], "npm run bench: Unexpected argument '1000'; usage: npm run bench [-- --sizes 1000,10000]"],
  [
    'run.ts',
    ['--sizes', '2000,30'],
    "npm run bench: --sizes: expected a host count, a multiple of 20 from 20 to 200000, got '30'",
  ],
  [
    'realistic.ts',
    ['1e3'],
    "bench/realistic.ts: <hosts>: expected a host count, a multiple of 20 from 20 to 200000, got '1e3'",
  ],
  [
    'realistic.ts',
    ['2000', 'week'],
    "bench/realistic.ts: [day|peak|minutes]: expected day, peak or a number of minutes, got 'week'",
  ],
  [
    'realistic.ts',
    ['2000', '1441'],
    "bench/realistic.ts: [minutes]: expected a whole number from 1 to 1440, got '1441'",
  ],
  [
    'run.ts',
    ['--sizes', '-20'],
    "npm run bench: '-20': no argument takes a negative number; usage: npm run bench [-- --sizes 1000,10000]",
  ],
  [
    'run.ts',
    ['--sizes', '20', '--sizes', '40'],
    'npm run bench: --sizes given twice; usage: npm run bench [-- --sizes 1000,10000]',
  ],
  [
    'realistic.ts',
    ['-20'],
    "bench/realistic.ts: '-20': no argument takes a negative number; usage: bench/realistic.ts <hosts> [day|peak|minutes] [--imds] [--no-events]",
  ],
  [
    'run.ts',
    ['--sizes', '--sizes'],
    "npm run bench: --sizes: expected a value, got '--sizes'; usage: npm run bench [-- --sizes 1000,10000]",
  ],
  ['frame.ts', ['1000', '0'], "bench/frame.ts: [frames]: expected a whole number from 1 to 10000, got '0'"],
  [
    'model.ts',
    ['exercise', '1000', '5'],
    'bench/model.ts: expected ticks <hosts> <ticks> or exercise <hosts>; usage: bench/model.ts ticks <hosts> <ticks> | exercise <hosts>',
  ],
  ['imds.ts', ['x'], "bench/imds.ts: Unexpected argument 'x'; usage: bench/imds.ts (no arguments)"],
  [
    'zone-events.ts',
    ['1010'],
    "bench/zone-events.ts: [hosts]: expected a host count, a multiple of 20 from 20 to 200000, got '1010'",
  ],
] as const)
  test(`bench/${script} ${args.join(' ')} is refused in one line, exit 2, nothing measured`, (t) => {
    const ran = bench(script, ...args);
    t.is(ran.status, 2);
    t.is(ran.stderr, `${line}\n`);
    t.is(ran.stdout, '');
  });
