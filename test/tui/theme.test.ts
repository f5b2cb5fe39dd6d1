import test from 'ava';
import { createTheme, wantsNoColor } from '../../src/tui/theme.js';

test('NO_COLOR counts only when set to something', (t) => {
  t.true(wantsNoColor({ NO_COLOR: '1' }));
  t.false(wantsNoColor({ NO_COLOR: '' }));
  t.false(wantsNoColor({}));
});

test('without colour, roles keep their attributes but lose their colours', (t) => {
  const plain = createTheme(true);
  t.is(plain.paint('ok', 'running'), 'running');
  t.is(plain.paint('error', 'failed'), '{bold}failed{/bold}');
  t.is(plain.paint('selected', 'row'), '{inverse}row{/inverse}');
  t.deepEqual(plain.frame(false).border, {});
  t.deepEqual(
    plain.frame(true),
    { border: { bold: true }, label: { bold: true, inverse: true } },
    'the focused frame stands out by weight, not colour',
  );
  const colour = createTheme(false);
  t.is(colour.paint('ok', 'running'), '{green-fg}running{/green-fg}');
  t.is(colour.paint('error', 'failed'), '{bold}{red-fg}failed{/red-fg}{/bold}');
});

test('painted text cannot inject blessed tags', (t) => {
  t.is(createTheme(true).paint('plain', 'stop {red-fg}x'), 'stop {open}red-fg{close}x');
});

test('line() cuts painted parts at the width, with an ellipsis where one is cut', (t) => {
  const theme = createTheme(false);
  t.is(
    theme.line(
      [
        ['heading', 'zone'],
        ['ok', ' 50% used'],
      ],
      8,
    ),
    '{bold}zone{/bold}{green-fg} 50…{/green-fg}',
  );
  // Parts that fit whole are not marked.
  t.is(
    theme.line(
      [
        ['heading', 'zone'],
        ['ok', ' 50%'],
      ],
      8,
    ),
    '{bold}zone{/bold}{green-fg} 50%{/green-fg}',
  );
});
