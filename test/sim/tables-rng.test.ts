import test from 'ava';
import seedrandom from 'seedrandom';
import { draw } from '../../src/sim/rng.js';
import { insert, remove, rows } from '../../src/sim/tables.js';
import type { World } from '../../src/sim/types.js';

test('the row cache follows inserts, overwrites and removes in the order Object.values gives', (t) => {
  const table: Record<string, { v: number }> = {};
  insert(table, 'i-a', { v: 1 });
  rows(table);
  insert(table, 'i-b', { v: 2 });
  insert(table, 'i-c', { v: 3 });
  insert(table, 'i-a', { v: 4 });
  remove(table, 'i-b');
  remove(table, 'i-missing');
  insert(table, '7', { v: 5 }); // an array index: records order it first
  insert(table, 'i-d', { v: 6 });
  t.deepEqual(rows(table), Object.values(table));
  t.deepEqual(
    rows(table).map((r) => r.v),
    [5, 4, 3, 6],
  );
});

test('draws are seedrandom Alea draws, and resume from the state the world keeps', (t) => {
  const world = { seed: '42', rng: {} } as unknown as World;
  const alea = seedrandom.alea('42:demand', { state: true });
  const first = Array.from({ length: 5 }, () => draw(world, 'demand'));
  t.deepEqual(
    first,
    Array.from({ length: 5 }, () => alea()),
  );
  const resumed = JSON.parse(JSON.stringify(world)) as World;
  const next = alea();
  t.is(draw(resumed, 'demand'), next);
  t.is(draw(world, 'demand'), next, 'a draw from a copy leaves the original where it was');
  t.not(draw(world, 'other'), draw(world, 'demand'), 'streams are independent');
});
