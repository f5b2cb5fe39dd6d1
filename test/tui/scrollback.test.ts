import test from 'ava';
import { Scrollback } from '../../src/tui/scrollback.js';

test('a scrollback keeps its newest entries, numbered', (t) => {
  const log = new Scrollback<{ n: number }>(100);
  for (let n = 1; n <= 1000; n++) log.push({ n });
  const entries = log.entries();
  t.true(entries.length >= 100 && entries.length <= 125);
  t.is(entries[entries.length - 1]!.n, 1000);
  t.is(entries[entries.length - 1]!.seq, 1000);
  t.is(log.count, 1000);
});
