// Charges by the second: running (and hibernating) instances at their on-demand or current Spot
// price, with at least a minute for each start; volumes for what they provision whatever their
// instance's state; public IPv4 addresses, auto-assigned or Elastic, in use or idle; available NAT
// gateways. Stopped instances cost nothing themselves.
// The ledger adds the fleet's rates each second; each instance and volume keeps a meter that is
// read when its rate changes, and the fleet's rates move at the same moments, so neither costs
// anything to keep up to date. Rates are sums of integers: however they were arrived at, a world
// kept up to date and one restored from a save bill alike.
import { instanceType } from './catalogue.js';
import { touchInstance } from './changes.js';
import { derived, derivedKind, peek } from './derived.js';
import { rows } from './tables.js';
import { SECONDS_PER_HOUR } from './timings.js';
import type { Instance, Ledger, NatGateway, NetworkInterface, Volume, World } from './types.js';
import { HOURS_PER_MONTH, monthlyMicros } from './volume-types.js';

/** Whether a stopping instance is hibernating: by the user's request, or as its Spot interruption. */
export function hibernating(inst: Instance): boolean {
  return (
    inst.state === 'stopping' &&
    (inst.stopReason === 'hibernate' || (inst.stopReason === 'spot' && inst.spot?.action === 'hibernate'))
  );
}

/**
 * Instance usage is billed while `running`, and while `stopping` to hibernate (EC2 User Guide,
 * "Amazon EC2 instance state changes": stopping is billed only when preparing to hibernate).
 */
const billed = (inst: Instance) => inst.state === 'running' || hibernating(inst);

const SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR;

/**
 * Each start bills at least this many seconds, then by the second (EC2 User Guide, "Reboot your
 * Amazon EC2 instance": a stop and start "starts a new instance billing period with a one-minute
 * minimum charge"; a reboot does not).
 */
export const MINIMUM_BILLED_SECONDS = 60;

/** Every public IPv4 address, in use or idle, auto-assigned or Elastic: $0.005 an hour (Amazon VPC pricing, "Public IPv4 address" charge since February 2024). */
export const PUBLIC_IPV4_MICROS_PER_HOUR = 5000;

/** The fleet's total charges so far, in micro-dollars. */
export function ledgerTotalMicros(ledger: Ledger): number {
  return (
    ledger.onDemandMicros +
    ledger.spotMicros +
    ledger.ebsMicros +
    ledger.publicIpv4Micros +
    (ledger.natGatewayMicros ?? 0)
  );
}

/**
 * Each available NAT gateway: $0.045 an hour, and each partial hour is billed as a full one (Amazon
 * VPC pricing, US East: "Each partial NAT Gateway-hour consumed is billed as a full hour"). Its
 * per-GB data processing charge is not billed: the model counts requests, not the bytes of calls out.
 */
export const NAT_GATEWAY_MICROS_PER_HOUR = 45_000;

/** The NAT gateways of every VPC; none for a world without a VPC of its level's. */
function* natGateways(world: World): Generator<NatGateway> {
  for (const layout of world.otherVpcs ? [world.vpc, ...world.otherVpcs] : [world.vpc])
    for (const id in layout?.natGateways) yield layout.natGateways[id]!;
}

/** NAT gateways available now, in every VPC. */
export function availableNatGateways(world: World): number {
  let n = 0;
  for (const nat of natGateways(world)) if (nat.state === 'available') n += 1;
  return n;
}

/** Available NAT gateways starting an hour of availability this second: each is billed that whole hour now. */
function natGatewayHoursStarting(world: World): number {
  let n = 0;
  for (const nat of natGateways(world))
    if (nat.state === 'available' && (world.tick - nat.availableAt) % SECONDS_PER_HOUR === 0) n += 1;
  return n;
}

/** What the instance costs a second while billed, in micro-dollars. */
function perSecond(world: World, inst: Instance): number {
  return inst.spot
    ? world.spotPools[inst.spot.poolKey]!.priceMicros / SECONDS_PER_HOUR
    : instanceType(inst.type)!.onDemandMicrosPerHour / SECONDS_PER_HOUR;
}

