// Derived data kept per instance, in an array by the instance's launch sequence (unique in its
// world, counted from 1) instead of a Map keyed by the instance: a Map's entry costs some 40 bytes
// and an array's slot 8, and a region holds a million instances. Slots up to the highest sequence
// set are filled, so the array never turns sparse, whatever order instances are set in.
import type { Instance } from './types.js';

export class ByLaunch<V> {
  private readonly slots: (V | undefined)[] = [];
  private count = 0;

  get(inst: Instance): V | undefined {
    return this.slots[inst.launchSeq];
  }

  set(inst: Instance, value: V): this {
    const seq = inst.launchSeq;
    while (this.slots.length <= seq) this.slots.push(undefined);
    if (this.slots[seq] === undefined) this.count++;
    this.slots[seq] = value;
    return this;
  }

  delete(inst: Instance): boolean {
    if (this.slots[inst.launchSeq] === undefined) return false;
    this.slots[inst.launchSeq] = undefined;
    this.count--;
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** The values, in launch order. */
  *values(): IterableIterator<V> {
    for (const value of this.slots) if (value !== undefined) yield value;
  }
}
