// Bounds the command line holds to before any work: an option's length, and a level's world against
// the heap this Node has (a level that would not fit is refused in one line, not aborted by V8).
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_OPTION_CHARS, parseArgs } from '../../src/cli/args.js';
import { InputError } from '../../src/input/input-error.js';
import { fleetops, ROOT } from '../helpers/fleetops.js';
import { tempFolder } from '../store/helpers.js';

test('an option longer than any path, seed or name is refused in one line', (t) => {
  t.throws(
    () => parseArgs('run', ['--seed', 'x'.repeat(MAX_OPTION_CHARS + 1)], { seed: { value: true, help: 'the seed' } }),
    {
      instanceOf: InputError,
      message: `run: --seed is 4,097 characters long; an option's value is at most 4,096`,
    },
  );
});

test('a level whose world would not fit the heap is refused before it is built, in one line, exit 2', async (t) => {
  const level = JSON.parse(readFileSync(join(ROOT, 'levels', '01-first-shift.json'), 'utf8')) as {
    id: string;
    zones: { id: string }[];
    racks: unknown[];
  };
  level.id = 'big';
  level.racks = [{ zone: level.zones[0]!.id, family: 'm6i', racks: 2000, hostsPerRack: 50 }];
  const path = join(tempFolder(t).dir, 'big.json');
  writeFileSync(path, JSON.stringify(level));
  const ran = await fleetops(['run', path, '--ticks', '5'], { env: { NODE_OPTIONS: '--max-old-space-size=96' } });
  t.is(ran.code, 2, ran.stderr);
  t.regex(
    ran.stderr,
    /^fleetops: \S+big\.json: its world needs about \d+ MiB of heap and this Node has \d+ MiB free; run with NODE_OPTIONS=--max-old-space-size=\d+ or make the level smaller\n$/,
  );
});

test('options are read by util.parseArgs with the same rules and one-line refusals', (t) => {
  const spec = { seed: { value: true, help: 'the seed' }, json: { value: false, help: 'JSON' } };
  t.deepEqual(parseArgs('run', ['lvl', '--seed=7', '--json', '-1'], spec), {
    positionals: ['lvl', '-1'],
    options: { seed: '7', json: true },
  });
  t.deepEqual(parseArgs('run', ['--seed=--json'], spec).options, { seed: '--json' });
  const refused = (argv: string[]) => t.throws(() => parseArgs('run', argv, spec), { instanceOf: InputError }).message;
  // A value left out is not the next option: `--seed --json` would take '--json' as the seed.
  t.is(
    refused(['--seed', '--json']),
    'run: --seed needs a value before the next option, --json (write --seed=--json if that is the value)',
  );
  t.is(refused(['--sed', '7']), 'run: unknown option --sed (options: --seed, --json)');
  t.is(refused(['--seed']), 'run: --seed needs a value: the seed');
  t.is(refused(['--seed=']), 'run: --seed needs a value: the seed');
  t.is(refused(['--json=yes']), 'run: --json is a switch and takes no value');
  // The last of two would win unseen; a short option is a slip for a long one.
  t.is(refused(['--seed', '1', '--seed', '2']), 'run: --seed given twice');
  t.is(refused(['--json', '--json']), 'run: --json given twice');
  t.is(refused(['-s', '5']), 'run: unknown option -s (options: --seed, --json)');
  t.is(
    t.throws(() => parseArgs('levels', ['--x'], {}), { instanceOf: InputError }).message,
    'levels: unknown option --x (options: none)',
  );
});

test('a script or a level that is not UTF-8 is refused in one line naming its line, exit 2', async (t) => {
  const dir = tempFolder(t).dir;
  const script = join(dir, 'plan.txt');
  writeFileSync(
    script,
    Buffer.concat([Buffer.from('at 10 note fine\nat 20 stop '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]),
  );
  const ran = await fleetops(['run', '01-first-shift', '--commands', script]);
  t.is(ran.code, 2);
  t.is(ran.stderr, `fleetops: ${script}:2: not UTF-8 text; save the file as UTF-8\n`);
  const level = join(dir, 'latin1.json');
  const text = readFileSync(join(ROOT, 'levels', '01-first-shift.json'), 'utf8').replace('"First shift"', '"Première"');
  writeFileSync(level, Buffer.from(text, 'latin1'));
  const played = await fleetops(['run', level]);
  t.is(played.code, 2);
  t.regex(played.stderr, /^fleetops: .*latin1\.json:\d+: not UTF-8 text; save the file as UTF-8\n$/);
});
