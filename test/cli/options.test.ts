// Option values are checked the same way by every command: an empty value, malformed seeds and
// out-of-range numbers are refused in one line that says what was expected, exit 2.
import test from 'ava';
import { fleetops, fleetopsHere } from '../helpers/fleetops.js';
import { savesFolder } from '../../src/cli/options.js';
import { InputError } from '../../src/input/input-error.js';

// Refusals come before any play: they are run in this process, serially (see fleetopsHere).

test.serial('an empty --seed is refused in the same words by every command that takes one', async (t) => {
  const commands = ['run', 'exercise', 'play', 'imds'];
  const runs = await fleetopsHere(...commands.map((c) => [c, '01-first-shift', '--seed', '']));
  runs.forEach((ran, i) => {
    t.is(ran.code, 2, commands[i]);
    t.regex(
      ran.stderr,
      new RegExp(`^fleetops: ${commands[i]}: --seed needs a value: .*random seed.*\\n$`),
      commands[i],
    );
  });
});

test.serial(
  'a --seed longer than a level may give, or any argument holding a control character, is refused in one line',
  async (t) => {
    const [long, painted, argument] = await fleetopsHere(
      ['run', '01-first-shift', '--seed', 'x'.repeat(101)],
      ['exercise', '01-first-shift', '--seed', '\u001b[2J'],
      ['trace', '08-no-route', 'web-1\n'],
    );
    t.deepEqual(
      [long, painted, argument].map((r) => [r!.code, r!.stderr]),
      [
        [2, 'fleetops: run: --seed is 101 characters long; a seed is at most 100\n'],
        [2, 'fleetops: exercise: --seed "\\u001b[2J" holds a control character; write it as plain text\n'],
        [2, 'fleetops: trace: the argument "web-1\\n" holds a control character; write it as plain text\n'],
      ],
    );
  },
);

test.serial('--seeds that is not a range nor a list of seeds is refused with what is expected', async (t) => {
  const cases: Record<string, string> = {
    '1..': 'not a range',
    '1..2,x': 'not a range',
    '5..2': 'the range runs backwards',
    '01..03': 'not a range',
    '9007199254740993..9007199254740995': 'a range ends by 9007199254740991',
    '1..5000': 'more than 1000 seeds',
    '1,,2': 'an empty seed in the list',
    '1,2,1': 'seed 1 given twice',
    [`1,${'x'.repeat(101)}`]: 'a seed of 101 characters; a seed is at most 100',
  };
  const runs = await fleetopsHere(
    ...Object.keys(cases).map((seeds) => ['exercise', '01-first-shift', '--seeds', seeds]),
  );
  Object.entries(cases).forEach(([seeds, why], i) => {
    t.is(runs[i]!.code, 2, seeds);
    t.is(
      runs[i]!.stderr,
      `fleetops: exercise: --seeds ${seeds}: ${why}; expected a range low..high such as 1..20, or a list such as 1,2,5\n`,
    );
  });
});

test.serial(
  'leaderboard --limit is bounded: at least one entry, at most as many as are kept, written without leading zeros',
  async (t) => {
    const runs = await fleetopsHere(
      ['leaderboard', '--limit', '0'],
      ['leaderboard', '--limit', '99999999999999999999'],
      ['leaderboard', '--limit', '05'],
    );
    t.deepEqual(
      runs.map((r) => [r.code, r.stderr]),
      ['0', '99999999999999999999', '05'].map((limit) => [
        2,
        `fleetops: leaderboard: --limit expects a whole number from 1 to 100, got '${limit}'\n`,
      ]),
    );
  },
);

test('shift holds --hours and --difficulty to their bounds, naming the option as typed', async (t) => {
  const runs = await Promise.all([
    fleetops(['shift', '--seed', '3', '--difficulty', '6']),
    fleetops(['shift', '--seed', '3', '--hours', '0']),
    fleetops(['shift', '--seed', '3', '--hours', '2.5']),
  ]);
  t.deepEqual(
    runs.map((r) => [r.code, r.stderr]),
    [
      [2, "fleetops: shift: --difficulty expects a whole number from 1 to 5, got '6'\n"],
      [2, "fleetops: shift: --hours expects a whole number from 1 to 24, got '0'\n"],
      [2, "fleetops: shift: --hours expects a whole number from 1 to 24, got '2.5'\n"],
    ],
  );
});

