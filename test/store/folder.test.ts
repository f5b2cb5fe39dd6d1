// A saves folder that cannot be one (a file in its way, a place the system refuses a folder, a
// lock that is not a file) is refused at once in one line, exit 2: never a trace, never a hang.
import test from 'ava';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetops, fleetopsHere } from '../helpers/fleetops.js';
import { tempFolder } from './helpers.js';

function aFile(t: Parameters<typeof tempFolder>[0]): string {
  const file = join(tempFolder(t).dir, 'notes.txt');
  writeFileSync(file, 'not a folder\n');
  return file;
}

test('a saves folder under a regular file is refused at once, naming the file', async (t) => {
  const file = aFile(t);
  const ran = await fleetops(['settings', 'speed', '5', '--saves', join(file, 'saves')]);
  t.false(ran.timedOut);
  t.is(ran.code, 2);
  t.is(ran.stderr, `fleetops: --saves ${join(file, 'saves')}: ${file} is a file, not a folder\n`);
});

test('a --saves that is a file is said so by every command that uses the folder', async (t) => {
  const file = aFile(t);
  const commands = [
    ['saves'],
    ['settings'],
    ['settings', 'speed', '5'],
    ['levels'],
    ['leaderboard'],
    ['load', 'x'],
    ['run', '01-first-shift', '--ticks', '5', '--save', 'x'],
  ];
  const runs = await Promise.all(commands.map((c) => fleetops([...c, '--saves', file])));
  runs.forEach((ran, i) => {
    t.is(ran.code, 2, commands[i]!.join(' '));
    t.is(ran.stderr, `fleetops: --saves ${file}: is a file, not a folder\n`, commands[i]!.join(' '));
  });
  const fromEnv = await fleetops(['saves'], { env: { FLEETOPS_SAVES: file } });
  t.is(fromEnv.stderr, `fleetops: FLEETOPS_SAVES=${file}: is a file, not a folder\n`);
});

(existsSync('/proc/self') ? test : test.skip)(
  'a folder the system will not make (/proc/…) fails at once instead of retrying for ever',
  async (t) => {
    const ran = await fleetops(['settings', 'speed', '5', '--saves', '/proc/fleetops-test']);
    t.false(ran.timedOut);
    t.is(ran.code, 2);
    t.is(
      ran.stderr,
      'fleetops: /proc/fleetops-test: cannot create the saves folder: no such file or folder (ENOENT); check the path\n',
    );
  },
);

test('a slots folder that is a file is said so when listing the saves', async (t) => {
  const { dir } = tempFolder(t);
  writeFileSync(join(dir, 'slots'), '');
  const ran = await fleetops(['saves', '--saves', dir]);
  t.is(ran.code, 2);
  t.is(ran.stderr, `fleetops: ${join(dir, 'slots')}: is a file, not a folder\n`);
});

test.serial(
  'a command that only reads the saves makes no folder: a mistyped --saves leaves nothing behind',
  async (t) => {
    const folder = join(tempFolder(t).dir, 'typo', 'saves');
    const commands = [['report', 'base'], ['levels'], ['leaderboard'], ['settings'], ['saves']];
    const runs = await fleetopsHere(...commands.map((args) => [...args, '--saves', folder]));
    t.deepEqual(
      runs.map((r) => r.code),
      [2, 0, 0, 0, 0],
    );
    t.false(existsSync(join(folder, '..')));
  },
);
