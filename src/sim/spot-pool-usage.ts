// Each Spot capacity pool's usage: the instances using its capacity, and those it still counts on.
// Kept up to date with the instances touched (see changes.ts), one pool at a time.
import { byLaunch, derivedSlot, maintained, stillListed, type Touched } from './changes.js';
import { rows } from './tables.js';
import type { Instance, World } from './types.js';

export interface PoolUsage {
  /** Spot instances using the pool's capacity: launched and not yet gone, in launch order. */
  users: Instance[];
  /** Users not yet told to leave, in launch order: the pool reclaims from the last. */
  holders: Instance[];
  /** The lowest maximum price among the holders. */
  lowestMaxMicros: number;
}

const usesPool = (inst: Instance) => !!inst.spot && inst.hostId !== null;

function usage(world: World, users: Instance[]): PoolUsage {
  const holders = users.filter((i) => i.spot!.noticeAt === null);
  let lowestMaxMicros = Infinity;
  for (const i of holders)
    lowestMaxMicros = Math.min(
      lowestMaxMicros,
      i.spot!.maxPriceMicros ?? world.spotPools[i.spot!.poolKey]!.onDemandMicros,
    );
  return { users, holders, lowestMaxMicros };
}

function build(world: World): Map<string, PoolUsage> {
  const users = new Map<string, Instance[]>();
  for (const inst of rows(world, 'instances')) {
    if (!usesPool(inst)) continue;
    const list = users.get(inst.spot!.poolKey);
    if (list) list.push(inst);
    else users.set(inst.spot!.poolKey, [inst]);
  }
  return new Map([...users].map(([key, list]) => [key, usage(world, list)]));
}

function update(world: World, pools: Map<string, PoolUsage>, touched: Touched): void {
  const added = new Map<string, Instance[]>();
  for (const inst of touched.instances)
    if (inst.spot && !added.has(inst.spot.poolKey)) added.set(inst.spot.poolKey, []);
  for (const inst of stillListed(world, touched.instances))
    if (usesPool(inst)) added.get(inst.spot!.poolKey)!.push(inst);
  for (const [key, joined] of added) {
    const users = [...(pools.get(key)?.users ?? []).filter((i) => !touched.instances.has(i)), ...joined].sort(byLaunch);
    if (users.length) pools.set(key, usage(world, users));
    else pools.delete(key);
  }
}

const slot = derivedSlot<Map<string, PoolUsage>>('Spot pool usage');

export function spotPoolUsage(world: World): ReadonlyMap<string, PoolUsage> {
  return maintained(
    world,
    slot,
    () => build(world),
    (pools, touched) => update(world, pools, touched),
  );
}
