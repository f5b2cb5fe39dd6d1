import test from 'ava';
import { helpLines } from '../../src/tui/help.js';
import { KEYMAP, keyLabel, keyName } from '../../src/tui/keymap.js';
import { EDITOR_KEYMAP } from '../../src/tui/line-editor.js';
import { createTheme } from '../../src/tui/theme.js';
import { testLevel } from '../helpers/world.js';

test('each key does one thing in each table', (t) => {
  for (const table of [KEYMAP, EDITOR_KEYMAP]) {
    const keys = table.flatMap((b) => b.keys);
    t.is(new Set(keys).size, keys.length);
  }
});

test('the help overlay lists every key of both tables with its help', (t) => {
  const help = helpLines(createTheme(true), testLevel(), 100, { mode: 'training', used: 0 }).join('\n');
  for (const b of [...KEYMAP, ...EDITOR_KEYMAP]) {
    t.true(help.includes(b.keys.map(keyLabel).join(' ')), b.keys.join(' '));
    t.true(help.includes(b.help), b.help);
  }
  t.true(help.includes('stop <instance>'));
  t.false(help.includes('fail-host'), "scenario commands are not the player's");
});

test("help in training lists only the hints shown and how to get the next; an exam's lists none and no hint key", (t) => {
  const level = { ...testLevel(), hints: ['look at the status checks', 'stop web-1 --force'] };
  const training = helpLines(createTheme(true), level, 100, { mode: 'training', used: 1 }).join('\n');
  t.true(training.includes('look at the status checks'));
  t.false(training.includes('stop web-1 --force'));
  t.regex(training, /H or :hint shows the next \(1 left, 25 points each\)/);
  const exam = helpLines(createTheme(true), level, 100, { mode: 'exam', used: 0 }).join('\n');
  for (const text of ['look at the status checks', 'stop web-1 --force', ':hint', 'next hint'])
    t.false(exam.includes(text), text);
  t.true(exam.includes('Exam mode'));
});

test('key names: printable characters as themselves, others as blessed names them', (t) => {
  t.is(keyName('G', { full: 'S-g', shift: true } as never), 'G');
  t.is(keyName('?', { full: '?' }), '?');
  t.is(keyName(' ', { full: 'space' }), 'space');
  t.is(keyName(undefined, { full: 'up' }), 'up');
  t.is(keyName('\x03', { full: 'C-c', ctrl: true }), 'C-c');
  t.is(keyName('\r', { full: 'enter' }), 'enter');
  t.is(keyName('\r', { full: 'return' }), null);
  t.is(keyLabel('C-c'), 'Ctrl-C');
  t.is(keyLabel('S-tab'), 'Shift-Tab');
});
