// What the per-tick systems derive from the world (who is mid-transition, which members serve a
// workload, what the fleet is billed per second) changes only when something happens, and everything
// that happens is an event. So a world keeps a count of its events, and derived data is rebuilt
// only when the count has moved: a quiet second costs what is actually moving, not the whole fleet.
// The count lives beside the world, not in it; a world restored from JSON starts with no derived data.
import type { World } from './types.js';

const counts = new WeakMap<World, number>();

/** Records that the world has changed in a way derived data may depend on. */
export function noteChange(world: World): void {
  counts.set(world, (counts.get(world) ?? 0) + 1);
}

export function changeCount(world: World): number {
  return counts.get(world) ?? 0;
}

interface Cached<T> {
  count: number;
  value: T;
}

/**
 * A value derived from the world, rebuilt when the world has changed since it was built. Each
 * `slot` names one kind of derived value.
 */
export function derived<T>(world: World, slot: DerivedSlot<T>, build: () => T): T {
  const count = changeCount(world);
  const cached = slot.get(world);
  if (cached && cached.count === count) return cached.value;
  const value = build();
  slot.set(world, { count: changeCount(world), value });
  return value;
}

export type DerivedSlot<T> = WeakMap<World, Cached<T>>;

export function derivedSlot<T>(): DerivedSlot<T> {
  return new WeakMap();
}
