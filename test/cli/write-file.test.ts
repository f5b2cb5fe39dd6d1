// Output files (reports) whose folder cannot be made are refused in one line, at once.
import test from 'ava';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/cli/output.js';
import { InputError } from '../../src/input/input-error.js';
import { tempFolder } from '../store/helpers.js';

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
