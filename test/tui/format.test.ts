import test from 'ava';
import { formatSpan } from '../../src/sim/index.js';
import { bar, columns, compact, fit, fitByPriority, pad, wrap } from '../../src/tui/format.js';

test('fit pads, cuts with an ellipsis and aligns', (t) => {
  t.is(fit('web', 6), 'web   ');
  t.is(fit('web', 6, 'right'), '   web');
  t.is(fit('shutting-down', 8), 'shuttin…');
  t.is(fit('abc', 0), '');
});

test('wide characters are counted in terminal columns and never cut in half', (t) => {
  // CJK takes two columns a character; an emoji two, a family of them joined by ZWJ too; a combining accent none.
  t.is(columns('東京'), 4);
  t.is(columns('🚀'), 2);
  t.is(columns('👩‍👩‍👧'), 2);
  t.is(columns('José'), 4);
  t.is(fit('東京タワー', 6), '東京… ');
  t.is(columns(fit('東京タワー', 6)), 6);
  t.is(fit('東京', 4), '東京');
  t.is(fit('東京', 6, 'right'), '  東京');
  t.is(fit('🚀🚀🚀', 4), '🚀… ');
  t.is(fit('👩‍👩‍👧 team', 3), '👩‍👩‍👧…');
  t.is(fit('José Müller', 5), 'José…');
  t.is(pad('李', 4), '李  ');
  for (const width of [1, 2, 3, 5, 7]) t.is(columns(fit('ラーメン屋の🍜', width)), width, `width ${width}`);
  // Lines of wide text keep to the width in columns, breaking between characters.
  const lines = wrap('オンコール 交代 東京リージョン', 8);
  t.deepEqual(lines, ['オンコー', 'ル 交代', '東京リー', 'ジョン']);
  t.true(lines.every((l) => columns(l) <= 8));
});

test('compact numbers stay short', (t) => {
  t.is(compact(950), '950');
  t.is(compact(1234), '1.2k');
  t.is(compact(34_000), '34k');
  t.is(compact(5_600_000), '5.6M');
  t.is(compact(2.5), '2.5');
});

test('ages read as seconds, minutes or hours', (t) => {
  t.is(formatSpan(45), '45s');
  t.is(formatSpan(754), '12m34s');
  t.is(formatSpan(3900), '1h05m');
});

test('bars fill in eighths and keep their width', (t) => {
  t.is(bar(0.5, 4), '██  ');
  t.is(bar(1, 3), '███');
  t.is(bar(0, 3), '   ');
  t.is(bar(1 / 16, 1), '▏');
});

test('fitByPriority keeps the most important items that fit, in their order', (t) => {
  const items = [
    { name: 'a', w: 5, p: 1 },
    { name: 'b', w: 5, p: 3 },
    { name: 'c', w: 20, p: 2 },
    { name: 'd', w: 3, p: 4 },
  ];
  const kept = fitByPriority(
    items,
    15,
    (i) => i.w,
    (i) => i.p,
  ).map((i) => i.name);
  // d and b fit (3 + 1 + 5), c does not, a still does (+ 1 + 5 = 15).
  t.deepEqual(kept, ['a', 'b', 'd']);
});

test('wrap breaks at spaces and splits words longer than a line', (t) => {
  t.deepEqual(wrap('stop versus reboot keeps the host', 12), ['stop versus', 'reboot keeps', 'the host']);
  t.deepEqual(wrap('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
});
