// The world's fingerprint is in every save and report, and a save is checked against it when it is
// loaded: its value for a given world must never change, whatever is done to make it faster.
import test from 'ava';
import { fingerprint } from '../../src/sim/hash.js';

const table = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`i-${1000 + i}`, { q: i, p: 'x' }]));

test('numbers hash as the text String() gives them, integers and fractions alike', (t) => {
  const cases: [number, string][] = [
    [0, '1b7468f498a50ec8'],
    [-0, '1b7468f498a50ec8'],
    [9, '14745defd304d3b7'],
    [10, '8243fe15f12d58a4'],
    [-10, 'cddce3e21004d477'],
    [2 ** 53 - 1, '7ac7a91affc970e8'],
    [-(2 ** 53 - 1), '0d00777d1dfa43fe'],
    [1e15, '5388f8cd57ca6d16'],
    [0.5, 'd76ac781a08c4293'],
    [1e21, '01286c0aa83ad4c1'],
  ];
  for (const [n, hex] of cases) t.is(fingerprint(n), hex, `${n}`);
});

test('records and tables hash by their sorted keys, in whatever order they were written', (t) => {
  t.is(fingerprint({ b: 'x', a: [1, { z: null, y: true }] }), '1dcbc9dd4e15ff8d');
  t.is(fingerprint({ a: [1, { y: true, z: null }], b: 'x' }), '1dcbc9dd4e15ff8d');
  t.is(fingerprint(table), '15e58a60a9cf0b36');
  t.is(fingerprint(Object.fromEntries(Object.entries(table).reverse())), '15e58a60a9cf0b36');
});

test('records of one shape written in other orders, and a field left undefined, hash as their sorted keys do', (t) => {
  // The order of one shape's keys is kept once seen: a second order of the same keys is its own.
  const rows = [
    { a: 1, b: 2, c: 3 },
    { c: 3, a: 1, b: 2 },
    { a: 1, b: 2, c: 3, d: undefined },
  ];
  const hashes = rows.map((row) => fingerprint([row, row]));
  t.is(new Set(hashes).size, 1);
});
