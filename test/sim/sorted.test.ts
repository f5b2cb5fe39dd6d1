// resorted gives one list whichever way it takes: bisection for a few changes, a merge for more.
import test from 'ava';
import { resorted } from '../../src/sim/sorted.js';

const byValue = (a: { v: number }, b: { v: number }) => a.v - b.v;

test('a list resorted with few or many changes is the kept entries and the added ones in order', (t) => {
  const list = Array.from({ length: 2000 }, (_, i) => ({ v: i * 2 }));
  for (const changes of [1, 5, 16, 17, 100, 1500]) {
    const gone = new Set(list.filter((_, i) => (i * 7919) % 2000 < changes / 2));
    const added = Array.from({ length: changes - gone.size }, (_, i) => ({ v: ((i * 104729) % 4000) * 2 + 1 }));
    const expected = [...list.filter((x) => !gone.has(x)), ...added].sort(byValue);
    t.deepEqual(resorted(list, gone, added, byValue), expected, `${changes} changes`);
  }
});
