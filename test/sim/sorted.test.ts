// resorted gives one list whichever way it takes: bisection for a few changes, one pass for more.
import test from 'ava';
import { resorted } from '../../src/sim/sorted.js';

type Entry = { v: number; tag?: string };
const byValue = (a: Entry, b: Entry) => a.v - b.v;

test('a list resorted with few or many changes is the kept entries and the added ones in order', (t) => {
  const list: Entry[] = Array.from({ length: 2000 }, (_, i) => ({ v: i * 2 }));
  for (const changes of [1, 5, 16, 17, 100, 180, 200, 1500]) {
    const gone = new Set(list.filter((_, i) => (i * 7919) % 2000 < changes / 2));
    const added = Array.from({ length: changes - gone.size }, (_, i) => ({ v: ((i * 104729) % 4000) * 2 + 1 }));
    const expected = [...list.filter((x) => !gone.has(x)), ...added].sort(byValue);
    t.deepEqual(resorted(list, gone, added, byValue), expected, `${changes} changes`);
  }
});

test('entries that compare equal keep their order, the kept before the added, by bisection or in one pass', (t) => {
  // Values repeat every 10 entries: each added entry ties with kept ones.
  const list: Entry[] = Array.from({ length: 1000 }, (_, i) => ({ v: Math.floor(i / 10), tag: `kept-${i}` }));
  for (const changes of [2, 40, 600]) {
    const gone = new Set(list.filter((_, i) => i % Math.floor(1000 / changes) === 3).slice(0, changes / 2));
    const added = Array.from({ length: changes / 2 }, (_, i) => ({ v: (i * 37) % 100, tag: `added-${i}` }));
    // A stable sort of the kept then the added is the rule.
    const expected = [...list.filter((x) => !gone.has(x)), ...added].sort(byValue);
    t.deepEqual(
      resorted(list, gone, added, byValue).map((x) => x.tag),
      expected.map((x) => x.tag),
      `${changes} changes`,
    );
  }
});

test('an entry both gone and added again takes its place once; one gone that was never listed changes nothing', (t) => {
  const list: Entry[] = Array.from({ length: 500 }, (_, i) => ({ v: i }));
  const again = list[250]!;
  const stranger = { v: 100 };
  const out = resorted(list, new Set([again, stranger]), [again], byValue);
  t.is(out.length, 500);
  t.is(out[250], again);
  t.deepEqual(out, list);
});