/** What the meter reads now: the tick for on-demand, the pool's per-instance charges so far for Spot. */
function meter(world: World, inst: Instance): number {
  return inst.spot ? world.spotPools[inst.spot.poolKey]!.chargedMicros : world.tick;
}

function sinceMark(world: World, inst: Instance): number {
  if (inst.costMark === null) return 0;
  const elapsed = meter(world, inst) - inst.costMark;
  return inst.spot ? elapsed : (instanceType(inst.type)!.onDemandMicrosPerHour / SECONDS_PER_HOUR) * elapsed;
}

/**
 * A Spot instance EC2 interrupts (stops, hibernates or terminates) in the first hour of its billing
 * period is not charged for it, on Linux (EC2 User Guide, "Billing for interrupted Spot
 * Instances"); one its user stops or terminates is. The hour is counted from the period's start:
 * this simulation's reading of "first hour" for an instance EC2 has restarted. Read as the instance
 * leaves `running` (its meter's mark is then still the period's start): a hibernation that follows
 * is not billed either.
 */
function interruptedInFirstHour(world: World, inst: Instance): boolean {
  return (
    inst.spot !== null &&
    inst.stopReason === 'spot' &&
    inst.state !== 'running' &&
    inst.billedSince !== null &&
    world.tick - inst.billedSince < SECONDS_PER_HOUR
  );
}

/**
 * Reads an instance's meter when it may start or stop being billed: a change of state. A billing
 * period shorter than the minimum is charged up to it; one EC2 ends by a Spot interruption in its
 * first hour is charged nothing (see interruptedInFirstHour).
 */
export function readMeter(world: World, inst: Instance): void {
  const was = inst.costMark !== null;
  const free = was && interruptedInFirstHour(world, inst);
  const now = billed(inst) && !free;
  if (free) {
    // The ledger took the period's charge second by second; it is given back, and the instance's own
    // meter never adds it. Never below nothing: the seconds' fractions, added up one way and taken
    // away in one, leave a rounding error that could read as a negative charge.
    world.ledger.spotMicros = Math.max(0, world.ledger.spotMicros - sinceMark(world, inst));
  } else inst.costMicros = instanceCostMicros(world, inst);
  if (was && !now && !free && inst.billedSince !== null) {
    const short = MINIMUM_BILLED_SECONDS - (world.tick - inst.billedSince);
    if (short > 0) {
      const extra = short * perSecond(world, inst);
      inst.costMicros += extra;
      if (inst.spot) world.ledger.spotMicros += extra;
      else world.ledger.onDemandMicros += extra;
    }
  }
  inst.costMark = now ? meter(world, inst) : null;
  inst.billedSince = now ? (was ? inst.billedSince : world.tick) : null;
  const rates = peek(world, RATES);
  if (rates && was !== (inst.costMark !== null)) addInstanceRate(rates, inst, was ? -1 : 1);
}

/** A volume starts being billed at its current price: a new volume, or one whose modification has taken effect. */
export function billVolume(world: World, v: Volume): void {
  const rates = peek(world, RATES);
  if (rates) rates.ebsMonthlyMicros += monthlyMicros(v);
}

/** Reads a volume's meter and takes its price out of the fleet's: before its price changes, or when it is deleted. */
export function stopBillingVolume(world: World, v: Volume): void {
  v.costMicros = volumeCostMicros(world, v);
  v.costMark = world.tick;
  const rates = peek(world, RATES);
  if (rates) rates.ebsMonthlyMicros -= monthlyMicros(v);
}

export function instanceCostMicros(world: World, inst: Instance): number {
  return inst.costMicros + sinceMark(world, inst);
}

export function volumeCostMicros(world: World, v: Volume): number {
  return v.costMicros + (monthlyMicros(v) / SECONDS_PER_MONTH) * (world.tick - v.costMark);
}

