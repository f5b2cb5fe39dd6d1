// The Spot market: capacity pools per (instance type, zone) whose spare capacity and price move
// over time. When a pool runs short, EC2 first sends a rebalance recommendation to the instances
// at risk, then an interruption notice two minutes ahead, then interrupts them.
import { CommandError } from './errors.js';
import type { EventSink } from './events.js';
import { instanceLabel, start, stop, terminate } from './instances.js';
import { spotStanding } from './spot-standing.js';
import { drawNoise } from './rng.js';
import { TICKS } from './timings.js';
import type { Instance, SpotPool, World } from './types.js';
import { watchOf } from './watch.js';

/** Pools move once a simulated minute; prices in EC2 move slowly, not every second. */
export const POOL_PERIOD = 60;

/** Spot price as a share of on-demand: from 25% in an empty pool to 90% in a full one. */
function priceFor(pool: SpotPool, used: number): number {
  const utilisation = pool.capacity > 0 ? Math.min(1, used / pool.capacity) : 1;
  return Math.round(pool.onDemandMicros * (0.25 + 0.65 * utilisation * utilisation));
}

/** Spare capacity at or below this is elevated risk: a rebalance recommendation goes out. */
function riskMargin(pool: SpotPool): number {
  return Math.max(1, Math.ceil(pool.meanCapacity / 10));
}

function drift(world: World, pool: SpotPool): void {
  const pull = Math.round((pool.meanCapacity - pool.capacity) / 8);
  const step = Math.round(drawNoise(world, `spot:${pool.key}`) * pool.volatility);
  pool.capacity = Math.max(0, pool.capacity + pull + step);
}

export function advanceSpot(world: World, events: EventSink): void {
  const minute = world.tick % POOL_PERIOD === 0;
  const pools = spotStanding(world);
  for (const key in world.spotPools) {
    const pool = world.spotPools[key]!;
    if (minute) drift(world, pool);
    const entry = pools.get(key);
    pool.priceMicros = priceFor(pool, entry?.users.length ?? 0);
    if (!entry) continue;
    const { holders: standing, lowestMaxMicros } = entry;
    if (pool.capacity - standing.length <= riskMargin(pool)) {
      for (const inst of standing) if (inst.spot!.rebalanceAt === null) recommendRebalance(world, inst, events);
    }
    // The reclaim falls on the instances the pool took on last, and on any whose maximum price the pool has passed.
    const excess = standing.length - pool.capacity;
    if (excess <= 0 && lowestMaxMicros >= pool.priceMicros) continue;
    const lastTaken = standing.length - Math.max(0, excess);
    standing.forEach((inst, i) => {
      if (i >= lastTaken || (inst.spot!.maxPriceMicros ?? pool.onDemandMicros) < pool.priceMicros) sendNotice(world, inst, events);
    });
  }
  for (const inst of watchOf(world).spot) {
    if (inst.spot!.interruptAt === world.tick) interrupt(world, inst, events);
    else if (inst.state === 'stopped' && inst.stopReason === 'spot') resumeIfRoom(world, inst, events);
  }
}

function recommendRebalance(world: World, inst: Instance, events: EventSink): void {
  inst.spot!.rebalanceAt = world.tick;
  events.emit('spot-rebalance-recommendation', 'warn', inst.id, `${instanceLabel(inst)}: rebalance recommendation, its Spot pool is at elevated risk of interruption`);
}

function sendNotice(world: World, inst: Instance, events: EventSink): void {
  const spot = inst.spot!;
  if (spot.rebalanceAt === null) recommendRebalance(world, inst, events);
  spot.noticeAt = world.tick;
  spot.interruptAt = world.tick + TICKS.spotNotice;
  spot.action = spot.behavior;
  events.emit('spot-interruption-notice', 'error', inst.id, `${instanceLabel(inst)}: Spot interruption notice, ${spot.behavior} in 2 minutes`, {
    action: spot.behavior,
    at: spot.interruptAt,
  });
}

function interrupt(world: World, inst: Instance, events: EventSink): void {
  const spot = inst.spot!;
  if (inst.state !== 'running' && inst.state !== 'rebooting' && inst.state !== 'pending') return;
  events.emit('spot-interrupted', 'error', inst.id, `${instanceLabel(inst)} interrupted by EC2 (${spot.action})`, { action: spot.action });
  if (spot.action === 'terminate') terminate(world, inst, events, 'spot');
  else {
    stop(world, inst, { force: true, hibernate: spot.action === 'hibernate' }, events);
    inst.stopReason = 'spot';
  }
}

/** A persistent request brings a stopped Spot instance back once its pool has room again. */
function resumeIfRoom(world: World, inst: Instance, events: EventSink): void {
  const pool = world.spotPools[inst.spot!.poolKey]!;
  if (pool.capacity - (spotStanding(world).get(pool.key)?.holders.length ?? 0) <= riskMargin(pool)) return;
  try {
    start(world, inst, events);
  } catch (err) {
    if (err instanceof CommandError) return; // no host has room yet: try again next tick
    throw err;
  }
  inst.spot = { ...inst.spot!, rebalanceAt: null, noticeAt: null, interruptAt: null, action: null };
}
