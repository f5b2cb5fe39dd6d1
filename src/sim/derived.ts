// What the model works out from a world to answer quickly (tables' rows as arrays, indexes by name,
// attachment and host, the journal of touched entities and how far each reader has read it, the
// roster, watch lists, Spot pool usage, billing rates, the default VPC, parsed addresses, scratch
// space) belongs to that world alone.
// It is kept in one structure on the world object, under a symbol key and not enumerable, so the
// world's JSON (a save), its copies (structuredClone, spread) and its fingerprint all pass it by:
// a world restored or copied starts with none and draws each kind up afresh the first time it is
// asked for. No module keeps state of its own, so two worlds in one process never share any.
import type { World } from './types.js';

/** One kind of derived data: the key its value is kept under on each world. `T` is the value's type. */
export interface DerivedKind<T> {
  readonly name: string;
  /** Never set: ties the kind to its value's type `T`, neither wider nor narrower. */
  readonly type?: (value: T) => T;
}

/** Everything derived from one world, by kind (each kind's value is of that kind's type). */
type Derived = Map<object, unknown>;

const DERIVED = Symbol('derived data');

type Owner = World & { [DERIVED]?: Derived };

/** A kind whose value is drawn up from the world alone, the first time it is asked for (see derived). */
export interface DrawnKind<T> extends DerivedKind<T> {
  readonly draw: (world: World) => T;
}

export function derivedKind<T>(name: string): DerivedKind<T>;
export function derivedKind<T>(name: string, draw: (world: World) => T): DrawnKind<T>;
export function derivedKind<T>(name: string, draw?: (world: World) => T): DerivedKind<T> {
  return Object.freeze(draw ? { name, draw } : { name });
}

function derivedOf(world: World): Derived {
  const owner = world as Owner;
  let derived = owner[DERIVED];
  if (!derived) {
    derived = new Map();
    Object.defineProperty(owner, DERIVED, { value: derived, enumerable: false });
  }
  return derived;
}

/** The world's value of a kind, or undefined when it has not been drawn up. */
export function peek<T>(world: World, kind: DerivedKind<T>): T | undefined {
  return derivedOf(world).get(kind) as T | undefined;
}

/** Keeps `value` as the world's value of a kind, and returns it. */
export function keep<T>(world: World, kind: DerivedKind<T>, value: T): T {
  derivedOf(world).set(kind, value);
  return value;
}

/** The world's value of a kind, drawn up the first time it is asked for. */
export function derived<T>(world: World, kind: DrawnKind<T>): T {
  const value = peek(world, kind);
  return value !== undefined ? value : keep(world, kind, kind.draw(world));
}
