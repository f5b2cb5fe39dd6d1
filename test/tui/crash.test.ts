import test from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

test('a crash gives the terminal back first, then reports the bug with its trace', (t) => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'crash.js')], {
    encoding: 'utf8',
  });
  t.is(r.status, 70);
  t.true(r.stdout.includes('\x1b[?1049h'), 'the screen was in the alternate buffer');
  t.true(r.stdout.lastIndexOf('\x1b[?1049l') > r.stdout.lastIndexOf('\x1b[?1049h'), 'and left it');
  t.true(r.stdout.includes('\x1b[?25h'), 'the cursor is shown again');
  t.regex(r.stderr, /Error: boom in a frame\n\s+at /);
});
