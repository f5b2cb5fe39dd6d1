// Charges by the second: running instances at their on-demand or current Spot price, volumes for
// what they provision whatever their instance's state. Stopped instances cost nothing themselves.
// The ledger adds the fleet's rates each second; each instance and volume keeps a meter that is
// read when its rate changes, so its own charges cost nothing to keep up to date.
import { instanceType } from './catalogue.js';
import { derived, derivedSlot } from './changes.js';
import { rows } from './tables.js';
import { SECONDS_PER_HOUR } from './timings.js';
import type { Instance, InstanceState, Volume, World } from './types.js';
import { HOURS_PER_MONTH, monthlyMicros } from './volume-types.js';

const billed = (state: InstanceState) => state === 'running' || state === 'rebooting';

const volumeMicrosPerSecond = (v: Volume) => monthlyMicros(v) / (HOURS_PER_MONTH * SECONDS_PER_HOUR);

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
  inst.costMicros = instanceCostMicros(world, inst);
  inst.costMark = billed(inst.state) ? meter(world, inst) : null;
}

/** Reads a volume's meter before its price changes: a modification. */
export function readVolumeMeter(world: World, v: Volume): void {
  v.costMicros = volumeCostMicros(world, v);
  v.costMark = world.tick;
}

export function instanceCostMicros(world: World, inst: Instance): number {
  return inst.costMicros + sinceMark(world, inst);
}

export function volumeCostMicros(world: World, v: Volume): number {
  return v.costMicros + volumeMicrosPerSecond(v) * (world.tick - v.costMark);
}

/** The fleet's rates, which change only with events. */
interface Rates {
  onDemandMicrosPerHour: number;
  spotHolders: Map<string, number>;
  ebsMicrosPerSecond: number;
}

const slot = derivedSlot<Rates>();

function ratesOf(world: World): Rates {
  return derived(world, slot, () => {
    const rates: Rates = { onDemandMicrosPerHour: 0, spotHolders: new Map(), ebsMicrosPerSecond: 0 };
    for (const inst of rows(world.instances)) {
      if (!billed(inst.state)) continue;
      if (inst.spot) rates.spotHolders.set(inst.spot.poolKey, (rates.spotHolders.get(inst.spot.poolKey) ?? 0) + 1);
      else rates.onDemandMicrosPerHour += instanceType(inst.type)!.onDemandMicrosPerHour;
    }
    for (const v of rows(world.volumes)) rates.ebsMicrosPerSecond += volumeMicrosPerSecond(v);
    return rates;
  });
}

export function billSecond(world: World): void {
  const rates = ratesOf(world);
  world.ledger.onDemandMicros += rates.onDemandMicrosPerHour / SECONDS_PER_HOUR;
  for (const key in world.spotPools) {
    const pool = world.spotPools[key]!;
    const charge = pool.priceMicros / SECONDS_PER_HOUR;
    pool.chargedMicros += charge;
    world.ledger.spotMicros += charge * (rates.spotHolders.get(key) ?? 0);
  }
  world.ledger.ebsMicros += rates.ebsMicrosPerSecond;
}
