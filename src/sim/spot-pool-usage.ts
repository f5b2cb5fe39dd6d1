// Each Spot capacity pool's usage: the instances using its capacity, and those it still counts on.
// Kept up to date with the instances touched (see changes.ts), one pool at a time.
import { beyondReach, byLaunch, derivedSlot, isListed, maintained, stillListed, type Touched } from './changes.js';
import { resorted } from './sorted.js';
import { rows } from './tables.js';
import type { Instance, World } from './types.js';

/** Kept up to date in place as instances join: read it, but do not hold it across a change to the world. */
export interface PoolUsage {
  /** Spot instances using the pool's capacity: launched and not yet gone, in launch order. */
  users: Instance[];
  /** Users not yet told to leave, in launch order: the pool reclaims from the last. */
  holders: Instance[];
  /** The lowest maximum price among the holders. */
  lowestMaxMicros: number;
  /** Holders not yet sent a rebalance recommendation: while none is, a pool at risk has no one to tell. */
  unadvised: number;
}

const usesPool = (inst: Instance) => !!inst.spot && inst.hostId !== null;

/** The usage of the pool `key` by `users`, its users in launch order. */
function usage(world: World, key: string, users: Instance[]): PoolUsage {
  const holders = users.filter((i) => i.spot!.noticeAt === null);
  // A holder without a maximum price of its own pays at most the pool's On-Demand price, looked up once.
  let onDemandMicros: number | undefined;
  let lowestMaxMicros = Infinity;
  let unadvised = 0;
  for (let h = 0; h < holders.length; h++) {
    const spot = holders[h]!.spot!;
    lowestMaxMicros = Math.min(
      lowestMaxMicros,
      spot.maxPriceMicros ?? (onDemandMicros ??= world.spotPools[key]!.onDemandMicros),
    );
    if (spot.rebalanceAt === null) unadvised++;
  }
  return { users, holders, lowestMaxMicros, unadvised };
}

function build(world: World): Map<string, PoolUsage> {
  const users = new Map<string, Instance[]>();
  // An indexed loop: an iterator allocates a record at each of a region's million instances.
  const instances = rows(world, 'instances');
  for (let i = 0; i < instances.length; i++) {
    const inst = instances[i]!;
    if (!usesPool(inst)) continue;
    const list = users.get(inst.spot!.poolKey);
    if (list) list.push(inst);
    else users.set(inst.spot!.poolKey, [inst]);
  }
  return new Map([...users].map(([key, list]) => [key, usage(world, key, list)]));
}

/** Whether `inst` is among `list` (users or holders, in launch order), found by bisection. */
function isAmong(list: readonly Instance[], inst: Instance): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.launchSeq < inst.launchSeq) lo = mid + 1;
    else hi = mid;
  }
  return list[lo] === inst;
}

/**
 * Whether the pool's usage stands as it was after a touch of these instances: none joins or leaves
 * its users or its holders, and none is a holder (whose advice or maximum price the usage counts).
 * So it is when EC2 interrupts the instances it sent a notice: they left the holders at the notice
 * and use the pool's capacity until they leave their hosts.
 */
function standsAsItWas(world: World, pool: PoolUsage, touched: readonly Instance[]): boolean {
  for (const inst of touched) {
    const user = isListed(world, inst) && usesPool(inst);
    if (isAmong(pool.users, inst) !== user) return false;
    if (user && (inst.spot!.noticeAt === null || isAmong(pool.holders, inst))) return false;
  }
  return true;
}

function update(world: World, pools: Map<string, PoolUsage>, touched: Touched): void {
  const changed = new Map<string, Instance[]>();
  // What reaches an instance has no part in its use of a pool.
  for (const inst of beyondReach(touched)) {
    if (!inst.spot) continue;
    const list = changed.get(inst.spot.poolKey);
    if (list) list.push(inst);
    else changed.set(inst.spot.poolKey, [inst]);
  }
  for (const [key, touchedHere] of changed) {
    const was = pools.get(key);
    if (was && standsAsItWas(world, was, touchedHere)) continue;
    const joined = stillListed(world, touchedHere.filter(usesPool));
    const last = was?.users[was.users.length - 1];
    const after = !last || joined.length === 0 || joined[0]!.launchSeq > last.launchSeq;
    if (was && after && touchedHere.every((i) => !isAmong(was.users, i))) {
      // Newcomers only, launched after every user, as when a fleet is launched: they join at the end.
      appendUsers(world, was, joined);
      continue;
    }
    const users = resorted(was?.users ?? [], new Set(touchedHere), joined, byLaunch);
    if (users.length) pools.set(key, usage(world, key, users));
    else pools.delete(key);
  }
}

/** Adds users launched after every current one, in place. */
function appendUsers(world: World, pool: PoolUsage, joined: readonly Instance[]): void {
  for (const inst of joined) {
    pool.users.push(inst);
    if (inst.spot!.noticeAt !== null) continue;
    pool.holders.push(inst);
    if (inst.spot!.rebalanceAt === null) pool.unadvised++;
    pool.lowestMaxMicros = Math.min(
      pool.lowestMaxMicros,
      inst.spot!.maxPriceMicros ?? world.spotPools[inst.spot!.poolKey]!.onDemandMicros,
    );
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
