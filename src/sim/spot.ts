// The Spot market: capacity pools per (instance type, zone) whose spare capacity and price move
// over time. When a pool runs short, EC2 first sends a rebalance recommendation to the instances
// at risk, then an interruption notice, then interrupts them: two minutes after the notice for a
// stop or a terminate, at once for a hibernate (EC2 User Guide, "Spot Instance interruption
// notices").
import { touchSpotSignals } from './changes.js';
import { CommandError } from './errors.js';
import { counted } from './counted.js';
import type { EventSink } from './events.js';
import {
  beginStart,
  hibernates,
  inSpotPool,
  instanceLabel,
  interruptStop,
  maxPriceOf,
  spotPoolNews,
  terminate,
} from './instances.js';
import { spotPoolUsage } from './spot-pool-usage.js';
import { drawNoise } from './rng.js';
import { TICKS } from './timings.js';
import type { EventData, Instance, SpotPool, World } from './types.js';
import { watchOf } from './watch.js';

/** Pools move once a simulated minute; prices in EC2 move slowly, not every second. */
export const POOL_PERIOD = 60;

/** Where the Spot price heads, as a share of on-demand: from 25% in an empty pool to 90% in a full one. */
function targetPrice(pool: SpotPool, used: number): number {
  const utilisation = pool.capacity > 0 ? Math.min(1, used / pool.capacity) : 1;
  return Math.round(pool.onDemandMicros * (0.25 + 0.65 * utilisation * utilisation));
}

/** Spare capacity at or below this is elevated risk: a rebalance recommendation goes out. */
function riskMargin(pool: SpotPool): number {
  return Math.max(1, Math.ceil(pool.meanCapacity / 10));
}

/** The most a Spot price moves in a minute, as a share of on-demand: this simulation's choice. */
export const PRICE_STEP_PER_MINUTE = 0.02;

/**
 * Spot prices adjust gradually, following long-term trends in supply and demand (EC2 User Guide,
 * "Spot Instance pricing history"): once a minute the price takes a bounded step towards where the
 * pool's use points, and holds between steps. At the start of play it stands where the market is.
 */
function movePrice(pool: SpotPool, target: number, opening: boolean): number {
  if (opening) return target;
  const step = Math.round(pool.onDemandMicros * PRICE_STEP_PER_MINUTE);
  return pool.priceMicros + Math.max(-step, Math.min(step, target - pool.priceMicros));
}

function drift(world: World, pool: SpotPool): void {
  const pull = Math.round((pool.meanCapacity - pool.capacity) / 8);
  const step = Math.round(drawNoise(world, `spot:${pool.key}`) * pool.volatility);
  pool.capacity = Math.max(0, pool.capacity + pull + step);
}

export function advanceSpot(world: World, events: EventSink): void {
  const minute = world.tick % POOL_PERIOD === 0;
  const pools = spotPoolUsage(world);
  for (const key in world.spotPools) {
    const pool = world.spotPools[key]!;
    if (minute) drift(world, pool);
    const entry = pools.get(key);
    if (minute) pool.priceMicros = movePrice(pool, targetPrice(pool, entry?.users.length ?? 0), world.tick === 0);
    if (!entry) continue;
    const { holders, lowestMaxMicros } = entry;
    // The reclaim falls on the instances the pool took on last, and on any whose maximum price the pool has passed.
    const excess = holders.length - pool.capacity;
    const reclaim = excess > 0 || lowestMaxMicros < pool.priceMicros;
    const lastTaken = holders.length - Math.max(0, excess);
    const noticed = reclaim
      ? holders.filter((inst, i) => i >= lastTaken || maxPriceOf(inst.spot!, pool) < pool.priceMicros)
      : [];
    // A pool at elevated risk recommends rebalancing to all its holders; a notice comes with one at
    // the latest. A recommendation marks its instance, so the pool's usage counts it as advised from
    // the next second.
    const atRisk = entry.unadvised > 0 && pool.capacity - holders.length <= riskMargin(pool);
    recommendRebalance(world, atRisk ? holders : noticed, events);
    for (const inst of noticed) sendNotice(world, inst, events);
  }
  // The pools found without room this second: while a pool's cut holds, thousands of its instances
  // wait stopped, and each would ask the pool again every second. An interruption frees room in its
  // pool, so the pool is asked again after one.
  let full: Set<string> | null = null;
  for (const inst of watchOf(world).spot) {
    const key = inst.spot!.poolKey;
    if (inst.spot!.interruptAt === world.tick) {
      interrupt(world, inst, events);
      full?.delete(key);
    } else if (inst.state === 'stopped' && inst.stopReason === 'spot' && !full?.has(key)) {
      if (!resumeIfRoom(world, inst, events)) (full ??= new Set()).add(key);
    }
  }
}

