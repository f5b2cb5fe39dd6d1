// Charges by the second: running instances at their on-demand or current Spot price, volumes for
// what they provision whatever their instance's state. Stopped instances cost nothing themselves.
// The ledger adds the fleet's rates each second; each instance and volume keeps a meter that is
// read when its rate changes, and the fleet's rates move at the same moments, so neither costs
// anything to keep up to date. Rates are sums of integers: however they were arrived at, a world
// kept up to date and one restored from a save bill alike.
import { instanceType } from './catalogue.js';
import { rows } from './tables.js';
import { SECONDS_PER_HOUR } from './timings.js';
import type { Instance, InstanceState, Volume, World } from './types.js';
import { HOURS_PER_MONTH, monthlyMicros } from './volume-types.js';

const billed = (state: InstanceState) => state === 'running' || state === 'rebooting';

const SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR;

/** What the meter reads now: the tick for on-demand, the pool's per-instance charges so far for Spot. */
function meter(world: World, inst: Instance): number {
  return inst.spot ? world.spotPools[inst.spot.poolKey]!.chargedMicros : world.tick;
}

function sinceMark(world: World, inst: Instance): number {
  if (inst.costMark === null) return 0;
  const elapsed = meter(world, inst) - inst.costMark;
  return inst.spot ? elapsed : (instanceType(inst.type)!.onDemandMicrosPerHour / SECONDS_PER_HOUR) * elapsed;
}

/** Reads an instance's meter when it may start or stop being billed: a change of state. */
export function readMeter(world: World, inst: Instance): void {
  const was = inst.costMark !== null;
  inst.costMicros = instanceCostMicros(world, inst);
  inst.costMark = billed(inst.state) ? meter(world, inst) : null;
  const rates = kept.get(world);
  if (rates && was !== (inst.costMark !== null)) addInstanceRate(rates, inst, was ? -1 : 1);
}

/** A volume starts being billed at its current price: a new volume, or one whose modification has taken effect. */
export function billVolume(world: World, v: Volume): void {
  const rates = kept.get(world);
  if (rates) rates.ebsMonthlyMicros += monthlyMicros(v);
}

/** Reads a volume's meter and takes its price out of the fleet's: before its price changes, or when it is deleted. */
export function stopBillingVolume(world: World, v: Volume): void {
  v.costMicros = volumeCostMicros(world, v);
  v.costMark = world.tick;
  const rates = kept.get(world);
  if (rates) rates.ebsMonthlyMicros -= monthlyMicros(v);
}

export function instanceCostMicros(world: World, inst: Instance): number {
  return inst.costMicros + sinceMark(world, inst);
}

export function volumeCostMicros(world: World, v: Volume): number {
  return v.costMicros + (monthlyMicros(v) / SECONDS_PER_MONTH) * (world.tick - v.costMark);
}

/** The fleet's rates, kept beside the world; one restored from JSON draws them up afresh. */
export interface Rates {
  onDemandMicrosPerHour: number;
  spotHolders: Map<string, number>;
  ebsMonthlyMicros: number;
}

const kept = new WeakMap<World, Rates>();

function addInstanceRate(rates: Rates, inst: Instance, sign: 1 | -1): void {
  if (inst.spot) rates.spotHolders.set(inst.spot.poolKey, (rates.spotHolders.get(inst.spot.poolKey) ?? 0) + sign);
  else rates.onDemandMicrosPerHour += sign * instanceType(inst.type)!.onDemandMicrosPerHour;
}

export function fleetRates(world: World): Readonly<Rates> {
  let rates = kept.get(world);
  if (!rates) {
    rates = { onDemandMicrosPerHour: 0, spotHolders: new Map(), ebsMonthlyMicros: 0 };
    for (const inst of rows(world.instances)) if (inst.costMark !== null) addInstanceRate(rates, inst, 1);
    for (const v of rows(world.volumes)) rates.ebsMonthlyMicros += monthlyMicros(v);
    kept.set(world, rates);
  }
  return rates;
}

export function billSecond(world: World): void {
  const rates = fleetRates(world);
  world.ledger.onDemandMicros += rates.onDemandMicrosPerHour / SECONDS_PER_HOUR;
  for (const key in world.spotPools) {
    const pool = world.spotPools[key]!;
    const charge = pool.priceMicros / SECONDS_PER_HOUR;
    pool.chargedMicros += charge;
    world.ledger.spotMicros += charge * (rates.spotHolders.get(key) ?? 0);
  }
  world.ledger.ebsMicros += rates.ebsMonthlyMicros / SECONDS_PER_MONTH;
}
