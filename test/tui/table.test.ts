import test from 'ava';
import { fitColumns, renderTable, scrollTo, type Column } from '../../src/tui/table.js';
import { createTheme } from '../../src/tui/theme.js';

const columns: Column<number>[] = [
  { title: 'ID', width: 6, priority: 9, cell: (n) => `row-${n}` },
  { title: 'NAME', width: 6, priority: 8, grow: true, cell: (n) => `n${n}` },
  { title: 'HOST', width: 10, priority: 1, cell: () => 'host' },
  { title: 'STATE', width: 8, priority: 10, cell: () => ({ text: 'running', role: 'ok' }) },
];

test('narrow tables drop low-priority columns and the growing column takes what is left', (t) => {
  const fitted = fitColumns(columns, 30);
  t.deepEqual(
    fitted.map((c) => c.title),
    ['ID', 'NAME', 'STATE'],
  );
  t.is(fitted.reduce((s, c) => s + c.width, 0) + fitted.length - 1, 30);
});

test('the scroll window keeps the selection in view, moving as little as it can', (t) => {
  t.is(scrollTo(0, 0, 5, 100), 0);
  t.is(scrollTo(7, 0, 5, 100), 3);
  t.is(scrollTo(4, 3, 5, 100), 3);
  t.is(scrollTo(1, 3, 5, 100), 1);
  t.is(scrollTo(99, 0, 5, 100), 95);
  t.is(scrollTo(2, 50, 5, 3), 0);
});

test('only the visible rows of a long table are formatted', (t) => {
  let formatted = 0;
  const counting: Column<number>[] = [{ title: 'N', width: 8, priority: 1, cell: (n) => (formatted++, String(n)) }];
  const rows = Array.from({ length: 100_000 }, (_, i) => i);
  const { lines, offset } = renderTable(
    { columns: counting, rows, width: 8, height: 11, selected: 5000, offset: 0, showCursor: true },
    createTheme(true),
  );
  t.is(lines.length, 11);
  t.is(formatted, 10);
  t.is(offset, 4991);
  t.true(lines[10]!.includes('5000') && lines[10]!.includes('{inverse}'));
});