/** When the interruption follows its notice: two minutes for a stop or a terminate, at once for a hibernate. */
const noticeLead = (data: EventData | undefined) =>
  hibernates(data) ? 'now (a hibernate gets no two-minute warning)' : 'in 2 minutes';

/** The rebalance recommendations, notices and interruptions of a Spot pool in one second (see spotPoolNews). */
const NEWS = {
  rebalance: (instances: readonly Instance[]) =>
    `${inSpotPool(instances[0]!)} is at elevated risk of interruption: rebalance recommendation to ${counted(instances.length, 'instance')}`,
  notice: spotPoolNews(
    (inst, data) => `${instanceLabel(inst)}: Spot interruption notice, ${String(data?.action)} ${noticeLead(data)}`,
    (count, data) => `interruption notice to ${count}, ${String(data?.action)} ${noticeLead(data)}`,
  ),
  interrupted: spotPoolNews(
    (inst, data) => `${instanceLabel(inst)} interrupted by EC2 (${String(data?.action)})`,
    (count, data) => `${count} interrupted by EC2 (${String(data?.action)})`,
  ),
};

/**
 * A rebalance recommendation (EC2 User Guide, "EC2 instance rebalance recommendations") to those of
 * `instances` not yet sent one. Each instance's own signal is its `rebalanceAt`, which its IMDS
 * serves at events/recommendations/rebalance and its details show; the log tells the cause once, a
 * pool at elevated risk of interruption, listing the instances it reached in this second.
 */
function recommendRebalance(world: World, instances: readonly Instance[], events: EventSink): void {
  for (const inst of instances) {
    if (inst.spot!.rebalanceAt !== null) continue;
    inst.spot!.rebalanceAt = world.tick;
    touchSpotSignals(world, inst);
    events.emitFor('spot-rebalance-recommendation', 'warn', inst.spot!.poolKey, inst, NEWS.rebalance);
  }
}

/**
 * The interruption notice (EC2 User Guide, "Spot Instance interruption notices"): two minutes
 * before EC2 stops or terminates the instance; a hibernate gets the notice but no two-minute
 * warning, as hibernation starts at once. Each instance's own notice is in its record, which its
 * IMDS serves at spot/instance-action; the log tells the pool's notices of a second in one event.
 */
function sendNotice(world: World, inst: Instance, events: EventSink): void {
  const spot = inst.spot!;
  const lead = spot.behavior === 'hibernate' ? 0 : TICKS.spotNotice;
  spot.noticeAt = world.tick;
  touchSpotSignals(world, inst);
  spot.interruptAt = world.tick + lead;
  spot.action = spot.behavior;
  events.emitFor('spot-interruption-notice', 'error', spot.poolKey, inst, NEWS.notice, {
    action: spot.behavior,
    at: spot.interruptAt,
  });
}

function interrupt(world: World, inst: Instance, events: EventSink): void {
  const spot = inst.spot!;
  if (inst.state !== 'running' && inst.state !== 'pending') return;
  events.emitFor('spot-interrupted', 'error', spot.poolKey, inst, NEWS.interrupted, { action: spot.action });
  if (spot.action === 'terminate') terminate(world, inst, events, 'spot');
  else interruptStop(world, inst, events);
}

/**
 * A persistent request brings a stopped Spot instance back once its pool has room again and its
 * price is within the instance's maximum; only EC2 does (EC2 User Guide, "Behavior of Spot Instance
 * interruptions"; "Spot Instances can only be resumed if capacity is available and the Spot price is
 * less than or equal to your specified maximum price"). False when the pool has no room (its other
 * stopped instances need not ask this second), else true, whether or not the instance started.
 */
function resumeIfRoom(world: World, inst: Instance, events: EventSink): boolean {
  const pool = world.spotPools[inst.spot!.poolKey]!;
  if (pool.capacity - (spotPoolUsage(world).get(pool.key)?.holders.length ?? 0) <= riskMargin(pool)) return false;
  if (maxPriceOf(inst.spot!, pool) < pool.priceMicros) return true;
  try {
    beginStart(world, inst, events);
  } catch (err) {
    if (err instanceof CommandError) return true; // no host has room yet: try again next tick
    throw err;
  }
  // Cleared in place: a copy would give the instance's Spot record a second layout, and every
  // reader of Spot records would meet both from then on.
  const spot = inst.spot!;
  spot.rebalanceAt = null;
  spot.noticeAt = null;
  spot.interruptAt = null;
  spot.action = null;
  return true;
}
