// AWS-shaped identifiers. Instance and volume ids are random hex, as in EC2, so that a short unique
// prefix is enough to name one; they come from their own stream so new ids never shift other draws.
import { derived, derivedKind } from './derived.js';
import { drawIntsInto } from './rng.js';
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

/**
 * The character codes of the last id made with each prefix, kept with the world's derived data so
 * that making one allocates nothing but the id itself: a region of a million instances makes three
 * or four ids for each, and a list of codes grown and spread into a call for every one of them was
 * a third of everything allocated while the region was built.
 */
const ID_CODES = derivedKind('id codes', () => new Map<string, number[]>());
/** The character codes of the last MAC address made (see ID_CODES). */
const MAC_CODES = derivedKind('MAC address codes', () => Array.from('0e:00:00:00:00:00', (c) => c.charCodeAt(0)));

/** Writes `length` random hex digits into `codes` from `at`, as character codes. */
function randomHex(world: World, codes: number[], at: number, length: number): void {
  drawIntsInto(world, 'ids', 16, codes, at, at + length);
  for (let i = at; i < at + length; i++) codes[i] = HEX_CODES[codes[i]!]!;
}

const ID_DIGITS = 16;

/**
 * A fresh id such as `i-0a12...` (17 hex digits), never a key of `table` (the records it names, or
 * null for none); one flat string (see flat). Looked for with Object.hasOwn: `in` also looks along
 * the prototype chain, and for a string never used as a key before it took three times as long, a
 * third of building a region of a million instances.
 */
export function newId(world: World, prefix: string, table: Readonly<Record<string, unknown>> | null): string {
  const scratch = derived(world, ID_CODES);
  let codes = scratch.get(prefix);
  if (!codes) {
    codes = Array.from(`${prefix}-0${'0'.repeat(ID_DIGITS)}`, (c) => c.charCodeAt(0));
    scratch.set(prefix, codes);
  }
  for (;;) {
    randomHex(world, codes, codes.length - ID_DIGITS, ID_DIGITS);
    const id = String.fromCharCode.apply(null, codes);
    if (!table || !Object.hasOwn(table, id)) return id;
  }
}

/** The next value of a named counter, starting at 1. */
export function nextCounter(world: World, name: string): number {
  const value = (world.counters[name] ?? 0) + 1;
  world.counters[name] = value;
  return value;
}

/** A MAC address such as `0e:1a:2b:3c:4d:5e`; one flat string (see flat). */
export function macAddress(world: World): string {
  const codes = derived(world, MAC_CODES);
  for (let i = 0; i < 5; i++) randomHex(world, codes, 3 * i + 3, 2);
  return String.fromCharCode.apply(null, codes);
}
