// AWS-shaped identifiers. Instance and volume ids are random hex, as in EC2, so that a short unique
// prefix is enough to name one; they come from their own stream so new ids never shift other draws.
import { drawInt } from './rng.js';
import type { World } from './types.js';

const HEX = '0123456789abcdef';

function randomHex(world: World, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[drawInt(world, 'ids', 16)];
  return out;
}

/** A fresh id such as `i-0a12...` (17 hex digits), never one already used in this world. */
export function newId(world: World, prefix: string, taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}-0${randomHex(world, 16)}`;
    if (!taken(id)) return id;
  }
}

/** The next value of a named counter, starting at 1. */
export function nextCounter(world: World, name: string): number {
  const value = (world.counters[name] ?? 0) + 1;
  world.counters[name] = value;
  return value;
}

export function macAddress(world: World): string {
  const octets = ['0e'];
  for (let i = 0; i < 5; i++) octets.push(randomHex(world, 2));
  return octets.join(':');
}