/** The fleet's rates, kept with the world's derived data; one restored from JSON draws them up afresh. */
export interface Rates {
  onDemandMicrosPerHour: number;
  spotHolders: Map<string, number>;
  ebsMonthlyMicros: number;
  /** Interfaces holding an auto-assigned public IPv4 address (Elastic IPs are counted from their table). */
  autoAssignedIpv4: number;
}

const RATES = derivedKind('billing rates', (world): Rates => {
  const rates: Rates = { onDemandMicrosPerHour: 0, spotHolders: new Map(), ebsMonthlyMicros: 0, autoAssignedIpv4: 0 };
  for (const inst of rows(world, 'instances')) if (inst.costMark !== null) addInstanceRate(rates, inst, 1);
  for (const eni of rows(world, 'enis')) if (autoAssigned(eni)) rates.autoAssignedIpv4 += 1;
  for (const v of rows(world, 'volumes')) rates.ebsMonthlyMicros += monthlyMicros(v);
  return rates;
});

/** An interface holds an auto-assigned public address: one an Elastic IP does not account for. */
const autoAssigned = (eni: NetworkInterface) => eni.publicIp !== null && eni.allocationId === null;

/**
 * Changes an interface's public address or Elastic IP association, keeping the count of billed
 * auto-assigned addresses in step; every write to either field goes through here.
 */
export function setAddress(
  world: World,
  eni: NetworkInterface,
  change: { publicIp?: string | null; allocationId?: string | null },
): void {
  const before = autoAssigned(eni);
  if (change.publicIp !== undefined) eni.publicIp = change.publicIp;
  if (change.allocationId !== undefined) eni.allocationId = change.allocationId;
  // What an instance serves depends on its address: moving an Elastic IP away changes an instance no event names.
  const inst = eni.instanceId === null ? undefined : world.instances[eni.instanceId];
  if (inst) touchInstance(world, inst);
  const rates = peek(world, RATES);
  if (rates) rates.autoAssignedIpv4 += Number(autoAssigned(eni)) - Number(before);
}

function addInstanceRate(rates: Rates, inst: Instance, sign: 1 | -1): void {
  if (inst.spot) rates.spotHolders.set(inst.spot.poolKey, (rates.spotHolders.get(inst.spot.poolKey) ?? 0) + sign);
  else rates.onDemandMicrosPerHour += sign * instanceType(inst.type)!.onDemandMicrosPerHour;
}

export function fleetRates(world: World): Readonly<Rates> {
  return derived(world, RATES);
}

/** Elastic IPs allocated, associated or not: each is billed (counted without a list of their ids, every second). */
function elasticIpCount(world: World): number {
  let n = 0;
  for (const _ in world.elasticIps) n += 1;
  return n;
}

/**
 * What the fleet as it stands costs an hour, in micro-dollars: the rates the ledger adds each
 * second (billed instances at their on-demand or pool's price, volumes, public IPv4 addresses,
 * available NAT gateways), read from the kept rates, so it costs nothing at any fleet size.
 */
export function fleetMicrosPerHour(world: World): number {
  const rates = fleetRates(world);
  let micros = rates.onDemandMicrosPerHour + rates.ebsMonthlyMicros / HOURS_PER_MONTH;
  for (const [key, holders] of rates.spotHolders) micros += holders * world.spotPools[key]!.priceMicros;
  micros += (rates.autoAssignedIpv4 + elasticIpCount(world)) * PUBLIC_IPV4_MICROS_PER_HOUR;
  return micros + availableNatGateways(world) * NAT_GATEWAY_MICROS_PER_HOUR;
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
  world.ledger.publicIpv4Micros +=
    ((rates.autoAssignedIpv4 + elasticIpCount(world)) * PUBLIC_IPV4_MICROS_PER_HOUR) / SECONDS_PER_HOUR;
  if (world.vpc?.natGateways || world.otherVpcs) {
    const hours = natGatewayHoursStarting(world);
    if (hours > 0)
      world.ledger.natGatewayMicros = (world.ledger.natGatewayMicros ?? 0) + hours * NAT_GATEWAY_MICROS_PER_HOUR;
  }
}
