// Every command explains itself: `fleetops <command> --help` (or -h) gives its usage line and
// each option's help, exit 0; `fleetops --version` gives the package's version.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSubcommands } from '../../src/cli.js';
import { REACTION_EVENTS } from '../../src/game/reaction-events.js';
import { fleetops, fleetopsHere, ROOT } from '../helpers/fleetops.js';

for (const [name, sub] of await loadSubcommands()) {
  test.serial(`fleetops ${name} --help shows its usage and every option's help`, async (t) => {
    const [ran] = await fleetopsHere([name, '--help']);
    t.is(ran.code, 0, ran.stderr);
    t.is(ran.stderr, '');
    t.true(ran.stdout.startsWith(`Usage: fleetops ${name}`));
    t.true(ran.stdout.includes(sub.summary));
    const lines = ran.stdout.split('\n');
    for (const [option, spec] of Object.entries(sub.options)) {
      const line = lines.find((l) => l.startsWith(`  --${option} `));
      t.true(line?.endsWith(`  ${spec.help}`), option);
    }
  });
}

test.serial('fleetops commands lists every event a script can react to, where a mistaken `on` points', async (t) => {
  const [ran] = await fleetopsHere(['commands']);
  t.is(ran.code, 0, ran.stderr);
  const [, listed = ''] = ran.stdout.split(/^Events a script's reactions can wait for .*$/m);
  t.deepEqual(listed.split(/[,\s]+/).filter(Boolean), [...REACTION_EVENTS]);
});

test.serial('commands, levels and saves take no arguments: one given is refused, not passed over', async (t) => {
  const runs = await fleetopsHere(['commands', 'extra'], ['levels', 'extra'], ['saves', 'extra']);
  t.deepEqual(
    runs.map((r) => [
      r.code,
      r.stdout,
      /^fleetops: (commands|levels|saves): takes no arguments[^\n]*\n$/.test(r.stderr),
    ]),
    [
      [2, '', true],
      [2, '', true],
      [2, '', true],
    ],
  );
});

test.serial('-h is --help, after other arguments too', async (t) => {
  const [short, long] = await fleetopsHere(['run', '01-first-shift', '-h'], ['run', '--help']);
  t.is(short.code, 0);
  t.is(short.stdout, long.stdout);
});

test.serial('fleetops --version prints the package version', async (t) => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const ran = await fleetops(['--version']);
  t.is(ran.code, 0);
  t.is(ran.stdout, `fleetops ${version}\n`);
});

test.serial('a command or option name typed with an escape or a newline is refused in one line, escaped', async (t) => {
  const [command, help, option, ended] = await fleetopsHere(
    ['bo\u001b[2Jgus'],
    ['help', 'ru\nn'],
    ['run', '--se\ned', '1'],
    ['run', '--', '--help'],
  );
  t.deepEqual(
    [command.code, command.stderr],
    [2, "fleetops: unknown command 'bo\\u001b[2Jgus'; fleetops help lists them\n"],
  );
  t.deepEqual([help.code, help.stderr], [2, "fleetops: unknown command 'ru\\u000an'; fleetops help lists them\n"]);
  t.is(option.code, 2);
  t.regex(option.stderr, /^fleetops: run: unknown option --se\\u000aed \(options: [^\n]*\)\n$/);
  // After `--`, --help is a level's name, not a request for help.
  t.is(ended.code, 2);
  t.regex(ended.stderr, /^fleetops: level '--help': neither a level file nor a level id/);
});

test.serial('help and --version explain themselves: help help, --help --version, --version --help', async (t) => {
  const ran = await fleetopsHere(
    ['help', 'help'],
    ['--help', '-h'],
    ['help', '--version'],
    ['--help', '--version'],
    ['--version', '--help'],
  );
  t.true(ran.every((r) => r.code === 0 && r.stderr === ''));
  t.is(ran[0]!.stdout, ran[1]!.stdout);
  t.is(
    ran[0]!.stdout,
    "Usage: fleetops help [command]\n\nlist the commands, or explain one's options (as fleetops <command> --help does)\n",
  );
  t.true(ran.slice(2).every((r) => r.stdout === 'Usage: fleetops --version\n\nprint the version\n'));
});

test.serial(
  'fleetops help <command> is <command> --help; --version and help with more than they take are refused',
  async (t) => {
    const [named, flagged, extra, many, unknown] = await fleetopsHere(
      ['help', 'run'],
      ['run', '--help'],
      ['--version', '--bogus'],
      ['help', 'run', 'load'],
      ['help', 'nope'],
    );
    t.is(named.code, 0);
    t.is(named.stdout, flagged.stdout);
    t.deepEqual([extra.code, extra.stderr], [2, "fleetops: --version takes nothing more; got '--bogus'\n"]);
    t.deepEqual(
      [many.code, many.stderr],
      [2, "fleetops: help takes at most a command's name, e.g. fleetops help run; got 2 arguments\n"],
    );
    t.deepEqual([unknown.code, unknown.stderr], [2, "fleetops: unknown command 'nope'; fleetops help lists them\n"]);
  },
);