test.serial(
  "a --format that names another format than the report file's extension is refused, not written into it",
  async (t) => {
    const [ran] = await fleetopsHere(['exercise', '01-first-shift', '--report', 'r.json', '--format', 'md']);
    t.is(ran.code, 2);
    t.is(
      ran.stderr,
      "fleetops: exercise: --format md but 'r.json' ends in .json; drop --format, or name the file for md\n",
    );
    t.is(ran.stdout, '');
  },
);

test('exercise --format without --report prints the report instead of the summary', async (t) => {
  const ran = await fleetops(['exercise', '01-first-shift', '--format', 'json']);
  t.is(ran.code, 1, ran.stderr);
  t.is(JSON.parse(ran.stdout).schema, 'fleetops/report@2');
  const [batch] = await fleetopsHere(['exercise', '01-first-shift', '--seeds', '1..2', '--format', 'md']);
  t.is(batch.code, 2);
  t.regex(batch.stderr, /^fleetops: exercise: with --seeds, --format goes with --report and \{seed\} in its path/);
});

test.serial('shift checks the dashboard options headless too, and --save-level takes none of a play', async (t) => {
  const runs = await fleetopsHere(
    ...[
      ['--headless', '--speed', 'abc'],
      ['--headless', '--imds-port', 'xyz'],
      ['--headless', '--imds-port', '08080'],
      ['--headless', '--speed', '05'],
      ['--headless', '--speed', '5'],
      ['--json', '--imds-port', '0'],
      ['--save-level', 'shift-out.json', '--report', 'r.md'],
    ].map((extra) => ['shift', '--seed', '3', '--hours', '1', ...extra]),
  );
  t.deepEqual(
    runs.map((r) => [r.code, r.stdout, r.stderr]),
    [
      [2, '', "fleetops: shift: --speed expects a number from 0.1 to 300, got 'abc'\n"],
      [2, '', "fleetops: shift: --imds-port expects a port from 1 to 65535 (or 0 for any free port), got 'xyz'\n"],
      // Numbers are written without leading zeros, as everywhere in fleetops.
      [2, '', "fleetops: shift: --imds-port expects a port from 1 to 65535 (or 0 for any free port), got '08080'\n"],
      [2, '', "fleetops: shift: --speed expects a number from 0.1 to 300, got '05'\n"],
      // A good value does nothing without the dashboard: never ignored either.
      [2, '', "fleetops: shift: --speed is the dashboard's, and this play goes on without it (--headless); drop it\n"],
      [2, '', "fleetops: shift: --imds-port is the dashboard's, and this play goes on without it (--json); drop it\n"],
      [
        2,
        '',
        'fleetops: shift: --save-level writes the level and plays nothing, so --report has nothing to do; play the file with fleetops run shift-out.json\n',
      ],
    ],
  );
});

test.serial(
  '--player is a name of 1 to 40 printable characters, not only spaces, refused naming the option',
  async (t) => {
    const runs = await fleetopsHere(
      ['run', '01-first-shift', '--ticks', '5', '--player', '   '],
      ['run', '01-first-shift', '--ticks', '5', '--player', 'a'.repeat(4096)],
    );
    t.deepEqual(
      runs.map((r) => [r.code, r.stdout]),
      [
        [2, ''],
        [2, ''],
      ],
    );
    t.is(
      runs[0]!.stderr,
      'fleetops: --player "   ": expected a name of 1 to 40 printable characters, not only spaces\n',
    );
    t.is(
      runs[1]!.stderr,
      `fleetops: --player "${'a'.repeat(58)}…: expected a name of 1 to 40 printable characters, not only spaces\n`,
    );
  },
);

test.serial('FLEETOPS_SAVES is held to what --saves is: a control character in it is refused', (t) => {
  const was = process.env.FLEETOPS_SAVES;
  t.teardown(() => (was === undefined ? delete process.env.FLEETOPS_SAVES : (process.env.FLEETOPS_SAVES = was)));
  process.env.FLEETOPS_SAVES = '/tmp/saves\nx';
  t.throws(() => savesFolder({}), {
    instanceOf: InputError,
    message: 'FLEETOPS_SAVES "/tmp/saves\\nx" holds a control character; write it as plain text',
  });
});
