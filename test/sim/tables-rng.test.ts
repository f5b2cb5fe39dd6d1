import test from 'ava';
import seedrandom from 'seedrandom';
import { draw, drawInt, drawIntsInto } from '../../src/sim/rng.js';
import { insert, remove, rows } from '../../src/sim/tables.js';
import type { Instance, World } from '../../src/sim/types.js';

test('the rows follow inserts, overwrites and removes in the order Object.values gives', (t) => {
  const world = { instances: {} } as unknown as World;
  const table = world.instances as unknown as Record<string, Instance>;
  const row = (v: number) => ({ v }) as unknown as Instance;
  insert(world, 'instances', 'i-a', row(1));
  rows(world, 'instances');
  insert(world, 'instances', 'i-b', row(2));
  insert(world, 'instances', 'i-c', row(3));
  insert(world, 'instances', 'i-a', row(4));
  remove(world, 'instances', 'i-b');
  remove(world, 'instances', 'i-missing');
  insert(world, 'instances', '7', row(5)); // an array index: records order it first
  insert(world, 'instances', 'i-d', row(6));
  t.deepEqual(rows(world, 'instances'), Object.values(table));
  t.deepEqual(
    rows(world, 'instances').map((r) => (r as unknown as { v: number }).v),
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

test('integers drawn into a list are the draws drawInt gives one after another, and leave the stream where it would', (t) => {
  const one = { seed: '7', rng: {} } as unknown as World;
  const many = { seed: '7', rng: {} } as unknown as World;
  const expected = Array.from({ length: 20 }, () => drawInt(one, 'ids', 16));
  const into = [-1, -1, ...Array.from({ length: 20 }, () => 0), -1];
  drawIntsInto(many, 'ids', 16, into, 2, 22);
  t.deepEqual(into, [-1, -1, ...expected, -1]);
  t.deepEqual(many.rng, one.rng);
});
