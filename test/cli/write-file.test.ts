// Output files (reports) whose folder cannot be made are refused in one line, at once.
import test from 'ava';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/cli/output.js';
import { InputError } from '../../src/input/input-error.js';
import { tempFolder } from '../store/helpers.js';
import { fleetops } from '../helpers/fleetops.js';

test('a report is written whole, its missing folders made', (t) => {
  const path = join(tempFolder(t).dir, 'reports', 'june', 'run.md');
  writeFileAtomic(path, '# run\n');
  t.is(readFileSync(path, 'utf8'), '# run\n');
});

test('a report under a regular file names the file in the way', (t) => {
  const file = join(tempFolder(t).dir, 'notes.txt');
  writeFileSync(file, '');
  t.throws(() => writeFileAtomic(join(file, 'run.md'), ''), {
    instanceOf: InputError,
    message: `${file}: is a file, not a folder`,
  });
});

(existsSync('/proc/self') ? test : test.skip)(
  'a report where the system will not make a folder fails instead of retrying for ever',
  (t) => {
    t.throws(() => writeFileAtomic('/proc/fleetops-test/run.md', ''), {
      instanceOf: InputError,
      message: '/proc/fleetops-test: cannot create the folder: no such file or folder (ENOENT); check the path',
    });
  },
);

test('exercise and shift refuse a report path they could not write before they play, in one line, exit 2', async (t) => {
  const { dir } = tempFolder(t);
  const taken = join(dir, 'run-3.md');
  mkdirSync(taken);
  const runs = await Promise.all([
    fleetops(['exercise', '01-first-shift', '--seed', '3', '--report', taken]),
    fleetops(['exercise', '01-first-shift', '--seeds', '2..3', '--jobs', '1', '--report', join(dir, 'run-{seed}.md')]),
    fleetops(['shift', '--seed', '3', '--headless', '--report', taken]),
  ]);
  for (const ran of runs) {
    t.is(ran.code, 2);
    t.is(ran.stdout, '', 'refused before the play, not after it');
    t.is(ran.stderr, `fleetops: ${taken}: is a folder where the report should be; move that folder out of the way\n`);
  }
  t.false(existsSync(join(dir, 'run-2.md')), 'no seed of the batch was played');
});
