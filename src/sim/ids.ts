// AWS-shaped identifiers. Instance and volume ids are random hex, as in EC2, so that a short unique
// prefix is enough to name one; they come from their own stream so new ids never shift other draws.
import { drawInt } from './rng.js';
import type { World } from './types.js';

const HEX = '0123456789abcdef';

/**
 * One flat string of the parts. V8 keeps a concatenation of 13 characters or more as a rope (a
 * pair of pointers to its parts) until something reads it whole, and an id, name or address kept
 * in a record that way costs its memory twice: a region of a million instances holds several such
 * strings per instance. `join` writes the characters out at once.
 */
export function flat(...parts: (string | number)[]): string {
  return parts.join('');
}

const HEX_CODES: readonly number[] = Object.freeze(Array.from(HEX, (c) => c.charCodeAt(0)));

/** Appends `length` random hex digits to `codes`, as character codes. */
function randomHex(world: World, length: number, codes: number[]): number[] {
  for (let i = 0; i < length; i++) codes.push(HEX_CODES[drawInt(world, 'ids', 16)]!);
  return codes;
}

/** A fresh id such as `i-0a12...` (17 hex digits), never one already used in this world; one flat string (see flat). */
export function newId(world: World, prefix: string, taken: (id: string) => boolean): string {
  const head = `${prefix}-0`;
  for (;;) {
    const codes: number[] = [];
    for (let i = 0; i < head.length; i++) codes.push(head.charCodeAt(i));
    const id = String.fromCharCode(...randomHex(world, 16, codes));
    if (!taken(id)) return id;
  }
}

/** The next value of a named counter, starting at 1. */
export function nextCounter(world: World, name: string): number {
  const value = (world.counters[name] ?? 0) + 1;
  world.counters[name] = value;
  return value;
}

const MAC_HEAD: readonly number[] = Object.freeze(Array.from('0e', (c) => c.charCodeAt(0)));
const COLON = ':'.charCodeAt(0);

/** A MAC address such as `0e:1a:2b:3c:4d:5e`; one flat string (see flat). */
export function macAddress(world: World): string {
  const codes = [...MAC_HEAD];
  for (let i = 0; i < 5; i++) {
    codes.push(COLON);
    randomHex(world, 2, codes);
  }
  return String.fromCharCode(...codes);
}
